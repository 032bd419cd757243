/**
 * The Content Manager's edit view side panel: the entry's images (media fields, in components and dynamic zones too)
 * with their cutout status and a "Remove background" action each.
 */
import { Box, Button, Flex, Typography } from '@strapi/design-system'
import {
  unstable_useContentManagerContext as useContentManagerContext,
  useFetchClient,
  useForm,
  useNotification,
  useRBAC,
} from '@strapi/strapi/admin'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { errorMessage, type FileList, type ListedFile, type RembgStatus, routes } from '../api'
import { usePolling } from '../hooks/usePolling'
import { permissions } from '../permissions'
import { useTranslate } from '../utils/translate'
import { ImagePreview } from './ImagePreview'
import { StatusBadge } from './StatusBadge'

interface MediaValue {
  id: number
  name: string
  url: string
  mime: string
  rembg?: RembgStatus | null
}

const isImage = (value: unknown): value is MediaValue => {
  const file = value as Partial<MediaValue> | null
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.id === 'number' &&
    typeof file.url === 'string' &&
    typeof file.mime === 'string' &&
    file.mime.startsWith('image/')
  )
}

/** Every image in the entry's values, once each, in the order of the form (components and dynamic zones included). */
function collectImages(value: unknown, found = new Map<number, MediaValue>()): MediaValue[] {
  if (isImage(value)) found.set(value.id, value)
  else if (Array.isArray(value)) for (const item of value) collectImages(item, found)
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectImages(item, found)
  return [...found.values()]
}

interface Attribute {
  type: string
  component?: string
  components?: string[]
}
type Schemas = Record<string, { attributes: Record<string, Attribute> } | undefined>

/** Whether a schema can hold a media value: a media field, or a component or dynamic zone that can. */
function hasMedia(attributes: Record<string, Attribute>, components: Schemas, seen = new Set<string>()): boolean {
  return Object.values(attributes).some((attribute) => {
    if (attribute.type === 'media') return true
    const uids = attribute.component ? [attribute.component] : (attribute.components ?? [])
    return uids.some((uid) => {
      if (seen.has(uid)) return false
      seen.add(uid)
      const schema = components[uid]
      return schema ? hasMedia(schema.attributes, components, seen) : false
    })
  })
}

function EntryImages({ fallbackValues }: { fallbackValues: unknown }): React.JSX.Element {
  const t = useTranslate()
  const { get, post } = useFetchClient()
  const { toggleNotification } = useNotification()
  const { allowedActions } = useRBAC(permissions.process)
  const formValues = useForm('RembgPanel', (state) => state.values, false)
  const images = useMemo(() => collectImages(formValues ?? fallbackValues), [formValues, fallbackValues])
  const ids = images.map((image) => image.id).join(',')
  const [entries, setEntries] = useState<Map<number, ListedFile>>(new Map())
  const [busy, setBusy] = useState<number | null>(null)

  const load = useCallback(async (): Promise<void> => {
    if (ids === '') return
    try {
      const { data } = await get<FileList>(`${routes.files}?ids=${ids}&pageSize=100`)
      setEntries(new Map(data.results.map((file) => [file.id, file])))
    } catch {
      // The list keeps the statuses the form holds; the buttons still work.
    }
  }, [get, ids])
  useEffect(() => {
    void load()
  }, [load])

  const statusOf = (image: MediaValue): RembgStatus | null => entries.get(image.id)?.rembg ?? image.rembg ?? null
  usePolling(
    images.some((image) => ['pending', 'running'].includes(statusOf(image)?.status ?? '')),
    () => void load(),
  )

  const process = async (image: MediaValue): Promise<void> => {
    setBusy(image.id)
    try {
      await post(routes.processFile(image.id), {})
      toggleNotification({ type: 'success', message: t('process.done', { name: image.name }) })
    } catch (failure) {
      toggleNotification({ type: 'danger', message: errorMessage(failure, t('error.unknown')) })
    } finally {
      setBusy(null)
    }
    await load()
  }

  if (images.length === 0) {
    return (
      <Typography variant="pi" textColor="neutral600">
        {t('panel.empty')}
      </Typography>
    )
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      {images.map((image) => {
        const entry = entries.get(image.id)
        const record = statusOf(image)
        return (
          <Flex key={image.id} gap={2} alignItems="start" role="group" aria-label={image.name}>
            <ImagePreview
              url={entry?.cutoutUrl ?? image.url}
              version={record?.at}
              alt={image.name}
              transparent={Boolean(entry?.cutoutUrl)}
              size={48}
            />
            <Flex direction="column" alignItems="start" gap={1} flex="1" minWidth={0}>
              <Typography variant="omega" fontWeight="bold" ellipsis>
                {image.name}
              </Typography>
              <StatusBadge record={record} />
              {record?.error && (
                <Typography variant="pi" textColor="danger600">
                  {record.error}
                </Typography>
              )}
              {allowedActions.canProcess && (
                <Box paddingTop={1}>
                  <Button size="S" variant="secondary" loading={busy === image.id} onClick={() => void process(image)}>
                    {t('action.removeBackground')}
                  </Button>
                </Box>
              )}
            </Flex>
          </Flex>
        )
      })}
    </Flex>
  )
}

/** What the Content Manager passes to a side panel (the saved document; the form holds the unsaved values). */
interface PanelProps {
  document?: unknown
}

/** A side panel as `addEditViewSidePanel` takes it: a component that returns a title and content, or null. */
export type SidePanel = (props: PanelProps) => { title: string; content: React.ReactNode } | null

/** Shown on content types that can hold an image, to users with `plugin::rembg.read`. */
export const EditViewPanel: SidePanel = ({ document }) => {
  const t = useTranslate()
  const { allowedActions, isLoading } = useRBAC(permissions.read)
  const { contentType, components } = useContentManagerContext()
  if (isLoading || !allowedActions.canRead || !contentType) return null
  if (!hasMedia(contentType.attributes as Record<string, Attribute>, components as Schemas)) return null
  return { title: t('panel.title'), content: <EntryImages fallbackValues={document} /> }
}
