import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/store/memory.js'
import { RedisStore } from '../src/store/redis.js'
import { type Account, periodOfMonth, type UsageStore } from '../src/store/types.js'
import { freePort, redisMissing, startRedis, type TestRedis } from './redis.js'

const march = periodOfMonth(2026, 3)

/** A fresh account per test, so tests sharing a store never see each other's counters. */
function account(credits: number, prepaidCredits: number): Account {
  return { uid: `u${randomUUID().slice(0, 8)}`, membership: 'Test', credits, prepaidCredits }
}

/**
 * The behaviour every store must have. `peer` is a second handle on the same state: for Redis another connection, as
 * a second server process would have; for memory the same store.
 */
function checkUsageStore(stores: () => { store: UsageStore; peer: UsageStore }): void {
  it('takes included credits first, then prepaid ones, then none', async () => {
    const { store } = stores()
    const user = account(2, 1)
    const charges = [] as unknown[]
    for (let i = 0; i < 4; i++) charges.push(await store.charge(user, march))
    expect(charges).toEqual(['included', 'included', 'prepaid', null])
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: 2 })
    expect(await store.cycleUsage(user.uid, march.periodStartUnix)).toEqual({ appUsage: 0, apiUsage: 2 })
    expect(await store.prepaidUsed(user.uid)).toBe(1)
  })

  it('gives included credits again each month; prepaid ones are used up once', async () => {
    const { store } = stores()
    const user = account(1, 1)
    const april = periodOfMonth(2026, 4)
    expect(await store.charge(user, march)).toBe('included')
    expect(await store.charge(user, march)).toBe('prepaid')
    expect(await store.charge(user, april)).toBe('included')
    expect(await store.charge(user, april)).toBeNull()
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: 1 })
    expect(await store.monthUsage(user.uid, 2026, 4)).toEqual({ appUsage: 0, apiUsage: 1 })
    expect(await store.cycleUsage(user.uid, april.periodStartUnix)).toEqual({ appUsage: 0, apiUsage: 1 })
  })

  it('refunds a credit to the balance that paid for it, never below zero', async () => {
    const { store } = stores()
    const user = account(1, 1)
    expect(await store.charge(user, march)).toBe('included')
    expect(await store.charge(user, march)).toBe('prepaid')
    await store.refund(user, march, 'prepaid')
    expect(await store.prepaidUsed(user.uid)).toBe(0)
    await store.refund(user, march, 'included')
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: 0 })
    expect(await store.cycleUsage(user.uid, march.periodStartUnix)).toEqual({ appUsage: 0, apiUsage: 0 })
    await store.refund(user, march, 'included')
    await store.refund(user, march, 'prepaid')
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: 0 })
    expect(await store.prepaidUsed(user.uid)).toBe(0)
    expect(await store.charge(user, march)).toBe('included')
    expect(await store.charge(user, march)).toBe('prepaid')
  })

  it('reads zero for a uid, month or cycle it never counted', async () => {
    const { store } = stores()
    const user = account(5, 0)
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: 0 })
    expect(await store.cycleUsage(user.uid, march.periodStartUnix)).toEqual({ appUsage: 0, apiUsage: 0 })
    expect(await store.prepaidUsed(user.uid)).toBe(0)
    expect(await store.cycles(user.uid)).toEqual([])
  })

  it('lists the cycles of a uid newest first, and only that uid', async () => {
    const { store } = stores()
    const user = account(5, 0)
    const other = { ...account(5, 0), uid: `${user.uid}x` }
    for (const [year, month] of [
      [2026, 1],
      [2025, 12],
      [2026, 3],
      [2026, 1],
    ] as const) {
      await store.charge(user, periodOfMonth(year, month))
    }
    await store.charge(other, periodOfMonth(2024, 6))
    const starts = [periodOfMonth(2026, 3), periodOfMonth(2026, 1), periodOfMonth(2025, 12)]
    expect(await store.cycles(user.uid)).toEqual(starts.map((period) => period.periodStartUnix))
  })

  it('allows `limit` hits per window, refusing (and not counting) the rest until the window ends', async () => {
    const { store } = stores()
    const bucket = `rate:${randomUUID()}:1`
    const hits = [] as boolean[]
    for (let i = 0; i < 4; i++) hits.push(await store.hit(bucket, 2, 1))
    expect(hits).toEqual([true, true, false, false])
    expect(await store.hit(`${bucket}-other`, 2, 1)).toBe(true)
    await sleep(1100) // the 1 s window's end: expiry is the behaviour under test
    const next = [] as boolean[]
    for (let i = 0; i < 3; i++) next.push(await store.hit(bucket, 2, 1))
    expect(next).toEqual([true, true, false])
  })

  it('never serves more than N images for N credits, whatever the concurrency', async () => {
    const { store, peer } = stores()
    const n = 5
    for (const user of [account(n, 0), account(2, n - 2)]) {
      const calls = Array.from({ length: 3 * n }, (_, i) => (i % 2 ? peer : store).charge(user, march))
      const charges = await Promise.all(calls)
      expect(charges.filter((charge) => charge !== null)).toHaveLength(n)
      expect(charges.filter((charge) => charge === 'included')).toHaveLength(user.credits)
      expect(await peer.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 0, apiUsage: user.credits })
      expect(await store.prepaidUsed(user.uid)).toBe(user.prepaidCredits)
    }
  })

  it('gives exactly `limit` hits to concurrent callers', async () => {
    const { store, peer } = stores()
    const bucket = `rate:${randomUUID()}:1`
    const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? peer : store).hit(bucket, 10, 60)))
    expect(hits.filter(Boolean)).toHaveLength(10)
  })
}

describe('MemoryStore', () => {
  const store = new MemoryStore()
  afterAll(() => store.close())
  checkUsageStore(() => ({ store, peer: store }))
})

describe.skipIf(redisMissing)('RedisStore', () => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}:`
  let redis: TestRedis
  let store: RedisStore
  let peer: RedisStore
  let raw: Redis

  beforeAll(async () => {
    redis = await startRedis()
    store = new RedisStore({ url: redis.url, keyPrefix })
    peer = new RedisStore({ url: redis.url, keyPrefix })
    raw = new Redis(redis.url)
  })
  afterAll(async () => {
    await Promise.all([store?.close(), peer?.close(), raw?.quit()])
    await redis?.stop()
  })

  checkUsageStore(() => ({ store, peer }))

  it('writes the documented key names, buckets with an expiry', async () => {
    const user = { ...account(1, 1), uid: 'names' }
    await store.charge(user, march)
    await store.charge(user, march)
    await store.hit('rate:names:7', 5, 60)
    const keys = await raw.keys(`${keyPrefix}*names*`)
    expect(keys.sort()).toEqual(
      [
        'rate:names:7',
        'user:names:api_usage:2026:3',
        `user:names:api_usage:cycle:${march.periodStartUnix}`,
        'user:names:prepaid_used',
      ].map((name) => keyPrefix + name),
    )
    expect(await raw.ttl(`${keyPrefix}rate:names:7`)).toBeGreaterThan(55)
    expect(await raw.ttl(`${keyPrefix}user:names:api_usage:2026:3`)).toBe(-1)
  })

  it('counts the app_usage another service wrote against the included credits', async () => {
    const user = account(3, 0)
    await raw.set(`${keyPrefix}user:${user.uid}:app_usage:cycle:${march.periodStartUnix}`, 2)
    await raw.set(`${keyPrefix}user:${user.uid}:app_usage:2026:3`, 2)
    expect(await store.charge(user, march)).toBe('included')
    expect(await store.charge(user, march)).toBeNull()
    expect(await store.monthUsage(user.uid, 2026, 3)).toEqual({ appUsage: 2, apiUsage: 1 })
    expect(await store.cycleUsage(user.uid, march.periodStartUnix)).toEqual({ appUsage: 2, apiUsage: 1 })
    await raw.set(`${keyPrefix}user:${user.uid}:app_usage:cycle:${periodOfMonth(2026, 1).periodStartUnix}`, 1)
    expect(await store.cycles(user.uid)).toEqual([march.periodStartUnix, periodOfMonth(2026, 1).periodStartUnix])
  })

  it('keeps stores with different key prefixes apart', async () => {
    const user = account(1, 0)
    const other = new RedisStore({ url: redis.url, keyPrefix: `${keyPrefix}other:` })
    try {
      expect(await store.charge(user, march)).toBe('included')
      expect(await other.charge(user, march)).toBe('included')
      expect(await other.cycles(user.uid)).toEqual([march.periodStartUnix])
    } finally {
      await other.close()
    }
  })

  it('fails instead of waiting forever when Redis is unreachable', async () => {
    const down = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}` })
    try {
      await expect(down.charge(account(1, 0), march)).rejects.toThrow(/ECONNREFUSED|max retries|Connection/i)
    } finally {
      await down.close()
    }
  })
})
