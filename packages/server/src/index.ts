/**
 * @rembg-kit/server: a self-hostable server that speaks the rembg.com API (`POST /rmbg`, `GET
 * /api/membership-usage`), built on @rembg-kit/core. Run it with `rembg-kit-server`, or embed it with
 * {@link createServer}.
 */
import type { FastifyInstance } from 'fastify'
import { type AppContext, buildApp, type Health } from './app.js'
import { createServerRemover, warmUp } from './engine.js'
import { type KeyRing, loadKeys } from './keys.js'
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.js'
import { InferenceQueue, type QueueStats } from './queue.js'
import { createStore, type UsageStore } from './store/index.js'

export type { Health } from './app.js'
export type { KeyEntry } from './keys.js'
export { uidOf } from './keys.js'
export type { LogStream, ResolvedServerOptions, ServerOptions } from './options.js'
export type { QueueStats } from './queue.js'
export type { Account, UsageStore } from './store/index.js'
export { createStore, MemoryStore, RedisStore } from './store/index.js'

export interface RembgServer {
  /** The fastify instance (for `inject()` in tests, or to add routes before `listen()`). */
  app: FastifyInstance
  /** The options in force, defaults filled. */
  options: ResolvedServerOptions
  /** Settles once the model is loaded (rejects when it cannot be). */
  ready: Promise<void>
  health(): Health
  /** Inferences running and requests waiting for one. */
  queueStats(): QueueStats
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:3000`. */
  listen(): Promise<string>
  /** The base URL once listening. */
  readonly address: string | undefined
  /** Stops accepting connections, lets the requests in flight finish, then releases the store. */
  close(): Promise<void>
}

/**
 * Creates the server and starts loading the model; `listen()` may be called at once (`/healthz` says 503 until the
 * model is loaded).
 *
 * @example
 * const server = createServer({ port: 0, keys: 'keys.json', model: 'isnet-general-use' })
 * const url = await server.listen()
 * await server.ready
 * // ... later
 * await server.close()
 */
export function createServer(options: ServerOptions = {}): RembgServer {
  const resolved = resolveServerOptions(options)
  const keys: KeyRing | null = resolved.keys === undefined ? null : loadKeys(resolved.keys)
  const store = resolved.store ?? createStore(storeOptions(resolved))
  let health: Health = 'loading'
  // The model's load line goes to the app's log; the app is built just below, before anything is logged.
  let app: FastifyInstance | undefined
  const remover = createServerRemover(resolved, (line) => app?.log.info(line))
  const context: AppContext = {
    auth: { keys, anonymousDailyLimit: resolved.anonymousDailyLimit },
    rate: { limit: resolved.rateLimit, windowSeconds: resolved.rateWindow },
    store,
    queue: new InferenceQueue(resolved.concurrency, resolved.queue),
    remover,
    health: () => health,
  }
  app = buildApp(resolved, context)
  const ready = warmUp(remover.engine).then(
    () => {
      health = 'ok'
    },
    (error: unknown) => {
      health = 'failed'
      throw error
    },
  )
  // Whoever does not await `ready` still sees the failure in /healthz; nobody gets an unhandled rejection.
  ready.catch(() => {})
  return serverHandle(app, resolved, context, ready, resolved.store === undefined ? store : undefined)
}

function storeOptions(options: ResolvedServerOptions): { redisUrl?: string; keyPrefix?: string } {
  return options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix }
}

function serverHandle(
  app: FastifyInstance,
  options: ResolvedServerOptions,
  context: AppContext,
  ready: Promise<void>,
  ownedStore: UsageStore | undefined,
): RembgServer {
  let address: string | undefined
  return {
    app,
    options,
    ready,
    health: context.health,
    queueStats: () => context.queue.stats,
    get address() {
      return address
    },
    async listen() {
      await app.listen({ port: options.port, host: options.host })
      address = baseUrl(app)
      return address
    },
    async close() {
      await app.close()
      await ownedStore?.close()
    },
  }
}

function baseUrl(app: FastifyInstance): string {
  const info = app.server.address()
  if (info === null || typeof info === 'string') throw new Error('The server is not listening on a TCP port')
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
  return `http://${host}:${info.port}`
}

/**
 * Creates the server and listens: what the CLI runs.
 *
 * @example
 * const server = await startServer({ port: 8080, host: '0.0.0.0', redisUrl: 'redis://redis:6379' })
 */
export async function startServer(options: ServerOptions = {}): Promise<RembgServer> {
  const server = createServer(options)
  await server.listen()
  return server
}
