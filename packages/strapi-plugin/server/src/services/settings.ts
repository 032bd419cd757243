/**
 * The settings an admin may change at run time (`enabled`, `mode`, `folders`, `params`), kept in the plugin store
 * (`strapi.store({ type: 'plugin', name: 'rembg' })`, key `settings`, a row of Strapi's `strapi_core_store_settings`
 * table). The effective config is the config file's, with each stored key replacing the file's value of that key
 * (`params` as a whole). Everything else (engine, model, API key, concurrency, ...) stays the config file's alone:
 * changing it means a restart, and the API key never goes through an admin page.
 */
import type { Core as Strapi } from '@strapi/strapi'
import { loadCore } from '../core'
import { ConfigError, publicSettings, type ResolvedConfig, resolveConfig } from '../options'

export const editableKeys = ['enabled', 'mode', 'folders', 'params'] as const
export type EditableKey = (typeof editableKeys)[number]

/** The values saved from the settings page, as the admin wrote them (checked before they are stored). */
export type StoredSettings = Partial<Record<EditableKey, unknown>>

const storeKey = 'settings'

/** A settings change refused: `key` names the field (`params.format`), `message` says why (core's words for params). */
export class SettingsError extends Error {
  override readonly name = 'SettingsError'
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message)
  }
}

export interface SettingsView extends Record<string, unknown> {
  editable: Pick<ResolvedConfig, EditableKey>
}

export class Settings {
  private stored: StoredSettings = {}
  private current: ResolvedConfig | null = null
  /** Changes are applied one after the other: two saves at once must not each start from the same stored values. */
  private saving: Promise<unknown> = Promise.resolve()

  constructor(private readonly strapi: Strapi.Strapi) {}

  /**
   * The effective config, or null before {@link load} ran (the register phase, when no upload can arrive yet: the
   * caller then uses the config file's own).
   */
  get effective(): ResolvedConfig | null {
    return this.current
  }

  /**
   * Reads the stored settings (the plugin's bootstrap: the store needs the database). Stored values that are no longer
   * valid (a config file or core changed under them) are set aside with a warning naming the key, not half applied.
   */
  async load(): Promise<ResolvedConfig> {
    const stored = editableOf(await this.store().get({ key: storeKey }))
    try {
      this.current = await this.resolve(stored)
      this.stored = stored
    } catch (error) {
      const reason = error instanceof ConfigError ? `${error.key}: ${error.reason}` : String(error)
      this.strapi.log.warn(`rembg: the stored settings are ignored, the config file's apply: ${reason}`)
      this.current = await this.resolve({})
      this.stored = {}
    }
    return this.current
  }

  /**
   * Checks and stores a change: the keys given replace the stored ones, `null` removes one (the config file's value
   * applies again), keys left out keep their stored value. Throws {@link SettingsError} and stores nothing when a value
   * is refused, with the same checks and messages as the config file.
   */
  update(input: unknown): Promise<ResolvedConfig> {
    const saved = this.saving.then(() => this.apply(input))
    this.saving = saved.catch(() => {})
    return saved
  }

  private async apply(input: unknown): Promise<ResolvedConfig> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new SettingsError('settings', `must be an object of ${editableKeys.join(', ')}`)
    }
    const changes = input as Record<string, unknown>
    const refused = Object.keys(changes).find((key) => !(editableKeys as readonly string[]).includes(key))
    if (refused !== undefined) {
      throw new SettingsError(
        refused,
        `${refused}: not editable at run time (set it in the config file). Editable: ${editableKeys.join(', ')}`,
      )
    }
    if (!this.current) await this.load()
    const next: StoredSettings = { ...this.stored }
    for (const key of editableKeys) {
      if (!(key in changes)) continue
      if (changes[key] === null) delete next[key]
      else next[key] = changes[key]
    }
    let resolved: ResolvedConfig
    try {
      resolved = await this.resolve(next)
    } catch (error) {
      if (error instanceof ConfigError) throw new SettingsError(error.key, `${error.key}: ${error.reason}`)
      throw error
    }
    await this.store().set({ key: storeKey, value: next })
    this.stored = next
    this.current = resolved
    return resolved
  }

  /** What `GET /rembg/settings` answers: the effective config (API key masked) and the editable values. */
  async view(): Promise<SettingsView> {
    const config = this.current ?? (await this.load())
    const { enabled, mode, folders, params } = config
    return { ...publicSettings(config), editable: { enabled, mode, folders, params } }
  }

  private async resolve(stored: StoredSettings): Promise<ResolvedConfig> {
    const file = this.strapi.config.get('plugin::rembg') as Record<string, unknown> | undefined
    return resolveConfig({ ...(file ?? {}), ...stored }, { appRoot: this.strapi.dirs.app.root, core: await loadCore() })
  }

  private store(): {
    get(params: { key: string }): Promise<unknown>
    set(params: { key: string; value: unknown }): Promise<void>
  } {
    return this.strapi.store({ type: 'plugin', name: 'rembg' })
  }
}

function editableOf(value: unknown): StoredSettings {
  if (typeof value !== 'object' || value === null) return {}
  const stored: StoredSettings = {}
  for (const key of editableKeys) if (key in value) stored[key] = (value as Record<string, unknown>)[key]
  return stored
}

export default ({ strapi }: { strapi: Strapi.Strapi }): Settings => new Settings(strapi)
