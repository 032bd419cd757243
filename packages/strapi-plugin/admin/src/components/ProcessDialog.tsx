import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  Modal,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system'
import { useFetchClient, useNotification } from '@strapi/strapi/admin'
import { useState } from 'react'
import { errorMessage, type ListedFile, routes } from '../api'
import { useTranslate } from '../utils/translate'

/** Core's output formats (core checks the value again; this list only fills the menu). */
const formats = ['webp', 'png', 'jpeg', 'bmp'] as const

interface Fields {
  format: string
  w: string
  h: string
  bg_color: string
  crop: boolean
  crop_margin: string
}

const emptyFields: Fields = { format: '', w: '', h: '', bg_color: '', crop: false, crop_margin: '' }

/**
 * The parameters as typed: empty fields are left out (the configured value applies), the others go as text, for core
 * to check with its own messages. Nothing is validated here, so the editor sees exactly what core says.
 */
function toParams(fields: Fields): Record<string, string | boolean> {
  const params: Record<string, string | boolean> = {}
  for (const key of ['format', 'w', 'h', 'bg_color', 'crop_margin'] as const) {
    if (fields[key].trim() !== '') params[key] = fields[key]
  }
  if (fields.crop) params.crop = true
  return params
}

interface ProcessDialogProps {
  file: ListedFile
  onProcessed: () => void
}

/** "Process again": one file with other output parameters; the server's 400 message is shown word for word. */
export function ProcessDialog({ file, onProcessed }: ProcessDialogProps): React.JSX.Element {
  const t = useTranslate()
  const { post } = useFetchClient()
  const { toggleNotification } = useNotification()
  const [open, setOpen] = useState(false)
  const [fields, setFields] = useState<Fields>(emptyFields)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (key: keyof Fields) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setFields((current) => ({ ...current, [key]: event.target.value }))

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await post(routes.processFile(file.id), { params: toParams(fields) })
      toggleNotification({ type: 'success', message: t('process.done', { name: file.name }) })
      setOpen(false)
      onProcessed()
    } catch (failure) {
      setError(errorMessage(failure, t('error.unknown')))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal.Root
      open={open}
      onOpenChange={(next: boolean) => {
        setOpen(next)
        if (next) setError(null)
      }}
    >
      <Modal.Trigger>
        <Button variant="secondary" size="S">
          {t('action.processAgain')}
        </Button>
      </Modal.Trigger>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>{t('process.title', { name: file.name })}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="omega" textColor="neutral600">
                {t('process.hint')}
              </Typography>
              <Grid.Root gap={4}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="format">
                    <Field.Label>{t('process.format')}</Field.Label>
                    <SingleSelect
                      value={fields.format}
                      onChange={(value: string | number) => setFields((f) => ({ ...f, format: String(value) }))}
                    >
                      <SingleSelectOption value="">{t('process.format.default')}</SingleSelectOption>
                      {formats.map((format) => (
                        <SingleSelectOption key={format} value={format}>
                          {format}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                  <Field.Root name="w">
                    <Field.Label>{t('process.width')}</Field.Label>
                    <TextInput value={fields.w} onChange={set('w')} inputMode="numeric" />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                  <Field.Root name="h">
                    <Field.Label>{t('process.height')}</Field.Label>
                    <TextInput value={fields.h} onChange={set('h')} inputMode="numeric" />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="bg_color" hint={t('process.bgColor.hint')}>
                    <Field.Label>{t('process.bgColor')}</Field.Label>
                    <TextInput value={fields.bg_color} onChange={set('bg_color')} />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="crop_margin" hint={t('process.cropMargin.hint')}>
                    <Field.Label>{t('process.cropMargin')}</Field.Label>
                    <TextInput value={fields.crop_margin} onChange={set('crop_margin')} />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={12} direction="column" alignItems="stretch">
                  <Checkbox
                    name="crop"
                    checked={fields.crop}
                    onCheckedChange={(checked: boolean | 'indeterminate') =>
                      setFields((f) => ({ ...f, crop: checked === true }))
                    }
                  >
                    {t('process.crop')}
                  </Checkbox>
                </Grid.Item>
              </Grid.Root>
              {error !== null && (
                <Box role="alert" padding={3} background="danger100" borderColor="danger200" hasRadius>
                  <Typography textColor="danger700">{error}</Typography>
                </Box>
              )}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('process.close')}</Button>
            </Modal.Close>
            <Button type="submit" loading={busy}>
              {t('process.submit')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  )
}
