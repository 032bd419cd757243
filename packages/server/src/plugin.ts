/**
 * The server as a fastify plugin, for teams that mount it in an app of their own: the same routes, keys, limits and
 * queue as `rembg-kit-server`, with the host app's logger, timeouts and listening.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { type RembgPluginOptions, resolvePluginOptions } from './options.js'
import { rembgRoutes } from './routes.js'
import { createService, type RembgState } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The rembg routes' state: model loading (`ready`, `health()`) and the inference queue. */
    rembg: RembgState
  }
}

export interface RembgServerPluginOptions extends RembgPluginOptions {
  /** Mounts the routes under this path (`/bg/rmbg`, `/bg/healthz`, ...). @default '' */
  prefix?: string
}

async function plugin(app: FastifyInstance, options: RembgServerPluginOptions): Promise<void> {
  const { prefix = '', ...rest } = options
  const service = createService(resolvePluginOptions(rest), (line) => app.log.info(line))
  // The host app decides what to do about it; /healthz answers 503 meanwhile, so it must not go unnoticed.
  service.ready.catch((error: unknown) => app.log.error({ err: error }, 'rembg: the model could not be loaded'))
  app.decorate('rembg', { ready: service.ready, health: service.health, queueStats: service.queueStats })
  // Only what the plugin made is released: a store passed in stays open for its owner.
  app.addHook('onClose', () => service.close())
  await app.register(rembgRoutes(service.context), { prefix })
}

/**
 * `app.register(rembgServer, options)`: `POST /rmbg`, `GET /api/membership-usage` and `GET /healthz` in an app of
 * your own, under `prefix`. The routes keep their error answers and body parsing to themselves; `app.rembg` tells
 * when the model is loaded. Closing the app closes the store the plugin opened (a `store` passed in stays open).
 *
 * @example
 * const app = Fastify({ logger: true })
 * await app.register(rembgServer, { prefix: '/bg', keys: 'keys.json', redisUrl: process.env.REDIS_URL })
 * await app.listen({ port: 3000 })
 * await app.rembg.ready // the model is loaded
 */
export const rembgServer: FastifyPluginAsync<RembgServerPluginOptions> = fp(plugin, {
  name: '@rembg-kit/server',
  fastify: '5.x',
})
