import type { OutputFormat, Preset, RemoveParams } from '@rembg-kit/core'
import type { FilterPattern } from 'unplugin'
import type { EngineName, LogLevel } from '../core/options.js'

/** A RegExp of `include`/`exclude` as JSON: loader options cross to Turbopack's workers as plain JSON. */
type PatternJson = string | { source: string; flags: string }

/** What `withRembg` gives its loader: the resolved plugin options, as JSON, and where the loader runs. */
export interface NextLoaderOptions {
  /** `image`: Turbopack, the cutout's bytes; `module`: webpack, the static image module. */
  kind: 'image' | 'module'
  /** Turbopack: the format the rule's `as` declares (null for the rule catching any other `format=`). */
  format?: OutputFormat | null
  /** webpack: which compilation runs the loader, as next-image-loader reads it. */
  compilerType?: 'client' | 'server' | 'edge-server'
  dev?: boolean
  assetPrefix?: string
  defaults: RemoveParams
  engine: EngineName
  model?: string
  preset: Preset
  baseUrl?: string
  cacheDir?: string
  concurrency: number
  logLevel: LogLevel
  include: PatternJson[] | null
  exclude: PatternJson[]
}

export function writePatterns(pattern: FilterPattern | undefined): PatternJson[] {
  if (pattern === undefined) return []
  const list = Array.isArray(pattern) ? pattern : [pattern]
  return list.map((item) => (item instanceof RegExp ? { source: item.source, flags: item.flags } : item))
}

/** The filter patterns back from their JSON form. */
export function readPatterns(options: Pick<NextLoaderOptions, 'include' | 'exclude'>): {
  include: FilterPattern | undefined
  exclude: FilterPattern
} {
  const read = (list: PatternJson[]): (string | RegExp)[] =>
    list.map((item) => (typeof item === 'string' ? item : new RegExp(item.source, item.flags)))
  return { include: options.include ? read(options.include) : undefined, exclude: read(options.exclude) }
}
