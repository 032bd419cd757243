import { MemoryStore } from './memory.js'
import { RedisStore } from './redis.js'
import type { UsageStore } from './types.js'

export { MemoryStore, type MemoryStoreOptions } from './memory.js'
export { RedisStore, type RedisStoreOptions } from './redis.js'
export * from './types.js'

export interface StoreOptions {
  /** Keep usage and rate limits in this Redis (shared by every process using it); in memory when absent. */
  redisUrl?: string
  /** Put before every Redis key name (ignored in memory). @default '' */
  keyPrefix?: string
}

/**
 * The usage store the server runs with: Redis when a URL is given, else memory (one process only).
 *
 * @example
 * const store = createStore({ redisUrl: process.env.REMBG_SERVER_REDIS })
 */
export function createStore(options: StoreOptions = {}): UsageStore {
  if (!options.redisUrl) return new MemoryStore()
  return new RedisStore({ url: options.redisUrl, keyPrefix: options.keyPrefix })
}
