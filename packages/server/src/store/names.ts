/**
 * The Redis key names of the rembg.com API (documented with its membership endpoint), in one place. The memory store
 * uses the same names, so both stores count exactly the same things.
 */

/** The two counters of one period: `api_usage` (written by this server) and `app_usage` (a web app's; read only). */
export interface UsageKeys {
  api: string
  app: string
}

/** `user:{uid}:api_usage:{year}:{month}` and its app_usage twin; the month is not zero-padded (1..12). */
export function monthKeys(uid: string, year: number, month: number): UsageKeys {
  return { api: `user:${uid}:api_usage:${year}:${month}`, app: `user:${uid}:app_usage:${year}:${month}` }
}

/** `user:{uid}:api_usage:cycle:{periodStartUnix}` and its app_usage twin. */
export function cycleKeys(uid: string, periodStartUnix: number): UsageKeys {
  return {
    api: `user:${uid}:api_usage:cycle:${periodStartUnix}`,
    app: `user:${uid}:app_usage:cycle:${periodStartUnix}`,
  }
}

/** Prepaid credits consumed by `uid`; they do not reset each period. */
export function prepaidUsedKey(uid: string): string {
  return `user:${uid}:prepaid_used`
}

/** The prefixes before `{periodStartUnix}` of every cycle counter of `uid`. */
export function cycleKeyPrefixes(uid: string): string[] {
  return [`user:${uid}:api_usage:cycle:`, `user:${uid}:app_usage:cycle:`]
}

/** The periodStartUnix at the end of a cycle key, or null when the key ends in anything else. */
export function cycleStartOf(key: string): number | null {
  const start = Number(key.slice(key.lastIndexOf(':') + 1))
  return Number.isSafeInteger(start) && start >= 0 ? start : null
}
