/**
 * `rembg-kit-server`: flags and environment variables onto {@link ServerOptions}, then start, and stop gracefully on
 * SIGTERM/SIGINT (requests in flight finish first; close-with-grace). A flag wins over its environment variable.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { describeError, parseIntegerOption } from '@rembg-kit/core'
import closeWithGrace from 'close-with-grace'
import { type RembgServer, type ServerOptions, startServer } from './index.js'

type Kind = 'integer' | 'string' | 'proxy'

interface Setting {
  flag: string
  env: string
  option: keyof ServerOptions
  kind: Kind
  help: string
}

/** Every setting, once: the parser, the environment and `--help` all read this table. */
export const settings: readonly Setting[] = [
  { flag: 'port', env: 'PORT', option: 'port', kind: 'integer', help: 'port to listen on (default 3000)' },
  { flag: 'host', env: 'HOST', option: 'host', kind: 'string', help: 'interface (default 127.0.0.1; 0.0.0.0: all)' },
  { flag: 'keys', env: 'REMBG_SERVER_KEYS', option: 'keys', kind: 'string', help: 'keys file (default: open server)' },
  { flag: 'model', env: 'REMBG_SERVER_MODEL', option: 'model', kind: 'string', help: 'model name or .onnx path' },
  {
    flag: 'preset',
    env: 'REMBG_SERVER_PRESET',
    option: 'preset',
    kind: 'string',
    help: 'quality (default) or fast, for requests without a preset field',
  },
  {
    flag: 'concurrency',
    env: 'REMBG_SERVER_CONCURRENCY',
    option: 'concurrency',
    kind: 'integer',
    help: 'inferences at once (default 1)',
  },
  {
    flag: 'queue',
    env: 'REMBG_SERVER_QUEUE',
    option: 'queue',
    kind: 'integer',
    help: 'requests waiting for inference before 503 (default 32)',
  },
  { flag: 'redis', env: 'REDIS_URL', option: 'redisUrl', kind: 'string', help: 'Redis URL (default: in memory)' },
  {
    flag: 'redis-prefix',
    env: 'REMBG_SERVER_REDIS_PREFIX',
    option: 'redisKeyPrefix',
    kind: 'string',
    help: 'prefix of every Redis key (default none)',
  },
  {
    flag: 'rate-limit',
    env: 'REMBG_SERVER_RATE_LIMIT',
    option: 'rateLimit',
    kind: 'integer',
    help: 'requests per key per window, 0: off (default 60)',
  },
  {
    flag: 'rate-window',
    env: 'REMBG_SERVER_RATE_WINDOW',
    option: 'rateWindow',
    kind: 'integer',
    help: 'rate window in seconds (default 60)',
  },
  {
    flag: 'anonymous-daily-limit',
    env: 'REMBG_SERVER_ANONYMOUS_DAILY_LIMIT',
    option: 'anonymousDailyLimit',
    kind: 'integer',
    help: 'keyless requests per IP per day with a keys file (default 0: refused)',
  },
  {
    flag: 'cache-dir',
    env: 'REMBG_SERVER_CACHE_DIR',
    option: 'cacheDir',
    kind: 'string',
    help: 'cache results in this folder (default: no cache)',
  },
  {
    flag: 'cache-max-size',
    env: 'REMBG_SERVER_CACHE_MAX_SIZE',
    option: 'cacheMaxSize',
    kind: 'string',
    help: 'most the cache may hold, least recently used removed first (default 1GB)',
  },
  {
    flag: 'request-timeout',
    env: 'REMBG_SERVER_REQUEST_TIMEOUT',
    option: 'requestTimeout',
    kind: 'integer',
    help: 'seconds to receive a whole request, 0: none (default 120)',
  },
  {
    flag: 'headers-timeout',
    env: 'REMBG_SERVER_HEADERS_TIMEOUT',
    option: 'headersTimeout',
    kind: 'integer',
    help: "seconds to receive a request's headers (default 30)",
  },
  {
    flag: 'trust-proxy',
    env: 'REMBG_SERVER_TRUST_PROXY',
    option: 'trustProxy',
    kind: 'proxy',
    help: 'trust X-Forwarded-For: true, or proxy addresses/CIDRs (default false)',
  },
  {
    flag: 'log-level',
    env: 'REMBG_SERVER_LOG_LEVEL',
    option: 'logLevel',
    kind: 'string',
    help: 'fatal, error, warn, info, debug, trace or silent (default info)',
  },
]

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Reads the options from the command line and the environment (`--help` and `--version` are answered by runMain).
 *
 * @example
 * parseCommandLine(['--port', '8080', '--keys', 'keys.json'], { REDIS_URL: 'redis://localhost:6379' })
 * // { port: 8080, keys: 'keys.json', redisUrl: 'redis://localhost:6379' }
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ServerOptions {
  const parsed = parseArgs({
    args: [...argv],
    options: Object.fromEntries(settings.map((setting) => [setting.flag, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  }).values as Record<string, string | undefined>
  const options: Record<string, unknown> = {}
  for (const setting of settings) {
    const raw = parsed[setting.flag] ?? env[setting.env]
    if (raw !== undefined && raw !== '') options[setting.option] = convert(setting, raw)
  }
  return options as ServerOptions
}

function convert(setting: Setting, raw: string): unknown {
  if (setting.kind === 'string') return raw
  if (setting.kind === 'proxy') return /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : raw
  // Only whether it is an integer: the ranges are resolveServerOptions' to check, whoever gives the value.
  try {
    return parseIntegerOption(setting.option, raw, { min: Number.MIN_SAFE_INTEGER })
  } catch (error) {
    throw new UsageError(`--${setting.flag} (${setting.env}): ${describeError(error)}`)
  }
}

export function usage(): string {
  const rows = settings.map((s) => `  --${`${s.flag} <value>`.padEnd(32)} ${s.env.padEnd(36)} ${s.help}`)
  return [
    'Usage: rembg-kit-server [options]',
    '',
    'A server that speaks the rembg.com API: POST /rmbg, GET /api/membership-usage, GET /healthz.',
    '',
    `  ${'flag'.padEnd(34)} ${'environment variable'.padEnd(36)} meaning`,
    ...rows,
    `  ${'--help, --version'.padEnd(34)}`,
    '',
  ].join('\n')
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

/**
 * The program: parse, start, wait for the model, stop on a signal. Sets `process.exitCode` (2: bad usage, 1: the
 * server could not start) instead of exiting, except after a signal, where the loaded model's threads would
 * otherwise keep the process alive.
 */
export async function runMain(argv: readonly string[] = process.argv.slice(2), env = process.env): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(usage())
  if (argv.includes('--version')) return void process.stdout.write(`${version()}\n`)
  let options: ServerOptions
  try {
    options = parseCommandLine(argv, env)
  } catch (error) {
    process.stderr.write(`rembg-kit-server: ${describeError(error)}\n\n${usage()}`)
    process.exitCode = 2
    return
  }
  const server = await startServer(options).catch((error: unknown) => {
    process.stderr.write(`rembg-kit-server: ${describeError(error)}\n`)
    process.exitCode = 1
    return null
  })
  if (!server) return
  const graceful = stopOnSignals(server)
  await server.ready.then(
    () => server.app.log.info(`rembg-kit-server: model loaded, ready at ${server.address}`),
    async (error: unknown) => {
      server.app.log.fatal({ err: error }, 'rembg-kit-server: the model could not be loaded')
      process.exitCode = 1
      graceful.uninstall()
      await server.close()
    },
  )
}

/**
 * A signal (SIGTERM from `docker stop`, Ctrl-C, ...) or an uncaught error closes the server: no new connections, the
 * requests in flight finish, then the process exits (0 after a signal, 1 after an error or a failed close); the
 * loaded model's threads would otherwise keep it alive. A second signal exits 1 at once, abandoning those requests.
 * No time limit of our own: the request timeout bounds every request, the orchestrator's stop timeout the rest.
 */
function stopOnSignals(server: RembgServer): { uninstall(): void } {
  const log = server.app.log
  return closeWithGrace(
    {
      delay: false,
      // The event loop emptying is no reason to stop here: it happens only after the model failed (exit code 1 set).
      skip: ['beforeExit'],
      logger: { error: (what: unknown) => log.error(what instanceof Error ? { err: what } : String(what)) },
    },
    async ({ signal, err }) => {
      if (err) log.fatal({ err }, 'rembg-kit-server: uncaught error, finishing the requests in flight')
      else log.info(`rembg-kit-server: ${signal}, finishing the requests in flight`)
      await server.close()
      log.info('rembg-kit-server: stopped')
    },
  )
}
