/**
 * Usage: one credit per served image (included credits first, then prepaid), nothing for a refused request, and GET
 * /api/membership-usage answering as documented: year/month, periodStartUnix, expand=billing_cycle,
 * includeBillingCycle, listBillingCycles, and the 400 answers. Requests go in with fastify's inject(): the network is
 * not under test here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore, uidOf } from '../src/index.js'
import { billingPeriodOf, periodOfMonth } from '../src/store/index.js'
import { errorOf, postImage, scenePng, startTestApp, type TestApp } from './helpers.js'

const key = 'rk_membership_0001'
const account = { key, membership: 'Starter-2', credits: 2, prepaidCredits: 1 }
const freshKey = 'rk_membership_fresh_0002'
const headers = { 'x-api-key': key }
const current = billingPeriodOf(new Date())
// An earlier month with usage of its own, written to the store directly: the server only ever charges the current one.
const march = periodOfMonth(2026, 3)

let api: TestApp
const store = new MemoryStore()

beforeAll(async () => {
  api = await startTestApp({
    store,
    keys: [account, { key: freshKey, membership: 'Premium-20000', credits: 20000, prepaidCredits: 500 }],
  })
  await store.charge({ ...account, uid: uidOf(key), credits: 5 }, march)
  const image = await scenePng(32, 24)
  // Two included credits, then the prepaid one; the fourth image finds nothing left.
  for (let i = 0; i < 3; i++) expect((await postImage(api.fetch, { image, headers })).status).toBe(200)
  const refused = await postImage(api.fetch, { image, headers })
  expect(refused.status).toBe(429)
  // A refused parameter costs nothing either.
  expect((await postImage(api.fetch, { image, headers, fields: { w: 'abc' } })).status).toBe(400)
})
afterAll(async () => {
  await api?.close()
  await store.close()
})

async function usage(query: string, key_ = key): Promise<{ status: number; body: unknown }> {
  const response = await api.fetch(`/api/membership-usage${query}`, { headers: { 'x-api-key': key_ } })
  return { status: response.status, body: await response.json() }
}

const currentCycle = {
  periodStartUnix: current.periodStartUnix,
  periodEndUnix: current.periodEndUnix,
  appUsage: 0,
  apiUsage: 2,
  includedCredits: 2,
  prepaidCredits: 0,
  usedIncludedCredits: 2,
  remainingIncludedCredits: 0,
  stripeBillingSynced: false,
}

describe('GET /api/membership-usage', () => {
  it("reports a fresh key's plan and zero usage", async () => {
    expect(await usage('', freshKey)).toEqual({
      status: 200,
      body: { membership: 'Premium-20000', credits: 20000, prepaidCredits: 500, app_usage: 0, api_usage: 0 },
    })
  })

  it('counts the included credits of the current month and the prepaid credits left', async () => {
    const expected = { membership: 'Starter-2', credits: 2, prepaidCredits: 0, app_usage: 0, api_usage: 2 }
    expect(await usage('')).toEqual({ status: 200, body: expected })
    expect(await usage(`?year=${current.year}&month=${current.month}`)).toEqual({ status: 200, body: expected })
    expect(await usage(`?periodStartUnix=${current.periodStartUnix}`)).toEqual({ status: 200, body: expected })
  })

  it('reads another calendar month or billing window when asked', async () => {
    const march_ = { membership: 'Starter-2', credits: 2, prepaidCredits: 0, app_usage: 0, api_usage: 1 }
    expect(await usage('?year=2026&month=3')).toEqual({ status: 200, body: march_ })
    expect(await usage(`?periodStartUnix=${march.periodStartUnix}`)).toEqual({ status: 200, body: march_ })
    expect(await usage('?year=2025&month=3')).toMatchObject({ body: { api_usage: 0 } })
  })

  it('adds the billingCycle block with expand=billing_cycle or includeBillingCycle=1|true', async () => {
    const body = { membership: 'Starter-2', credits: 2, prepaidCredits: 0, app_usage: 0, api_usage: 2 }
    for (const query of [
      '?expand=billing_cycle',
      '?expand=foo,billing_cycle',
      '?includeBillingCycle=1',
      '?includeBillingCycle=true',
    ]) {
      expect(await usage(query)).toEqual({ status: 200, body: { ...body, billingCycle: currentCycle } })
    }
  })

  it('describes the requested window in billingCycle when periodStartUnix is given', async () => {
    expect(await usage(`?periodStartUnix=${march.periodStartUnix}&expand=billing_cycle`)).toMatchObject({
      status: 200,
      body: {
        api_usage: 1,
        billingCycle: {
          periodStartUnix: march.periodStartUnix,
          periodEndUnix: periodOfMonth(2026, 4).periodStartUnix - 1,
          apiUsage: 1,
          usedIncludedCredits: 1,
          remainingIncludedCredits: 1,
          stripeBillingSynced: false,
        },
      },
    })
  })

  it('lists the billing cycles newest first with listBillingCycles, ignoring other parameters', async () => {
    const expected = {
      billingCycles: [
        { periodStartUnix: current.periodStartUnix, periodEndUnix: current.periodEndUnix, appUsage: 0, apiUsage: 2 },
        { periodStartUnix: march.periodStartUnix, periodEndUnix: march.periodEndUnix, appUsage: 0, apiUsage: 1 },
      ],
    }
    expect(await usage('?listBillingCycles=1')).toEqual({ status: 200, body: expected })
    expect(await usage('?listBillingCycles=true&year=abc&expand=billing_cycle')).toEqual({
      status: 200,
      body: expected,
    })
  })

  it('lists the current cycle even before its first image', async () => {
    expect(await usage('?listBillingCycles=1', freshKey)).toEqual({
      status: 200,
      body: {
        billingCycles: [
          { periodStartUnix: current.periodStartUnix, periodEndUnix: current.periodEndUnix, appUsage: 0, apiUsage: 0 },
        ],
      },
    })
  })

  it('answers 400 to periodStartUnix combined with year or month', async () => {
    const expected = {
      status: 400,
      body: { error: "Cannot combine 'periodStartUnix' with 'year' or 'month'. Pass one or the other.", status: 400 },
    }
    expect(await usage(`?periodStartUnix=${march.periodStartUnix}&year=2026`)).toEqual(expected)
    expect(await usage(`?periodStartUnix=${march.periodStartUnix}&month=3`)).toEqual(expected)
  })

  it('answers 400 to a year or month out of range or not a number, in the API wording', async () => {
    const bad = (error: string) => ({ status: 400, body: { error, status: 400 } })
    expect(await usage('?month=13')).toEqual(bad("'month' must be between 1 and 12, got: 13"))
    expect(await usage('?month=0')).toEqual(bad("'month' must be between 1 and 12, got: 0"))
    expect(await usage('?year=0')).toEqual(bad("'year' must be between 1 and 9999, got: 0"))
    expect(await usage('?year=10000')).toEqual(bad("'year' must be between 1 and 9999, got: 10000"))
    expect(await usage('?year=twenty')).toEqual(bad("'year' must be an integer, got: 'twenty'"))
    expect(await usage('?periodStartUnix=soon')).toEqual(bad("'periodStartUnix' must be an integer, got: 'soon'"))
  })

  it('answers 401 without a key or with an unknown one', async () => {
    const invalid = { status: 401, body: { error: 'invalid api key', status: 401 } }
    expect(await errorOf(await api.fetch('/api/membership-usage'))).toEqual(invalid)
    expect(await usage('', 'rk_unknown')).toEqual(invalid)
  })
})

describe('an open server (no keys file)', () => {
  let open: TestApp
  beforeAll(async () => {
    open = await startTestApp()
  })
  afterAll(() => open?.close())

  it('serves without a key and counts the images under the anonymous account', async () => {
    const image = await scenePng(32, 24)
    expect((await postImage(open.fetch, { image })).status).toBe(200)
    const response = await open.fetch('/api/membership-usage')
    expect(await response.json()).toMatchObject({ membership: 'Anonymous', app_usage: 0, api_usage: 1 })
  })
})
