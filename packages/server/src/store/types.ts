/**
 * Where usage counters and rate limits live: in memory for one process, or in Redis so that any number of server
 * processes share them. Both implement this interface and pass the same contract test.
 */

/** One API key's account, as the keys file describes it (the key itself is never stored or used as a name). */
export interface Account {
  /** Stable id derived from the key (never the key): the `{uid}` of the documented Redis key names. */
  uid: string
  /** Plan label, e.g. `Premium-20000`. */
  membership: string
  /** Included credits per billing period (UTC calendar month). */
  credits: number
  /** Prepaid credits given in the keys file; what was consumed of them is counted by the store. */
  prepaidCredits: number
}

/** A billing period: here always a UTC calendar month (`stripeBillingSynced: false`). */
export interface BillingPeriod {
  year: number
  /** 1..12 */
  month: number
  /** First second of the month, unix seconds. */
  periodStartUnix: number
  /** Last second of the month, unix seconds. */
  periodEndUnix: number
}

/** Which balance paid for an image: included credits are used first, then prepaid ones. */
export type Charge = 'included' | 'prepaid'

/** Counters of one period (calendar month or billing cycle). `appUsage` stays 0 here: this server has no web app. */
export interface PeriodUsage {
  appUsage: number
  apiUsage: number
}

export interface UsageStore {
  /**
   * Takes one credit for an image, atomically across every process sharing the store: an included credit while the
   * period's `api_usage + app_usage` is below `account.credits` (counted in both the month and the cycle keys), else a
   * prepaid one while `prepaidCredits - prepaid used` is above 0. Null when neither is left: the request gets the
   * monthly-limit 429 and nothing is counted.
   */
  charge(account: Account, period: BillingPeriod): Promise<Charge | null>
  /** Gives back a credit taken for a request that then served nothing (inference failed, client went away). */
  refund(account: Account, period: BillingPeriod, charge: Charge): Promise<void>
  /**
   * Counts one hit in a fixed window named `bucket` (e.g. `rate:{uid}:{windowIndex}`, `anon:{ip}:{day}`) that expires
   * after `windowSeconds`. True when the hit is within `limit`; false (and not counted) when the limit was reached.
   */
  hit(bucket: string, limit: number, windowSeconds: number): Promise<boolean>
  /** The counters of a UTC calendar month (`user:{uid}:app_usage:{year}:{month}`, `user:{uid}:api_usage:...`). */
  monthUsage(uid: string, year: number, month: number): Promise<PeriodUsage>
  /** The counters of a billing cycle (`user:{uid}:app_usage:cycle:{periodStartUnix}`, `...api_usage:cycle:...`). */
  cycleUsage(uid: string, periodStartUnix: number): Promise<PeriodUsage>
  /** The periodStartUnix of every cycle this uid has counters for, newest first. */
  cycles(uid: string): Promise<number[]>
  /** Prepaid credits consumed so far (they do not reset each period). */
  prepaidUsed(uid: string): Promise<number>
  close(): Promise<void>
}

/** The UTC calendar month that contains `date`. */
export function billingPeriodOf(date: Date): BillingPeriod {
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth() + 1
  return periodOfMonth(year, month)
}

/** The UTC calendar month `year`-`month` (1..12) as a billing period. */
export function periodOfMonth(year: number, month: number): BillingPeriod {
  const start = Date.UTC(year, month - 1, 1) / 1000
  const next = Date.UTC(year, month, 1) / 1000
  return { year, month, periodStartUnix: start, periodEndUnix: next - 1 }
}
