/**
 * The in-memory store stays bounded in a server that runs for months: rate-limit windows (one per client IP) are
 * capped in number and dropped once their window has ended, and the limits still apply to the clients it holds.
 * Many client IPs come in through inject()'s remoteAddress; the clock is moved with fake timers, never waited for.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServer, MemoryStore, type RembgServer } from '../src/index.js'
import { errorOf, injectFetch, plainImage, postImage } from './helpers.js'

const opaque = {
  id: 'opaque',
  fingerprint: async () => 'opaque',
  matte: async (image: { width: number; height: number }) => new Uint8Array(image.width * image.height).fill(255),
}

const tooQuick = {
  status: 429,
  body: { error: "You're making requests too quickly, Please Upgrade or slow down.", status: 429 },
}

describe('the rate-limit windows of many client IPs', () => {
  const maxWindows = 50
  const store = new MemoryStore({ maxWindows })
  let server: RembgServer
  let png: Buffer
  beforeAll(async () => {
    server = createServer({ engine: opaque, store, rateLimit: 1, rateWindow: 3600, logLevel: 'silent' })
    await server.app.ready()
    png = await plainImage(8, 8)
  })
  afterAll(async () => {
    await server?.close()
    await store.close()
  })

  // An invalid parameter is answered after the rate limit: each request is counted, none reaches the model.
  const from = (ip: string) => postImage(injectFetch(server.app, ip), { image: png, fields: { w: 'abc' } })

  it('keeps at most maxWindows of them, and still refuses a client over its limit', async () => {
    for (let i = 0; i < 500; i++) {
      expect((await from(`10.0.${i >> 8}.${i & 255}`)).status).toBe(400)
      expect(store.windowCount).toBeLessThanOrEqual(maxWindows)
    }
    expect(store.windowCount).toBe(maxWindows)
    // The clients seen last are held: their second request in the window is refused.
    expect(await errorOf(await from('10.0.1.243'))).toEqual(tooQuick)
    expect(await errorOf(await from('10.0.1.200'))).toEqual(tooQuick)
    // A new client gets its own window.
    expect((await from('192.168.7.7')).status).toBe(400)
    expect(store.windowCount).toBe(maxWindows)
  })
})

describe('windows that have ended', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('are dropped: a client that comes back after its window starts a fresh one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'))
    const store = new MemoryStore()
    for (let i = 0; i < 20; i++) expect(await store.hit(`rate:ip:10.1.0.${i}:0`, 1, 60)).toBe(true)
    expect(await store.hit('rate:ip:10.1.0.0:0', 1, 60)).toBe(false)
    expect(store.windowCount).toBe(20)
    // Past the windows' end (and the sweep's interval), the next hit sweeps the ended windows away.
    vi.setSystemTime(new Date('2026-12-07T10:02:00Z'))
    expect(await store.hit('rate:ip:10.1.0.0:0', 1, 60)).toBe(true)
    expect(store.windowCount).toBe(1)
    await store.close()
  })

  it('refuses a cap that cannot work', () => {
    expect(() => new MemoryStore({ maxWindows: 0 })).toThrow(/^'maxWindows' must be at least 1, got: 0$/)
  })
})
