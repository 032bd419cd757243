/**
 * The short-term rate limit and the anonymous daily limit, as fixed windows counted in the store (so every process
 * sharing a Redis shares them). A refused hit is not counted, so a client that slows down is let back in on time.
 */
import { dailyLimitReached, tooManyRequests } from '@rembg-kit/core/internal'
import type { Caller } from './auth.js'
import { retryAfter } from './http-errors.js'
import type { UsageStore } from './store/index.js'

export interface RatePolicy {
  /** Requests per window; 0 turns the short-term limit off. */
  limit: number
  /** Window length, in seconds. */
  windowSeconds: number
}

const secondsPerDay = 86_400

/**
 * Counts one request of `caller`, or throws the API's 429: short-term (with `Retry-After`, the seconds to the
 * window's end) or, for an anonymous client, the daily one.
 */
export async function checkLimits(
  store: UsageStore,
  caller: Caller,
  rate: RatePolicy,
  now = Date.now(),
): Promise<void> {
  if (rate.limit > 0) {
    const window = Math.floor(now / 1000 / rate.windowSeconds)
    const allowed = await store.hit(`rate:${caller.rateSubject}:${window}`, rate.limit, rate.windowSeconds)
    if (!allowed) throw retryAfter(tooManyRequests(), (window + 1) * rate.windowSeconds - Math.floor(now / 1000))
  }
  if (caller.anonymousDailyLimit !== undefined) {
    const day = new Date(now).toISOString().slice(0, 10)
    const allowed = await store.hit(`anon:${caller.ip}:${day}`, caller.anonymousDailyLimit, secondsPerDay)
    if (!allowed) throw dailyLimitReached()
  }
}
