/**
 * The API's membership endpoint (`GET /api/membership-usage`): plan, credits and usage of the key's account, and what
 * a batch on the remote engine may spend.
 */
import { ApiClient, type ApiClientOptions, usageBaseUrl } from './api-client.js'
import { RembgError } from './errors.js'

export interface MembershipUsageQuery {
  /** A UTC calendar month (with `month`); both default to the current one. Not with `periodStartUnix`. */
  year?: number
  month?: number
  /** A billing window by its start (unix seconds). Not with `year` or `month`. */
  periodStartUnix?: number
  /** Adds `billingCycle` (same as `expand=billing_cycle`). */
  includeBillingCycle?: boolean
  /** Returns only `{ billingCycles }`; the other fields are ignored. */
  listBillingCycles?: boolean
}

export interface BillingCycle {
  periodStartUnix: number
  periodEndUnix: number
  appUsage: number
  apiUsage: number
  includedCredits: number
  prepaidCredits: number
  usedIncludedCredits: number
  remainingIncludedCredits: number
  stripeBillingSynced: boolean
}

export interface MembershipUsage {
  membership: string
  /** Included (plan) credits per period. */
  credits: number
  /** Prepaid balance; does not reset each period. */
  prepaidCredits: number
  app_usage: number
  api_usage: number
  billingCycle?: BillingCycle
}

export interface BillingCycleSummary {
  periodStartUnix: number
  periodEndUnix: number
  appUsage: number
  apiUsage: number
}

export type MembershipUsageOptions = ApiClientOptions & MembershipUsageQuery & { signal?: AbortSignal }

/**
 * Reads the account's plan, credits and usage. The hosted API answers this on www.rembg.com; any other `baseUrl`
 * (our server) answers it itself.
 *
 * @example
 * const usage = await getMembershipUsage({ apiKey, includeBillingCycle: true })
 * console.log(usage.membership, remainingCredits(usage))
 */
export async function getMembershipUsage(
  options: MembershipUsageOptions & { listBillingCycles: true },
): Promise<{ billingCycles: BillingCycleSummary[] }>
export async function getMembershipUsage(options?: MembershipUsageOptions): Promise<MembershipUsage>
export async function getMembershipUsage(
  options: MembershipUsageOptions = {},
): Promise<MembershipUsage | { billingCycles: BillingCycleSummary[] }> {
  const api = new ApiClient({ ...options, baseUrl: usageBaseUrl(options.baseUrl) })
  const body = await api.request({
    method: 'get',
    path: '/api/membership-usage',
    params: usageQuery(options),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new RembgError(`${api.baseUrl} answered the membership request with something that is not JSON.`, {
      status: 502,
      code: 'API_ERROR',
    })
  }
}

/** The documented query parameters, leaving out what is not set. */
export function usageQuery(query: MembershipUsageQuery): Record<string, string> {
  if (query.listBillingCycles) return { listBillingCycles: '1' }
  const params: Record<string, string> = {}
  if (query.year !== undefined) params.year = String(query.year)
  if (query.month !== undefined) params.month = String(query.month)
  if (query.periodStartUnix !== undefined) params.periodStartUnix = String(query.periodStartUnix)
  if (query.includeBillingCycle) params.expand = 'billing_cycle'
  return params
}

/**
 * Images the account can still pay for: included credits left in the period plus the prepaid balance.
 *
 * @example
 * remainingCredits({ credits: 100, app_usage: 10, api_usage: 50, prepaidCredits: 5, membership: 'Basic' }) // 45
 */
export function remainingCredits(usage: MembershipUsage): number {
  const included = usage.billingCycle
    ? usage.billingCycle.remainingIncludedCredits
    : Math.max(0, usage.credits - usage.app_usage - usage.api_usage)
  return included + usage.prepaidCredits
}
