import { Badge } from '@strapi/design-system'
import type { RembgStatus, Status } from '../api'
import { useTranslate } from '../utils/translate'

const variants: Record<Status, 'success' | 'danger' | 'warning' | 'secondary' | 'neutral'> = {
  done: 'success',
  failed: 'danger',
  pending: 'secondary',
  running: 'secondary',
  skipped: 'warning',
}

/** The file's status in words (`done`, `failed`...), coloured; "not processed" for a file without a record. */
export function StatusBadge({ record }: { record: RembgStatus | null }): React.JSX.Element {
  const t = useTranslate()
  if (!record) return <Badge variant="neutral">{t('status.none')}</Badge>
  return (
    <Badge variant={variants[record.status]} data-status={record.status}>
      {t(`status.${record.status}`)}
    </Badge>
  )
}
