import { Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system'
import { styled } from 'styled-components'
import type { ListedFile } from '../api'
import { useTranslate } from '../utils/translate'
import { ImagePreview } from './ImagePreview'
import { ProcessDialog } from './ProcessDialog'
import { StatusBadge } from './StatusBadge'

interface FilesTableProps {
  files: ListedFile[]
  canProcess: boolean
  onRetry: (file: ListedFile) => void
  onProcessed: () => void
}

/** A reason is a sentence: it wraps within its column instead of widening the table. */
const Reason = styled(Typography)`
  display: block;
  max-width: 18rem;
  white-space: normal;
`

const columns = ['original', 'cutout', 'name', 'status', 'model', 'engine', 'time', 'at', 'actions'] as const

/** One row a file: original and cutout side by side, the status with its reason, what made it, and the actions. */
export function FilesTable({ files, canProcess, onRetry, onProcessed }: FilesTableProps): React.JSX.Element {
  const t = useTranslate()
  const heading = (column: (typeof columns)[number]): string =>
    column === 'status' ? t('status.label') : t(`table.${column}`)
  return (
    <Table colCount={columns.length} rowCount={files.length + 1}>
      <Thead>
        <Tr>
          {columns.map((column) => (
            <Th key={column}>
              <Typography variant="sigma">{heading(column)}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {files.map((file) => {
          const record = file.rembg
          return (
            <Tr key={file.id} aria-label={file.name}>
              <Td>
                <ImagePreview
                  url={file.url}
                  alt={`${file.name} (${t('table.original')})`}
                  brokenLabel={t('table.unreadable')}
                />
              </Td>
              <Td>
                <ImagePreview
                  url={file.cutoutUrl}
                  version={record?.at}
                  alt={`${file.name} (${t('table.cutout')})`}
                  transparent
                  emptyLabel={t('table.noCutout')}
                  brokenLabel={t('table.unreadable')}
                />
              </Td>
              <Td>
                <Flex direction="column" alignItems="start">
                  <Typography fontWeight="bold">{file.name}</Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {file.folderPath}
                  </Typography>
                </Flex>
              </Td>
              <Td>
                <Flex direction="column" alignItems="start" gap={1}>
                  <StatusBadge record={record} />
                  {record?.error && (
                    <Reason variant="pi" textColor={record.status === 'failed' ? 'danger600' : 'neutral600'}>
                      {record.error}
                    </Reason>
                  )}
                </Flex>
              </Td>
              <Td>
                <Typography>{record?.model ?? '-'}</Typography>
              </Td>
              <Td>
                <Typography>{record?.engine ?? '-'}</Typography>
              </Td>
              <Td>
                <Typography>
                  {record?.ms === undefined ? '-' : t('time.ms', { seconds: (record.ms / 1000).toFixed(1) })}
                </Typography>
              </Td>
              <Td>
                <Typography variant="pi">{record ? new Date(record.at).toLocaleString() : '-'}</Typography>
              </Td>
              <Td>
                {canProcess && (
                  <Flex gap={2}>
                    {record?.status === 'failed' && (
                      <Button size="S" onClick={() => onRetry(file)}>
                        {t('action.retry')}
                      </Button>
                    )}
                    <ProcessDialog file={file} onProcessed={onProcessed} />
                  </Flex>
                )}
              </Td>
            </Tr>
          )
        })}
      </Tbody>
    </Table>
  )
}
