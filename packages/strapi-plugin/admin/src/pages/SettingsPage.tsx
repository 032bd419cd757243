/**
 * Settings > Background removal: the configuration in effect (the API key masked by the server, which never sends
 * it), and the settings that are safe to change at run time, saved with `PUT /rembg/settings`. A refused value shows
 * the server's message word for word (core's, for output parameters).
 */
import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  Toggle,
  Typography,
} from '@strapi/design-system'
import { Check } from '@strapi/icons'
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin'
import { useEffect, useState } from 'react'
import { type EditableSettings, errorMessage, routes, type SettingsView } from '../api'
import { permissions } from '../permissions'
import { useTranslate } from '../utils/translate'

interface Draft {
  enabled: boolean
  mode: EditableSettings['mode']
  folders: string
  params: string
}

const toDraft = ({ enabled, mode, folders, params }: EditableSettings): Draft => ({
  enabled,
  mode,
  folders: folders.join('\n'),
  params: JSON.stringify(params, null, 2),
})

/** What a value of the effective config looks like on the page (lists and objects as JSON, nothing as a dash). */
const show = (value: unknown): string =>
  value === null || value === undefined ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value)

function SettingsPage(): React.JSX.Element {
  const t = useTranslate()
  const { get, put } = useFetchClient()
  const { toggleNotification } = useNotification()
  const { allowedActions } = useRBAC(permissions.settingsUpdate)
  const canUpdate = allowedActions.canUpdate === true
  const [view, setView] = useState<SettingsView | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    get<SettingsView>(routes.settings).then(
      ({ data }) => {
        setView(data)
        setDraft(toDraft(data.editable))
      },
      (failure: unknown) => setError(errorMessage(failure, t('error.unknown'))),
    )
  }, [get, t])

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (!draft) return
    setError(null)
    let params: unknown
    try {
      params = JSON.parse(draft.params === '' ? '{}' : draft.params)
    } catch (failure) {
      setError(t('settings.params.invalid', { reason: (failure as Error).message }))
      return
    }
    const folders = draft.folders
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
    setSaving(true)
    try {
      const { data } = await put<SettingsView>(routes.settings, {
        enabled: draft.enabled,
        mode: draft.mode,
        folders,
        params,
      })
      setView(data)
      setDraft(toDraft(data.editable))
      toggleNotification({ type: 'success', message: t('settings.saved') })
    } catch (failure) {
      setError(errorMessage(failure, t('error.unknown')))
    } finally {
      setSaving(false)
    }
  }

  if (!view || !draft) {
    return error === null ? <Page.Loading /> : <Page.Error content={error} />
  }
  const update = (next: Partial<Draft>): void => setDraft({ ...draft, ...next })
  const fixed = Object.entries(view).filter(([key]) => key !== 'editable' && !(key in view.editable))

  return (
    <Page.Main>
      <Page.Title>{t('settings.title')}</Page.Title>
      <form onSubmit={save}>
        <Layouts.Header
          title={t('settings.title')}
          subtitle={t('settings.subtitle')}
          primaryAction={
            canUpdate ? (
              <Button type="submit" startIcon={<Check />} loading={saving}>
                {t('settings.save')}
              </Button>
            ) : undefined
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={6}>
            {error !== null && (
              <Box role="alert" padding={3} background="danger100" borderColor="danger200" hasRadius>
                <Typography textColor="danger700">{error}</Typography>
              </Box>
            )}
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              <Typography variant="delta" tag="h2">
                {t('settings.editable')}
              </Typography>
              <Grid.Root gap={5} paddingTop={4}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="enabled" hint={t('settings.enabled.hint')}>
                    <Field.Label>{t('settings.enabled')}</Field.Label>
                    <Toggle
                      checked={draft.enabled}
                      disabled={!canUpdate}
                      onLabel={t('settings.on')}
                      offLabel={t('settings.off')}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                        update({ enabled: event.target.checked })
                      }
                    />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="mode">
                    <Field.Label>{t('settings.mode')}</Field.Label>
                    <SingleSelect
                      value={draft.mode}
                      disabled={!canUpdate}
                      onChange={(value: string | number) => update({ mode: value as Draft['mode'] })}
                    >
                      <SingleSelectOption value="variant">{t('settings.mode.variant')}</SingleSelectOption>
                      <SingleSelectOption value="replace">{t('settings.mode.replace')}</SingleSelectOption>
                    </SingleSelect>
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="folders" hint={t('settings.folders.hint')}>
                    <Field.Label>{t('settings.folders')}</Field.Label>
                    <Textarea
                      value={draft.folders}
                      disabled={!canUpdate}
                      onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                        update({ folders: event.target.value })
                      }
                    />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="params" hint={t('settings.params.hint')}>
                    <Field.Label>{t('settings.params')}</Field.Label>
                    <Textarea
                      value={draft.params}
                      disabled={!canUpdate}
                      onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                        update({ params: event.target.value })
                      }
                    />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
              </Grid.Root>
            </Box>
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              <Typography variant="delta" tag="h2">
                {t('settings.effective')}
              </Typography>
              <Grid.Root gap={3} paddingTop={4} tag="dl">
                {fixed.map(([key, value]) => (
                  <Grid.Item key={key} col={6} s={12} direction="column" alignItems="start">
                    <Typography variant="pi" fontWeight="bold" textColor="neutral600" tag="dt">
                      {key}
                    </Typography>
                    <Typography tag="dd" data-setting={key}>
                      {key === 'apiKey' && value === null ? t('settings.apiKey.none') : show(value)}
                    </Typography>
                  </Grid.Item>
                ))}
              </Grid.Root>
            </Box>
          </Flex>
        </Layouts.Content>
      </form>
    </Page.Main>
  )
}

/** Settings need `plugin::rembg.settings.read`; saving needs `plugin::rembg.settings.update` too. */
export default function ProtectedSettingsPage(): React.JSX.Element {
  return (
    <Page.Protect permissions={permissions.settingsRead}>
      <SettingsPage />
    </Page.Protect>
  )
}
