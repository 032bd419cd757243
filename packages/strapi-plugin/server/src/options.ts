/**
 * The plugin's configuration (`config/plugins.ts`, key `rembg`): what a user writes, and the one place its defaults
 * live. Output parameters and models are core's: their checks and messages come from core, with the config key added.
 */
import { join } from 'node:path'
import type { EngineName, FilterPattern, Preset, RemoveParams, ResolvedParams } from '@rembg-kit/core'
import type { Core } from './core'

export const modes = ['variant', 'replace'] as const
export type Mode = (typeof modes)[number]

/** A glob (case ignored) or a RegExp on the file name. */
export type NamePattern = string | RegExp

/** What a user writes under `rembg.config`; every field optional. */
export interface RembgPluginConfig {
  /** `false` lets every upload pass untouched (the admin routes still process on request). @default true */
  enabled?: boolean
  /**
   * `variant` keeps the upload and adds the cutout as `formats.rembg`; `replace` makes the cutout the main file and
   * keeps the original as `formats.original`.
   * @default 'variant'
   */
  mode?: Mode
  /** Core's output parameters (`format`, `w`, `h`, `exact_resize`, `mask`, `bg_color`, `angle`, `expand`). @default {} (core's defaults: webp) */
  params?: RemoveParams
  /** @default 'local' */
  engine?: EngineName
  /** Core's model option: a registry name or a path to an `.onnx` file. @default core's default model */
  model?: string
  /** Local engine preset: `quality`, or `fast` (IS-Net at 640x640, about 0.45x the time per image, softer fine detail). @default 'quality' */
  preset?: Preset
  /** Key of the remote engine (read it from the environment). @default undefined */
  apiKey?: string
  /** Base URL of the remote engine. @default undefined */
  baseUrl?: string
  /** Globs (or RegExps) on the file name; a file must match one when any is given. @default [] */
  include?: FilterPattern
  /** Globs (or RegExps) on the file name; exclude wins over include. @default [] */
  exclude?: FilterPattern
  /** Media Library folder paths by name (`/Products`); a folder includes its subfolders. Empty: every folder. @default [] */
  folders?: string[]
  /** Uploads larger than this many bytes pass untouched; a stored file larger than this is not read back. @default 20_000_000 */
  maxSize?: number
  /**
   * Milliseconds the upload provider has to deliver a stored original when it is read back (reprocess, folder and
   * library jobs, work resumed after a restart); past it the file's status is `failed`.
   * @default 30_000
   */
  readTimeout?: number
  /** Answer the upload first and process afterwards (status `pending` until done). @default false */
  async?: boolean
  /**
   * Files processed at once, one limit for everything: uploads, reprocessing and backfills. With `engine: 'remote'`
   * pointed at a fleet of servers it may exceed this machine's cores. @default 1
   */
  concurrency?: number
  /**
   * Milliseconds a graceful stop (SIGTERM, SIGINT) waits for running work; the rest stays `pending` in the database
   * and runs at the next boot. Keep it under the container's stop timeout (10 s by default). @default 8000
   */
  shutdownTimeout?: number
  /** Core's result cache. @default '<app>/.cache/rembg-kit' */
  cacheDir?: string
  /**
   * The most the result cache may hold, in bytes or as `'2GB'` (units of 1024); the least recently used entries are
   * removed first. A Strapi server runs for months: without a bound its cache grows with every upload.
   * @default '1GB'
   */
  cacheMaxSize?: number | string
}

export interface ResolvedConfig {
  enabled: boolean
  mode: Mode
  params: ResolvedParams
  engine: EngineName
  model: string
  preset: Preset
  apiKey: string | null
  baseUrl: string | null
  include: NamePattern[]
  exclude: NamePattern[]
  folders: string[]
  maxSize: number
  /** Milliseconds. */
  readTimeout: number
  async: boolean
  concurrency: number
  /** Milliseconds. */
  shutdownTimeout: number
  cacheDir: string
  /** Bytes. */
  cacheMaxSize: number
}

/** What resolving needs from core (passed in, because core is an ES module the plugin's CommonJS build imports lazily). */
export type ConfigCore = Pick<
  Core,
  | 'resolveParams'
  | 'resolveModelSpec'
  | 'defaultModel'
  | 'engineNames'
  | 'parseIntegerOption'
  | 'filterPatterns'
  | 'describeError'
  | 'parseCacheSize'
  | 'parsePreset'
>

const configKeys = [
  'enabled',
  'mode',
  'params',
  'engine',
  'model',
  'preset',
  'apiKey',
  'baseUrl',
  'include',
  'exclude',
  'folders',
  'maxSize',
  'readTimeout',
  'async',
  'concurrency',
  'shutdownTimeout',
  'cacheDir',
  'cacheMaxSize',
] as const

/** A configuration the plugin refuses; thrown from `register`, so the app does not boot. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(
    /** The key path, as written in the config: `params.format`. */
    readonly key: string,
    /** What is wrong, core's message word for word when core checked it. */
    readonly reason: string,
  ) {
    super(`plugin::rembg config ${key}: ${reason}`)
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value))

/**
 * Checks the user's config and fills every default. Throws {@link ConfigError} naming the key; a bad `params` value
 * gives core's own message (`plugin::rembg config params.format: Invalid format 'gif'. ...`).
 *
 * @example
 * resolveConfig({ params: { format: 'png' } }, { appRoot: '/srv/app', core })
 * // { mode: 'variant', params: { format: 'png', ... }, engine: 'local', cacheDir: '/srv/app/.cache/rembg-kit', ... }
 */
export function resolveConfig(raw: unknown, context: { appRoot: string; core: ConfigCore }): ResolvedConfig {
  const config = asRecord(raw ?? {}, 'config', 'an object')
  const unknown = Object.keys(config).find((key) => !(configKeys as readonly string[]).includes(key))
  if (unknown !== undefined) throw new ConfigError(unknown, `unknown key. Known keys: ${configKeys.join(', ')}`)
  const { core } = context
  const engine = oneOf('engine', config.engine ?? 'local', core.engineNames)
  return {
    enabled: boolean('enabled', config.enabled ?? true),
    mode: oneOf('mode', config.mode ?? 'variant', modes),
    params: resolveOutputParams(config.params, core),
    engine,
    model: resolveModel(config.model, core),
    preset: coreCheck('preset', () => core.parsePreset(config.preset, engine), core),
    apiKey: optionalString('apiKey', config.apiKey),
    baseUrl: optionalString('baseUrl', config.baseUrl),
    include: coreCheck('include', () => core.filterPatterns('include', config.include), core),
    exclude: coreCheck('exclude', () => core.filterPatterns('exclude', config.exclude), core),
    folders: resolveFolders(config.folders),
    maxSize: positiveNumber('maxSize', config.maxSize ?? 20_000_000),
    readTimeout: coreCheck(
      'readTimeout',
      () => core.parseIntegerOption('readTimeout', config.readTimeout ?? 30_000),
      core,
    ),
    async: boolean('async', config.async ?? false),
    concurrency: coreCheck('concurrency', () => core.parseIntegerOption('concurrency', config.concurrency ?? 1), core),
    shutdownTimeout: coreCheck(
      'shutdownTimeout',
      () => core.parseIntegerOption('shutdownTimeout', config.shutdownTimeout ?? 8000, { min: 0 }),
      core,
    ),
    cacheDir: optionalString('cacheDir', config.cacheDir) ?? join(context.appRoot, '.cache', 'rembg-kit'),
    // Core reads the size, so `2GB` means here what it means everywhere.
    cacheMaxSize: coreCheck(
      'cacheMaxSize',
      () => context.core.parseCacheSize('cacheMaxSize', (config.cacheMaxSize ?? '1GB') as number | string),
      context.core,
    ),
  }
}

function asRecord(value: unknown, key: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(key, `must be ${expected}, got ${show(value)}`)
  }
  return value as Record<string, unknown>
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((option) => option === value)
  if (found === undefined) {
    throw new ConfigError(key, `must be ${allowed.map(show).join(' or ')}, got ${show(value)}`)
  }
  return found
}

/** A check core owns, its message kept word for word with the config key in front. */
function coreCheck<T>(key: string, check: () => T, core: ConfigCore): T {
  try {
    return check()
  } catch (error) {
    throw new ConfigError(key, core.describeError(error))
  }
}

/** Core checks the parameters; its message is kept word for word, with the key path in front. */
function resolveOutputParams(value: unknown, core: ConfigCore): ResolvedParams {
  const params = asRecord(value ?? {}, 'params', "an object of core's output parameters")
  try {
    return core.resolveParams(params)
  } catch (error) {
    throw paramsError(error)
  }
}

function paramsError(error: unknown): Error {
  if (!(error instanceof Error)) return new ConfigError('params', String(error))
  const { field, details } = error as { field?: string; details?: { field: string; message: string }[] }
  if (details && details.length > 0) {
    const lines = details.map((detail) => `params.${detail.field}: ${detail.message}`)
    return new ConfigError('params', `${error.message}:\n  ${lines.join('\n  ')}`)
  }
  return new ConfigError(field ? `params.${field}` : 'params', error.message)
}

function resolveModel(value: unknown, core: ConfigCore): string {
  const model = optionalString('model', value) ?? core.defaultModel
  coreCheck('model', () => core.resolveModelSpec({ model }), core)
  return model
}

function optionalString(key: string, value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(key, `must be a non-empty string, got ${key === 'apiKey' ? typeOf(value) : show(value)}`)
  return value
}

/** What a mistyped secret is, without its value (a message may reach a log). */
const typeOf = (value: unknown): string => (value === '' ? 'an empty string' : `a ${typeof value}`)

function boolean(key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(key, `must be true or false, got ${show(value)}`)
  return value
}

function positiveNumber(key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0))
    throw new ConfigError(key, `must be a number above 0, got ${show(value)}`)
  return value
}

/** Folder paths by name, as the Media Library shows them: `/Products/Shoes`; a trailing slash is dropped. */
function resolveFolders(value: unknown): string[] {
  const folders = value ?? []
  const valid =
    Array.isArray(folders) && folders.every((folder) => typeof folder === 'string' && folder.startsWith('/'))
  if (!valid) throw new ConfigError('folders', `must be an array of folder paths starting with '/', got ${show(value)}`)
  return (folders as string[]).map((folder) => (folder.length > 1 ? folder.replace(/\/+$/, '') : folder))
}

/**
 * The effective config for the settings route: defaults filled, the API key never shown (not even partly), nor
 * credentials written into `baseUrl`. Keys are listed one by one (the type makes a new key fail until it is listed
 * here), so a secret added later is not shown by accident.
 */
export function publicSettings(config: ResolvedConfig): Record<keyof ResolvedConfig, unknown> {
  return {
    enabled: config.enabled,
    mode: config.mode,
    params: config.params,
    engine: config.engine,
    model: config.model,
    preset: config.preset,
    apiKey: config.apiKey === null ? null : '********',
    baseUrl: config.baseUrl === null ? null : withoutCredentials(config.baseUrl),
    include: config.include.map(String),
    exclude: config.exclude.map(String),
    folders: config.folders,
    maxSize: config.maxSize,
    readTimeout: config.readTimeout,
    async: config.async,
    concurrency: config.concurrency,
    shutdownTimeout: config.shutdownTimeout,
    cacheDir: config.cacheDir,
    cacheMaxSize: config.cacheMaxSize,
  }
}

/** `https://user:secret@host/` shown as `https://********:********@host/`; anything unparsable as it is. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.username === '' && parsed.password === '') return url
    if (parsed.username !== '') parsed.username = '********'
    if (parsed.password !== '') parsed.password = '********'
    return parsed.toString()
  } catch {
    return url
  }
}
