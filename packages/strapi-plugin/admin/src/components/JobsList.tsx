import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system'
import { useFetchClient, useNotification } from '@strapi/strapi/admin'
import { styled } from 'styled-components'
import { errorMessage, type Job, routes } from '../api'
import { useTranslate } from '../utils/translate'

interface JobsListProps {
  jobs: Job[]
  canProcess: boolean
  onChange: () => void
}

/** A bar for light backgrounds (the design system's ProgressBar is drawn for dark ones). */
const Track = styled(Box)`
  height: 8px;
  background: ${({ theme }) => theme.colors.neutral150};
  border-radius: 4px;
  overflow: hidden;
`
const Fill = styled.div<{ $percent: number }>`
  height: 100%;
  width: ${({ $percent }) => $percent}%;
  background: ${({ theme }) => theme.colors.primary600};
`

function Progress({ percent, label }: { percent: number; label: string }): React.JSX.Element {
  return (
    <Track role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <Fill $percent={percent} />
    </Track>
  )
}

/** Jobs to show: every running one, and the three most recent others (newest first, as the server lists them). */
const visible = (jobs: Job[]): Job[] => [
  ...jobs.filter((job) => job.state === 'running'),
  ...jobs.filter((job) => job.state !== 'running').slice(0, 3),
]

/** The folder and library jobs with their progress (read from the server, so it survives a reload) and Cancel. */
export function JobsList({ jobs, canProcess, onChange }: JobsListProps): React.JSX.Element | null {
  const t = useTranslate()
  const { post } = useFetchClient()
  const { toggleNotification } = useNotification()
  const shown = visible(jobs)
  if (shown.length === 0) return null

  const cancel = async (job: Job): Promise<void> => {
    try {
      await post(routes.cancelJob(job.id))
    } catch (failure) {
      toggleNotification({ type: 'danger', message: errorMessage(failure, t('error.unknown')) })
    }
    onChange()
  }

  return (
    <Box background="neutral0" padding={4} hasRadius shadow="tableShadow" marginBottom={4}>
      <Typography variant="delta" tag="h2">
        {t('jobs.title')}
      </Typography>
      <Flex direction="column" alignItems="stretch" gap={3} paddingTop={3}>
        {shown.map((job) => {
          const handled = job.done + job.failed + job.skipped
          const label = job.scope.type === 'library' ? t('jobs.library') : t('jobs.folder', { path: job.scope.path })
          return (
            <Flex key={job.id} gap={4} aria-label={label} role="group">
              <Box minWidth="12rem">
                <Typography fontWeight="bold">{label}</Typography>
              </Box>
              <Badge variant={job.state === 'running' ? 'secondary' : 'neutral'}>{t(`jobs.state.${job.state}`)}</Badge>
              <Box flex="1">
                <Progress label={label} percent={job.total === 0 ? 100 : Math.round((handled / job.total) * 100)} />
              </Box>
              <Typography variant="pi" textColor="neutral600">
                {t('jobs.progress', { done: job.done, failed: job.failed, skipped: job.skipped, total: job.total })}
              </Typography>
              {canProcess && job.state === 'running' && (
                <Button variant="danger-light" size="S" onClick={() => void cancel(job)}>
                  {t('action.cancel')}
                </Button>
              )}
            </Flex>
          )
        })}
      </Flex>
    </Box>
  )
}
