/**
 * The server as a fastify plugin in an app of the team's own: the routes under a prefix, the host's own routes,
 * 404 and error answers left alone, `app.rembg` telling when the model is loaded, a store passed in left open at
 * close, and (over real HTTP, the host's own logger at trace, without any redaction of its own) no API key in its log.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore, rembgServer } from '../src/index.js'
import { billingPeriodOf } from '../src/store/index.js'
import { errorOf, type Fetch, injectFetch, LogCapture, postImage, scenePng, testModel } from './helpers.js'

const key = 'rk_plugin_secret_5e4d3c2b1a'
const keys = [{ key, membership: 'Pro', credits: 10, prepaidCredits: 0, uid: 'team' }]

describe('app.register(rembgServer, options)', () => {
  let app: FastifyInstance
  let send: Fetch
  const store = new MemoryStore()
  let closedStores = 0
  beforeAll(async () => {
    app = Fastify()
    app.get('/hello', async () => ({ hello: 'world' }))
    app.get('/boom', async () => {
      throw Object.assign(new Error('the host app failed'), { statusCode: 418 })
    })
    const watched = Object.assign(store, { close: async () => void closedStores++ })
    await app.register(rembgServer, { prefix: '/bg', keys, model: testModel, store: watched })
    await app.ready()
    await app.rembg.ready
    send = injectFetch(app)
  })
  afterAll(() => app?.close())

  it('serves POST /rmbg, the membership endpoint and /healthz under the prefix', async () => {
    expect(app.rembg.health()).toBe('ok')
    expect(await (await send('/bg/healthz')).json()).toEqual({ status: 'ok' })
    const image = await scenePng(64, 48)
    const served = await postImage((path, init) => send(`/bg${path}`, init), {
      image,
      fields: { format: 'png' },
      headers: { 'x-api-key': key },
    })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    const usage = await send('/bg/api/membership-usage', { headers: { 'x-api-key': key } })
    expect(await usage.json()).toMatchObject({ membership: 'Pro', api_usage: 1 })
    expect(app.rembg.queueStats()).toEqual({ running: 0, waiting: 0 })
  })

  it("answers the API's errors on its routes and leaves the host's routes, 404 and errors alone", async () => {
    const refused = await postImage((path, init) => send(`/bg${path}`, init), { image: Buffer.from('x') })
    expect(await errorOf(refused)).toEqual({ status: 401, body: { error: 'invalid api key', status: 401 } })
    expect(await (await send('/hello')).json()).toEqual({ hello: 'world' })
    // fastify's own answers, not the API's `{ error, status }`.
    expect(await errorOf(await send('/nowhere'))).toEqual({
      status: 404,
      body: { message: 'Route GET:/nowhere not found', error: 'Not Found', statusCode: 404 },
    })
    expect(await errorOf(await send('/boom'))).toEqual({
      status: 418,
      body: { message: 'the host app failed', error: "I'm a Teapot", statusCode: 418 },
    })
    expect((await send('/rmbg', { method: 'POST' })).status).toBe(404)
  })

  it('leaves a store passed in open when the app closes', async () => {
    await app.close()
    expect(closedStores).toBe(0)
    const period = billingPeriodOf(new Date())
    expect(await store.monthUsage('team', period.year, period.month)).toEqual({ appUsage: 0, apiUsage: 1 })
  })
})

describe("the plugin in a host app whose logger is at trace, with no redaction of the host's own", () => {
  const logs = new LogCapture()
  let app: FastifyInstance
  let url: string
  beforeAll(async () => {
    app = Fastify({ logger: { level: 'trace', stream: logs } })
    await app.register(rembgServer, { keys, model: testModel })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
    await app.rembg.ready
  })
  afterAll(() => app?.close())

  it('writes the request and busboy options to the log, never the API key or the Authorization header', async () => {
    const basic = `Basic ${Buffer.from('team:hunter2-password').toString('base64')}`
    const response = await postImage(url, {
      image: await scenePng(32, 24),
      headers: { 'x-api-key': key, authorization: basic },
    })
    expect(response.status).toBe(200)
    const busboy = logs.lines.filter((line) => line.includes('"msg":"Providing options to busboy"'))
    expect(busboy).toHaveLength(1)
    expect(busboy[0]).toContain('"x-api-key":"[redacted]"')
    expect(busboy[0]).toContain('"authorization":"[redacted]"')
    expect(logs.text).toContain('"msg":"incoming request"')
    expect(logs.text).not.toContain(key)
    expect(logs.text).not.toContain(basic.slice('Basic '.length))
  })
})
