/**
 * What the routes run on, built once per server or plugin: the key ring, the usage store, the remover and its
 * inference queue, and the model's warm-up. Whoever builds it closes it; it closes only the store it created itself.
 */
import { createServerRemovers, warmUp } from './engine.js'
import { type KeyRing, loadKeys } from './keys.js'
import type { ResolvedPluginOptions } from './options.js'
import { InferenceQueue, type QueueStats } from './queue.js'
import type { RmbgContext } from './rmbg.js'
import { createStore, type UsageStore } from './store/index.js'

/** Whether the model is loaded: `GET /healthz` is 200 only when `ok`, so a load balancer sends no request before. */
export type Health = 'loading' | 'ok' | 'failed'

export interface AppContext extends RmbgContext {
  health: () => Health
}

/** The state a server or a host app reads: `app.rembg` once the plugin is registered. */
export interface RembgState {
  /** Settles once the model is loaded (rejects when it cannot be). */
  readonly ready: Promise<void>
  health(): Health
  /** Inferences running and requests waiting for one. */
  queueStats(): QueueStats
}

export interface RembgService extends RembgState {
  context: AppContext
  /** Releases what the service created (the store it made; a store passed in is the caller's to close). */
  close(): Promise<void>
}

/**
 * Loads the keys, opens the store and starts loading the model (`health()` says `loading` until it is).
 *
 * @example
 * const service = createService(resolvePluginOptions({ keys: 'keys.json' }), (line) => app.log.info(line))
 * await service.ready
 */
export function createService(options: ResolvedPluginOptions, log: (line: string) => void): RembgService {
  const keys: KeyRing | null = options.keys === undefined ? null : loadKeys(options.keys)
  const ownedStore = options.store === undefined ? createStore(storeOptions(options)) : undefined
  const store: UsageStore = options.store ?? (ownedStore as UsageStore)
  let health: Health = 'loading'
  const removerFor = createServerRemovers(options, log)
  const queue = new InferenceQueue(options.concurrency, options.queue)
  const context: AppContext = {
    auth: { keys, anonymousDailyLimit: options.anonymousDailyLimit },
    rate: { limit: options.rateLimit, windowSeconds: options.rateWindow },
    store,
    queue,
    removerFor,
    health: () => health,
  }
  const ready = warmUp(removerFor().engine).then(
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
  return {
    context,
    ready,
    health: () => health,
    queueStats: () => queue.stats,
    close: async () => {
      await ownedStore?.close()
    },
  }
}

function storeOptions(options: ResolvedPluginOptions): { redisUrl?: string; keyPrefix?: string } {
  return options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix }
}
