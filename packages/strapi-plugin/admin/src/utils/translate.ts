import { useCallback } from 'react'
import { useIntl } from 'react-intl'
import { pluginId } from '../pluginId'
import en from '../translations/en.json'

/** A key of the English texts, the reference every other language follows. */
export type MessageKey = keyof typeof en

/** The key as registered with the admin: prefixed with the plugin id, as Strapi's own plugins do. */
export const translationId = (key: MessageKey): string => `${pluginId}.${key}`

type Values = Record<string, string | number>

/**
 * `t('status.done')`: the text in the admin's language, English when that language lacks the key.
 * @example
 * const t = useTranslate()
 * t('jobs.progress', { done: 3, failed: 0, skipped: 1, total: 10 })
 */
export function useTranslate(): (key: MessageKey, values?: Values) => string {
  const { formatMessage } = useIntl()
  // Stable while the language is: pages list it in their effects' dependencies.
  return useCallback(
    (key: MessageKey, values?: Values) => formatMessage({ id: translationId(key), defaultMessage: en[key] }, values),
    [formatMessage],
  )
}

/** Prefixes every key of a translation file with the plugin id, for `registerTrads`. */
export function prefixKeys(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([key, text]) => [`${pluginId}.${key}`, text]))
}
