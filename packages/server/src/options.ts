/**
 * The server's options: every field optional for the caller, resolved once into {@link ResolvedServerOptions} (the
 * plugin's part into {@link ResolvedPluginOptions}), the only place defaults live. The CLI and the environment
 * variables map onto these same fields (see cli.ts).
 */
import { type Engine, type Preset, parseIntegerOption, parsePreset } from '@rembg-kit/core'
import type { KeyEntry } from './keys.js'
import type { UsageStore } from './store/index.js'

/** Anything pino can write its JSON lines to. */
export interface LogStream {
  write(line: string): void
}

/** What the routes need: who may call, what counts, what computes the mattes. The {@link rembgServer} plugin's options. */
export interface RembgPluginOptions {
  /**
   * The keys file (path to a JSON array) or its entries. Absent: the server is open, every request is allowed and
   * counted under the uid `anonymous`.
   */
  keys?: string | readonly KeyEntry[]
  /**
   * The model that computes the mattes (a core registry name or a path to an `.onnx` file).
   * @default 'isnet-general-use'
   */
  model?: string
  /**
   * The local engine's preset for requests that send no `preset` field: `quality`, or `fast` (IS-Net at 640x640,
   * about 0.45x the time per image, softer fine detail). A request's `preset` form field (our extension of the API)
   * chooses per request.
   * @default 'quality'
   */
  preset?: Preset
  /** Computes the mattes instead of a local model (tests, or a server in front of another API). */
  engine?: Engine
  /**
   * Inferences run at once.
   * @default 1
   */
  concurrency?: number
  /**
   * Requests allowed to wait for an inference slot; one more gets 503 with `Retry-After`.
   * @default 32
   */
  queue?: number
  /** Keep usage and rate limits in this Redis, shared by every server process using it. Default: in memory. */
  redisUrl?: string
  /** Put before every Redis key (several deployments on one Redis, tests). @default '' */
  redisKeyPrefix?: string
  /** Use this store instead of creating one (the caller closes it: the server closes only the store it created). */
  store?: UsageStore
  /**
   * Requests per key (per client IP without a key) per rate window; 0 turns the short-term limit off.
   * @default 60
   */
  rateLimit?: number
  /**
   * Length of the short-term rate window, in seconds.
   * @default 60
   */
  rateWindow?: number
  /**
   * With a keys file: requests without a key allowed per client IP per UTC day; 0 refuses them (401).
   * @default 0
   */
  anonymousDailyLimit?: number
  /** Cache results on disk in this folder (identical requests then cost no inference). Default: no cache. */
  cacheDir?: string
  /**
   * The most the cache folder may hold, in bytes or as `'2GB'` (units of 1024); past it, the least recently used
   * entries are removed (core's `cacheMaxSize`). A long-running server's cache would otherwise grow without end.
   * @default '1GB'
   */
  cacheMaxSize?: number | string
}

/** The plugin's options and the HTTP server's own: where to listen, timeouts, proxies, logging. */
export interface ServerOptions extends RembgPluginOptions {
  /**
   * Port to listen on; 0 picks a free one (tests).
   * @default 3000
   */
  port?: number
  /**
   * Interface to listen on. `0.0.0.0` (all interfaces) in a container.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Longest time to receive a whole request, in seconds (0: none). Bounds a slow upload.
   * @default 120
   */
  requestTimeout?: number
  /**
   * Longest time to receive a request's headers, in seconds.
   * @default 30
   */
  headersTimeout?: number
  /**
   * Trust `X-Forwarded-For` to find the client IP behind a load balancer: `true` trusts any proxy, a string lists the
   * proxies' addresses or CIDR ranges (`10.0.0.0/8,127.0.0.1`).
   * @default false
   */
  trustProxy?: boolean | string
  /**
   * Log level (`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`).
   * @default 'info'
   */
  logLevel?: string
  /** Where log lines go (pino's JSON lines). Default: stdout. */
  logStream?: LogStream
}

type Unset = 'keys' | 'engine' | 'redisUrl' | 'store' | 'cacheDir'

export interface ResolvedPluginOptions extends Required<Omit<RembgPluginOptions, Unset>> {
  keys: string | readonly KeyEntry[] | undefined
  engine: Engine | undefined
  redisUrl: string | undefined
  store: UsageStore | undefined
  cacheDir: string | undefined
}

export interface ResolvedServerOptions
  extends ResolvedPluginOptions,
    Required<Omit<ServerOptions, Unset | 'logStream' | keyof RembgPluginOptions>> {
  logStream: LogStream | undefined
}

/** Fills the plugin's defaults into a new object, and refuses numbers that cannot work (a zero window). */
export function resolvePluginOptions(options: RembgPluginOptions = {}): ResolvedPluginOptions {
  const resolved: ResolvedPluginOptions = {
    keys: options.keys,
    model: options.model ?? 'isnet-general-use',
    preset: parsePreset(options.preset),
    engine: options.engine,
    concurrency: options.concurrency ?? 1,
    queue: options.queue ?? 32,
    redisUrl: options.redisUrl,
    redisKeyPrefix: options.redisKeyPrefix ?? '',
    store: options.store,
    rateLimit: options.rateLimit ?? 60,
    rateWindow: options.rateWindow ?? 60,
    anonymousDailyLimit: options.anonymousDailyLimit ?? 0,
    cacheDir: options.cacheDir,
    cacheMaxSize: options.cacheMaxSize ?? '1GB',
  }
  parseIntegerOption('concurrency', resolved.concurrency)
  parseIntegerOption('queue', resolved.queue, { min: 0 })
  parseIntegerOption('rateLimit', resolved.rateLimit, { min: 0 })
  parseIntegerOption('rateWindow', resolved.rateWindow)
  parseIntegerOption('anonymousDailyLimit', resolved.anonymousDailyLimit, { min: 0 })
  return resolved
}

/** Fills every default into a new object, and refuses numbers that cannot work (a negative port, a zero window). */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const resolved: ResolvedServerOptions = {
    ...resolvePluginOptions(options),
    port: options.port ?? 3000,
    host: options.host ?? '127.0.0.1',
    requestTimeout: options.requestTimeout ?? 120,
    headersTimeout: options.headersTimeout ?? 30,
    trustProxy: options.trustProxy ?? false,
    logLevel: options.logLevel ?? 'info',
    logStream: options.logStream,
  }
  parseIntegerOption('port', resolved.port, { min: 0, max: 65535 })
  parseIntegerOption('requestTimeout', resolved.requestTimeout, { min: 0 })
  parseIntegerOption('headersTimeout', resolved.headersTimeout)
  if (resolved.requestTimeout > 0 && resolved.headersTimeout > resolved.requestTimeout) {
    // Node refuses this pair: the headers are part of the request.
    throw new TypeError(
      `Option 'headersTimeout' (${resolved.headersTimeout}) must not exceed 'requestTimeout' (${resolved.requestTimeout})`,
    )
  }
  return resolved
}
