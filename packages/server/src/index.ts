/**
 * @rembg-kit/server: a self-hostable server that speaks the rembg.com API (`POST /rmbg`, `GET
 * /api/membership-usage`), built on @rembg-kit/core. Run it with `rembg-kit-server`, or embed it with
 * {@link createServer}.
 */
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.js'
import { createService, type RembgService, type RembgState } from './service.js'

export type { KeyEntry } from './keys.js'
export { uidOf } from './keys.js'
export type {
  LogStream,
  RembgPluginOptions,
  ResolvedPluginOptions,
  ResolvedServerOptions,
  ServerOptions,
} from './options.js'
export { type RembgServerPluginOptions, rembgServer } from './plugin.js'
export type { QueueStats } from './queue.js'
export type { Health, RembgState } from './service.js'
export type { Account, UsageStore } from './store/index.js'
export { createStore, MemoryStore, type MemoryStoreOptions, RedisStore } from './store/index.js'

export interface RembgServer extends RembgState {
  /** The fastify instance (for `inject()` in tests, or to add routes before `listen()`). */
  app: FastifyInstance
  /** The options in force, defaults filled. */
  options: ResolvedServerOptions
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:3000`. */
  listen(): Promise<string>
  /** The base URL once listening. */
  readonly address: string | undefined
  /** Stops accepting connections, lets the requests in flight finish, then releases the store it opened. */
  close(): Promise<void>
}

/**
 * Creates the server and starts loading the model; `listen()` may be called at once (`/healthz` says 503 until the
 * model is loaded). To mount the routes in an app of your own instead, register {@link rembgServer}.
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
  // The model's load line goes to the app's log; the app is built just below, before anything is logged.
  let app: FastifyInstance | undefined
  const service = createService(resolved, (line) => app?.log.info(line))
  app = buildApp(resolved, service)
  return serverHandle(app, resolved, service)
}

function serverHandle(app: FastifyInstance, options: ResolvedServerOptions, service: RembgService): RembgServer {
  let address: string | undefined
  return {
    app,
    options,
    ready: service.ready,
    health: service.health,
    queueStats: service.queueStats,
    get address() {
      return address
    },
    async listen() {
      await app.listen({ port: options.port, host: options.host })
      address = baseUrl(app)
      return address
    },
    // Closing the app closes the service (its onClose hook) once the requests in flight are answered.
    close: () => app.close(),
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
