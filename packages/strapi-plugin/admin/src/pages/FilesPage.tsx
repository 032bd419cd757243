/**
 * The plugin page: the images the plugin handled, filtered by status and folder, with Retry and "Process again" per
 * file, and folder and library jobs with their progress. Buttons that need `plugin::rembg.process` are hidden without it.
 */
import { Box, Button, Dialog, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system'
import { ConfirmDialog, Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin'
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage, type FileList, type Job, type ListedFile, routes, type Status, statuses } from '../api'
import { FilesTable } from '../components/FilesTable'
import { JobsList } from '../components/JobsList'
import { type FolderOption, useFolders } from '../hooks/useFolders'
import { useJobs } from '../hooks/useJobs'
import { usePolling } from '../hooks/usePolling'
import { permissions } from '../permissions'
import { useTranslate } from '../utils/translate'

const pageSize = 20

interface Filters {
  status: Status | ''
  folder: number | ''
  page: number
}

function query(filters: Filters): string {
  const search = new URLSearchParams({ page: String(filters.page), pageSize: String(pageSize) })
  if (filters.status !== '') search.set('status', filters.status)
  if (filters.folder !== '') search.set('folder', String(filters.folder))
  return search.toString()
}

function FilesPage(): React.JSX.Element {
  const t = useTranslate()
  const { get, post } = useFetchClient()
  const { toggleNotification } = useNotification()
  const { allowedActions } = useRBAC(permissions.process)
  const canProcess = allowedActions.canProcess === true
  const folders = useFolders()
  const jobs = useJobs()
  const [filters, setFilters] = useState<Filters>({ status: '', folder: '', page: 1 })
  const [list, setList] = useState<FileList | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  const load = useCallback(async (): Promise<void> => {
    try {
      const { data } = await get<FileList>(`${routes.files}?${query(filters)}`)
      setList(data)
      setLoadError(null)
    } catch (failure) {
      setLoadError(errorMessage(failure, t('error.unknown')))
    }
  }, [get, filters, t])
  useEffect(() => {
    void load()
  }, [load])

  const working =
    list?.results.some((file) => file.rembg?.status === 'pending' || file.rembg?.status === 'running') === true ||
    jobs.jobs.some((job) => job.state === 'running')
  usePolling(working, () => void load())
  // A job that ends may have recorded its last files after the last reading: read the list once more.
  const runningJobs = jobs.jobs.filter((job) => job.state === 'running').length
  const previouslyRunning = useRef(runningJobs)
  useEffect(() => {
    if (runningJobs < previouslyRunning.current) void load()
    previouslyRunning.current = runningJobs
  }, [runningJobs, load])

  const fail = (failure: unknown): void =>
    toggleNotification({ type: 'danger', message: errorMessage(failure, t('error.unknown')) })

  const retry = async (file: ListedFile): Promise<void> => {
    try {
      await post(routes.processFile(file.id), {})
    } catch (failure) {
      fail(failure)
    }
    await load()
  }

  const startJob = async (path: string): Promise<void> => {
    try {
      const { data } = await post<{ job: Job | null }>(path)
      toggleNotification({
        type: data.job ? 'success' : 'info',
        message: data.job ? t('jobs.started', { total: data.job.total }) : t('jobs.nothing'),
      })
    } catch (failure) {
      fail(failure)
    }
    await Promise.all([jobs.reload(), load()])
  }

  if (list === null && loadError === null) return <Page.Loading />

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name')}</Page.Title>
      <Layouts.Header
        title={t('plugin.name')}
        subtitle={t('page.subtitle')}
        primaryAction={
          canProcess ? (
            <Dialog.Root>
              <Dialog.Trigger>
                <Button>{t('action.processLibrary')}</Button>
              </Dialog.Trigger>
              <ConfirmDialog onConfirm={() => startJob(routes.processLibrary)}>{t('confirm.library')}</ConfirmDialog>
            </Dialog.Root>
          ) : undefined
        }
      />
      <Layouts.Action
        startActions={
          <Filters
            filters={filters}
            folders={folders}
            onChange={(next) => setFilters({ ...filters, ...next, page: 1 })}
          />
        }
        endActions={
          canProcess && filters.folder !== '' ? (
            <Button variant="secondary" onClick={() => void startJob(routes.processFolder(filters.folder as number))}>
              {t('action.processFolder')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <JobsList jobs={jobs.jobs} canProcess={canProcess} onChange={() => void jobs.reload()} />
        {[loadError, jobs.error].map(
          (message) =>
            message !== null && (
              <Box key={message} role="alert" padding={3} marginBottom={4} background="danger100" hasRadius>
                <Typography textColor="danger700">{message}</Typography>
              </Box>
            ),
        )}
        {list && list.results.length === 0 && (
          <Box background="neutral0" padding={8} hasRadius shadow="tableShadow">
            <Typography textColor="neutral600">
              {filters.status === '' && filters.folder === '' ? t('table.empty') : t('table.emptyFiltered')}
            </Typography>
          </Box>
        )}
        {list && list.results.length > 0 && (
          <>
            <FilesTable files={list.results} canProcess={canProcess} onRetry={retry} onProcessed={() => void load()} />
            <Flex justifyContent="space-between" paddingTop={4}>
              <Typography variant="pi" textColor="neutral600">
                {t('pagination.summary', { ...list.pagination, pageCount: Math.max(1, list.pagination.pageCount) })}
              </Typography>
              <Flex gap={2}>
                <Button
                  variant="tertiary"
                  disabled={filters.page <= 1}
                  onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
                >
                  {t('pagination.previous')}
                </Button>
                <Button
                  variant="tertiary"
                  disabled={filters.page >= list.pagination.pageCount}
                  onClick={() => setFilters({ ...filters, page: filters.page + 1 })}
                >
                  {t('pagination.next')}
                </Button>
              </Flex>
            </Flex>
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  )
}

interface FiltersProps {
  filters: Filters
  folders: FolderOption[]
  onChange: (next: Partial<Filters>) => void
}

function Filters({ filters, folders, onChange }: FiltersProps): React.JSX.Element {
  const t = useTranslate()
  return (
    <Flex gap={2}>
      <SingleSelect
        aria-label={t('status.label')}
        size="S"
        value={filters.status}
        onChange={(value: string | number) => onChange({ status: value as Status | '' })}
      >
        <SingleSelectOption value="">{t('status.all')}</SingleSelectOption>
        {statuses.map((status) => (
          <SingleSelectOption key={status} value={status}>
            {t(`status.${status}`)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      {folders.length > 0 && (
        <SingleSelect
          aria-label={t('folder.label')}
          size="S"
          value={filters.folder}
          onChange={(value: string | number) => onChange({ folder: value === '' ? '' : Number(value) })}
        >
          <SingleSelectOption value="">{t('folder.all')}</SingleSelectOption>
          {folders.map((folder) => (
            <SingleSelectOption key={folder.id} value={folder.id}>
              {folder.path}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      )}
    </Flex>
  )
}

/** What the menu link opens: the page for users with `plugin::rembg.read`, Strapi's "no permissions" page otherwise. */
export default function ProtectedFilesPage(): React.JSX.Element {
  return (
    <Page.Protect permissions={permissions.read}>
      <FilesPage />
    </Page.Protect>
  )
}
