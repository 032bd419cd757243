import { Redis } from 'ioredis'
import { cycleKeyPrefixes, cycleKeys, cycleStartOf, monthKeys, prepaidUsedKey, type UsageKeys } from './names.js'
import type { Account, BillingPeriod, Charge, PeriodUsage, UsageStore } from './types.js'

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` for TLS. */
  url: string
  /** Put before every key name, e.g. `test-1234:`, so several users of one Redis do not see each other. @default '' */
  keyPrefix?: string
}

// Each script reads and writes in one step on the Redis server, so processes sharing a Redis never both take the last
// credit or the last slot of a window. A missing key reads as `false` in Lua, hence `or 0`.

/** KEYS: month api, cycle api, cycle app, prepaid used. ARGV: included credits, prepaid credits. */
const chargeLua = `
local used = tonumber(redis.call('GET', KEYS[2]) or 0) + tonumber(redis.call('GET', KEYS[3]) or 0)
if used < tonumber(ARGV[1]) then
  redis.call('INCR', KEYS[1])
  redis.call('INCR', KEYS[2])
  return 'included'
end
if tonumber(redis.call('GET', KEYS[4]) or 0) < tonumber(ARGV[2]) then
  redis.call('INCR', KEYS[4])
  return 'prepaid'
end
return false`

/** KEYS: the counters to give one back to; a refund never makes a counter negative. */
const refundLua = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or 0) > 0 then redis.call('DECR', key) end
end
return 0`

/** KEYS: the bucket. ARGV: limit, window seconds. The first hit starts the window (its expiry); a refused hit is not counted. */
const hitLua = `
if tonumber(redis.call('GET', KEYS[1]) or 0) >= tonumber(ARGV[1]) then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`

interface UsageCommands {
  usageCharge(...keysAndArgs: (string | number)[]): Promise<Charge | null>
  usageRefund(numberOfKeys: number, ...keys: string[]): Promise<number>
  usageHit(bucket: string, limit: number, windowSeconds: number): Promise<number>
}

/**
 * Usage and rate limits in Redis, shared by every server process that uses the same Redis, under the documented key
 * names. charge, refund and hit are each one Lua script (atomic on the Redis server).
 *
 * Connection options, chosen so that a Redis outage shows up as failed requests instead of requests that wait forever:
 * `connectTimeout` 5 s (per connection attempt), `maxRetriesPerRequest` 1 (a command queued while disconnected fails
 * after one more reconnection attempt), `commandTimeout` 5 s (a Redis that accepts connections but does not answer).
 * ioredis keeps reconnecting in the background, so the store recovers by itself when Redis is back.
 *
 * @example
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379' })
 * await store.charge(account, billingPeriodOf(new Date())) // 'included' | 'prepaid' | null
 * await store.close()
 */
export class RedisStore implements UsageStore {
  readonly #redis: Redis & UsageCommands
  readonly #prefix: string

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.keyPrefix ?? ''
    const redis = new Redis(options.url, { connectTimeout: 5000, maxRetriesPerRequest: 1, commandTimeout: 5000 })
    // Every failed command rejects with the error; without a listener ioredis would also print each reconnection failure.
    redis.on('error', () => {})
    redis.defineCommand('usageCharge', { numberOfKeys: 4, lua: chargeLua })
    redis.defineCommand('usageRefund', { lua: refundLua })
    redis.defineCommand('usageHit', { numberOfKeys: 1, lua: hitLua })
    // defineCommand adds the methods at run time; ioredis has no way to type them.
    this.#redis = redis as Redis & UsageCommands
  }

  async charge(account: Account, period: BillingPeriod): Promise<Charge | null> {
    const month = monthKeys(account.uid, period.year, period.month)
    const cycle = cycleKeys(account.uid, period.periodStartUnix)
    const keys = [month.api, cycle.api, cycle.app, prepaidUsedKey(account.uid)].map((key) => this.#key(key))
    return this.#redis.usageCharge(...keys, account.credits, account.prepaidCredits)
  }

  async refund(account: Account, period: BillingPeriod, charge: Charge): Promise<void> {
    const keys =
      charge === 'prepaid'
        ? [prepaidUsedKey(account.uid)]
        : [monthKeys(account.uid, period.year, period.month).api, cycleKeys(account.uid, period.periodStartUnix).api]
    await this.#redis.usageRefund(keys.length, ...keys.map((key) => this.#key(key)))
  }

  async hit(bucket: string, limit: number, windowSeconds: number): Promise<boolean> {
    return (await this.#redis.usageHit(this.#key(bucket), limit, windowSeconds)) === 1
  }

  async monthUsage(uid: string, year: number, month: number): Promise<PeriodUsage> {
    return this.#usage(monthKeys(uid, year, month))
  }

  async cycleUsage(uid: string, periodStartUnix: number): Promise<PeriodUsage> {
    return this.#usage(cycleKeys(uid, periodStartUnix))
  }

  async cycles(uid: string): Promise<number[]> {
    const starts = new Set<number>()
    for (const prefix of cycleKeyPrefixes(uid)) {
      // SCAN walks the keyspace in small steps; KEYS would block Redis for every other client while it runs.
      const stream = this.#redis.scanStream({ match: `${escapeGlob(this.#key(prefix))}*`, count: 500 })
      for await (const keys of stream as AsyncIterable<string[]>) {
        for (const key of keys) {
          const start = cycleStartOf(key)
          if (start !== null) starts.add(start)
        }
      }
    }
    return [...starts].sort((a, b) => b - a)
  }

  async prepaidUsed(uid: string): Promise<number> {
    return Number((await this.#redis.get(this.#key(prepaidUsedKey(uid)))) ?? 0)
  }

  async close(): Promise<void> {
    // QUIT waits for the replies still due; when Redis is unreachable there are none to wait for, so just drop it.
    if (this.#redis.status === 'ready') await this.#redis.quit()
    else this.#redis.disconnect()
  }

  async #usage(keys: UsageKeys): Promise<PeriodUsage> {
    const [api, app] = await this.#redis.mget(this.#key(keys.api), this.#key(keys.app))
    return { appUsage: Number(app ?? 0), apiUsage: Number(api ?? 0) }
  }

  #key(name: string): string {
    return this.#prefix + name
  }
}

/** Escapes the characters SCAN's MATCH treats as a pattern, so a uid or prefix is matched literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
