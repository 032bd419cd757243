import { join } from 'node:path'
import {
  type EngineName,
  engineNames,
  filterPatterns,
  type Preset,
  parseIntegerOption,
  parsePreset,
  type RemoveParams,
  resolveParams,
} from '@rembg-kit/core'
import type { FilterPattern } from 'unplugin'

/** How much the plugin prints: nothing, one summary line per build, or one line per image as well. */
export const logLevels = ['silent', 'summary', 'verbose'] as const
export type LogLevel = (typeof logLevels)[number]

/** Engines the plugin can ask core for (core's list). */
export type { EngineName }

export interface Options {
  /**
   * Parameters applied to every `?rembg` import, under the import's own (`{ format: 'png' }`).
   * @default {}
   */
  defaults?: RemoveParams
  /**
   * Where mattes are computed: `local` runs the ONNX model in the build process.
   * @default 'local'
   */
  engine?: EngineName
  /**
   * Model of the local engine: a registry name (`rembg-kit models`) or a path to an `.onnx` file.
   * @default 'isnet-general-use'
   */
  model?: string
  /**
   * Preset of the local engine for every import: `quality`, or `fast` (IS-Net at 640x640, about 0.45x the time per
   * image, softer fine detail). An import's `&preset=` overrides it.
   * @default 'quality'
   */
  preset?: Preset
  /**
   * API key of the remote engine. Read in the build process only; never written into client code.
   * @default process.env.REMBG_API_KEY
   */
  apiKey?: string
  /** Base URL of the remote engine's rembg.com-compatible API. */
  baseUrl?: string
  /**
   * Files that may be cut out, in unplugin's filter semantics (string globs relative to the project's root, or
   * RegExps), matched on the file path without its query. An import with `rembg` of a file left out fails the build.
   * @default every file
   */
  include?: FilterPattern
  /**
   * Files never cut out (an import with `rembg` of one fails the build); exclude wins over include.
   * @default []
   */
  exclude?: FilterPattern
  /**
   * Folder of the result cache (mattes and encoded outputs); keep it between CI runs to make builds free.
   * @default '<root>/node_modules/.cache/rembg-kit'
   */
  cacheDir?: string
  /**
   * Inferences run at once.
   * @default 1
   */
  concurrency?: number
  /**
   * `silent`, `summary` (one line per build) or `verbose` (a line per image too).
   * @default 'summary'
   */
  logLevel?: LogLevel
}

export interface ResolvedOptions {
  defaults: RemoveParams
  engine: EngineName
  model: string | undefined
  preset: Preset
  apiKey: string | undefined
  baseUrl: string | undefined
  include: FilterPattern | undefined
  exclude: FilterPattern
  cacheDir: string
  concurrency: number
  logLevel: LogLevel
}

/**
 * Fills every default of the plugin's options (the only place they live) and checks what can be checked before a
 * build: `defaults` with core's parameter rules, `include`/`exclude` with core's pattern rule, `engine`, `logLevel`
 * and `concurrency`.
 *
 * @param root the project's root (see `projectRoot` in plugin.ts), under which the cache folder sits.
 * @throws RembgError when `defaults` holds an invalid parameter (core's message); Error for the other options.
 * @example
 * resolveOptions({ model: 'isnet-imgly' }, '/app').cacheDir // '/app/node_modules/.cache/rembg-kit'
 */
export function resolveOptions(options: Options = {}, root: string = process.cwd()): ResolvedOptions {
  const defaults = { ...options.defaults }
  resolveParams(defaults)
  // Core's check of a pattern option: a non-empty string or a RegExp, or a list of them.
  filterPatterns('include', options.include)
  filterPatterns('exclude', options.exclude)
  return {
    defaults,
    engine: oneOf('engine', options.engine ?? 'local', engineNames),
    model: options.model,
    preset: parsePreset(options.preset),
    apiKey: options.apiKey ?? process.env.REMBG_API_KEY,
    baseUrl: options.baseUrl,
    include: options.include,
    exclude: options.exclude ?? [],
    cacheDir: options.cacheDir ?? join(root, 'node_modules', '.cache', 'rembg-kit'),
    concurrency: parseIntegerOption('concurrency', options.concurrency ?? 1),
    logLevel: oneOf('logLevel', options.logLevel ?? 'summary', logLevels),
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((item) => item === value)
  if (found === undefined) {
    throw new Error(`rembg-kit: option '${name}' must be one of ${allowed.join(', ')}, got: '${value}'`)
  }
  return found
}
