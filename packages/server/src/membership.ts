/**
 * GET /api/membership-usage: plan, credits and usage of the caller's key, as the API documents it. Billing periods
 * are UTC calendar months here (no Stripe), so `stripeBillingSynced` is always false and a period ends one second
 * before the next month starts.
 */
import {
  type BillingCycle,
  type BillingCycleSummary,
  type MembershipUsage,
  parseIntegerOption,
  RembgError,
} from '@rembg-kit/core'
import type { FastifyRequest, RouteHandlerMethod } from 'fastify'
import { type AuthPolicy, authenticate } from './auth.js'
import { type Account, type BillingPeriod, billingPeriodOf, type PeriodUsage, type UsageStore } from './store/index.js'

export interface MembershipContext {
  auth: AuthPolicy
  store: UsageStore
}

type Query = Record<string, string | string[] | undefined>

/** Which counters the top-level `app_usage` / `api_usage` report. */
type UsageWindow = { kind: 'month'; year: number; month: number } | { kind: 'cycle'; periodStartUnix: number }

export function membershipHandler(context: MembershipContext): RouteHandlerMethod {
  return async (request: FastifyRequest) => {
    // The endpoint authenticates with an API key only: anonymous access to images does not extend to it.
    const { account } = authenticate(request.headers, request.ip, { ...context.auth, anonymousDailyLimit: 0 })
    const query = request.query as Query
    const now = new Date()
    if (isOn(first(query.listBillingCycles))) {
      return { billingCycles: await listBillingCycles(context.store, account.uid, now) }
    }
    return membershipUsage(context.store, account, readWindow(query, now), wantsBillingCycle(query), now)
  }
}

async function membershipUsage(
  store: UsageStore,
  account: Account,
  window: UsageWindow,
  withBillingCycle: boolean,
  now: Date,
): Promise<MembershipUsage> {
  const usage =
    window.kind === 'cycle'
      ? await store.cycleUsage(account.uid, window.periodStartUnix)
      : await store.monthUsage(account.uid, window.year, window.month)
  const prepaidCredits = Math.max(0, account.prepaidCredits - (await store.prepaidUsed(account.uid)))
  const body: MembershipUsage = {
    membership: account.membership,
    credits: account.credits,
    prepaidCredits,
    app_usage: usage.appUsage,
    api_usage: usage.apiUsage,
  }
  if (!withBillingCycle) return body
  // With periodStartUnix the block describes that window; otherwise the current one.
  const start = window.kind === 'cycle' ? window.periodStartUnix : billingPeriodOf(now).periodStartUnix
  const cycleUsage = window.kind === 'cycle' ? usage : await store.cycleUsage(account.uid, start)
  return { ...body, billingCycle: billingCycle(account, start, cycleUsage, prepaidCredits) }
}

function billingCycle(account: Account, start: number, usage: PeriodUsage, prepaidCredits: number): BillingCycle {
  const used = usage.appUsage + usage.apiUsage
  return {
    ...cycleSummary(start, usage),
    includedCredits: account.credits,
    prepaidCredits,
    usedIncludedCredits: used,
    remainingIncludedCredits: Math.max(0, account.credits - used),
    stripeBillingSynced: false,
  }
}

function cycleSummary(start: number, usage: PeriodUsage): BillingCycleSummary {
  return {
    periodStartUnix: start,
    periodEndUnix: monthOfUnix(start).periodEndUnix,
    appUsage: usage.appUsage,
    apiUsage: usage.apiUsage,
  }
}

/** Every cycle with counters, and the current one even before its first image, newest first. */
async function listBillingCycles(store: UsageStore, uid: string, now: Date): Promise<BillingCycleSummary[]> {
  const starts = new Set([billingPeriodOf(now).periodStartUnix, ...(await store.cycles(uid))])
  const newestFirst = [...starts].sort((a, b) => b - a)
  return Promise.all(newestFirst.map(async (start) => cycleSummary(start, await store.cycleUsage(uid, start))))
}

const monthOfUnix = (seconds: number): BillingPeriod => billingPeriodOf(new Date(seconds * 1000))

// Query ----------------------------------------------------------------------------------------------------------------

function readWindow(query: Query, now: Date): UsageWindow {
  const year = first(query.year)
  const month = first(query.month)
  const periodStart = first(query.periodStartUnix)
  if (periodStart !== undefined) {
    if (year !== undefined || month !== undefined) throw periodWithMonth()
    return { kind: 'cycle', periodStartUnix: parseIntegerOption('periodStartUnix', periodStart, { min: 0 }) }
  }
  const current = billingPeriodOf(now)
  return {
    kind: 'month',
    year: year === undefined ? current.year : parseIntegerOption('year', year, { max: 9999 }),
    month: month === undefined ? current.month : parseIntegerOption('month', month, { max: 12 }),
  }
}

function wantsBillingCycle(query: Query): boolean {
  const expand = (first(query.expand) ?? '').split(',').map((flag) => flag.trim())
  return expand.includes('billing_cycle') || isOn(first(query.includeBillingCycle))
}

const isOn = (value: string | undefined): boolean => value !== undefined && /^(1|true)$/i.test(value.trim())

/** A repeated query parameter counts once, with its first value (as for form fields). */
const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)

const periodWithMonth = (): RembgError =>
  new RembgError("Cannot combine 'periodStartUnix' with 'year' or 'month'. Pass one or the other.", {
    status: 400,
    code: 'INVALID_PARAMETER',
    field: 'periodStartUnix',
  })
