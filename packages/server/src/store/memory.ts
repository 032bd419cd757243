import { parseIntegerOption } from '@rembg-kit/core'
import { LRUCache } from 'lru-cache'
import { cycleKeyPrefixes, cycleKeys, cycleStartOf, monthKeys, prepaidUsedKey } from './names.js'
import type { Account, BillingPeriod, Charge, PeriodUsage, UsageStore } from './types.js'

interface Window {
  count: number
  expiresAt: number
}

/** Expired windows are dropped at most this often, so a stream of one-off buckets (`anon:{ip}:{day}`) cannot pile up. */
const sweepEveryMs = 60_000

export interface MemoryStoreOptions {
  /**
   * Rate-limit windows kept at most (one per client IP or key and window). Past it the least recently hit window is
   * forgotten: that client starts a fresh window, so set it above the clients one window sees.
   * @default 100_000
   */
  maxWindows?: number
}

/**
 * Usage and rate limits of one process, kept in memory (lost on restart). JavaScript runs one callback at a time, so
 * each method is atomic without locks; several processes need {@link RedisStore} instead.
 *
 * Memory stays bounded in a process that runs for months: the rate-limit windows, one per client IP and window, are
 * dropped once their window has ended and capped in number (least recently hit first); the usage counters are per
 * account of the keys file and per month, the history the membership endpoint reports.
 *
 * @example
 * const store = new MemoryStore()
 * await store.charge(account, billingPeriodOf(new Date())) // 'included' | 'prepaid' | null
 */
export class MemoryStore implements UsageStore {
  readonly #counters = new Map<string, number>()
  readonly #windows: LRUCache<string, Window>
  #nextSweep = 0

  constructor(options: MemoryStoreOptions = {}) {
    this.#windows = new LRUCache({ max: parseIntegerOption('maxWindows', options.maxWindows ?? 100_000) })
  }

  /** Rate-limit windows held now (at most `maxWindows`). */
  get windowCount(): number {
    return this.#windows.size
  }

  async charge(account: Account, period: BillingPeriod): Promise<Charge | null> {
    const cycle = cycleKeys(account.uid, period.periodStartUnix)
    if (this.#get(cycle.api) + this.#get(cycle.app) < account.credits) {
      this.#add(monthKeys(account.uid, period.year, period.month).api, 1)
      this.#add(cycle.api, 1)
      return 'included'
    }
    const prepaid = prepaidUsedKey(account.uid)
    if (this.#get(prepaid) < account.prepaidCredits) {
      this.#add(prepaid, 1)
      return 'prepaid'
    }
    return null
  }

  async refund(account: Account, period: BillingPeriod, charge: Charge): Promise<void> {
    if (charge === 'prepaid') {
      this.#add(prepaidUsedKey(account.uid), -1)
      return
    }
    this.#add(monthKeys(account.uid, period.year, period.month).api, -1)
    this.#add(cycleKeys(account.uid, period.periodStartUnix).api, -1)
  }

  async hit(bucket: string, limit: number, windowSeconds: number): Promise<boolean> {
    const now = Date.now()
    this.#sweep(now)
    let window = this.#windows.get(bucket)
    if (!window || window.expiresAt <= now) {
      window = { count: 0, expiresAt: now + windowSeconds * 1000 }
      this.#windows.set(bucket, window)
    }
    if (window.count >= limit) return false
    window.count++
    return true
  }

  async monthUsage(uid: string, year: number, month: number): Promise<PeriodUsage> {
    const keys = monthKeys(uid, year, month)
    return { appUsage: this.#get(keys.app), apiUsage: this.#get(keys.api) }
  }

  async cycleUsage(uid: string, periodStartUnix: number): Promise<PeriodUsage> {
    const keys = cycleKeys(uid, periodStartUnix)
    return { appUsage: this.#get(keys.app), apiUsage: this.#get(keys.api) }
  }

  async cycles(uid: string): Promise<number[]> {
    const prefixes = cycleKeyPrefixes(uid)
    const starts = new Set<number>()
    for (const key of this.#counters.keys()) {
      const start = prefixes.some((prefix) => key.startsWith(prefix)) ? cycleStartOf(key) : null
      if (start !== null) starts.add(start)
    }
    return [...starts].sort((a, b) => b - a)
  }

  async prepaidUsed(uid: string): Promise<number> {
    return this.#get(prepaidUsedKey(uid))
  }

  async close(): Promise<void> {
    this.#counters.clear()
    this.#windows.clear()
  }

  #get(key: string): number {
    return this.#counters.get(key) ?? 0
  }

  /** Adds `delta`, never below 0: a refund cannot make a counter negative. */
  #add(key: string, delta: number): void {
    this.#counters.set(key, Math.max(0, this.#get(key) + delta))
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return
    this.#nextSweep = now + sweepEveryMs
    const ended = [...this.#windows.entries()].filter(([, window]) => window.expiresAt <= now)
    for (const [bucket] of ended) this.#windows.delete(bucket)
  }
}
