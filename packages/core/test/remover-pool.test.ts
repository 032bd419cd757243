import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransferProgress } from '../src/api-client.js'
import { pooledRemover, pooledRemoverCount, removeBackground, removerPoolLimit } from '../src/remove.js'

const width = 40
const height = 30
let photo: Buffer
let mask: Buffer
let server: Server
let baseUrl: string
let requests = 0

// A rembg.com-compatible service on loopback answering every /rmbg with a mask of the photo's size (left half kept):
// the remote engine's real HTTP path, with upload progress events, without an account.
beforeAll(async () => {
  photo = await sharp({ create: { width, height, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer()
  const matte = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) matte.fill(255, y * width, y * width + width / 2)
  mask = await sharp(matte, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer()
  server = createServer((req, res) => {
    requests++
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'image/png' })
      res.end(mask)
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((closed) => server.close(closed))
})

describe('the remover pool of removeBackground', () => {
  it('serves 50 calls with inline progress callbacks from one remover, each call getting its own events', async () => {
    const options = { engine: 'remote', baseUrl, apiKey: 'pool-test-key-0001', cacheDir: false } as const
    const before = pooledRemoverCount()
    const eventsPerCall: TransferProgress[][] = []
    const sent = requests
    for (let call = 0; call < 50; call++) {
      const events: TransferProgress[] = []
      eventsPerCall.push(events)
      const result = await removeBackground(photo, {
        ...options,
        format: 'png',
        onUploadProgress: (e) => events.push(e),
      })
      expect([result.width, result.height]).toEqual([width, height])
    }
    expect(requests - sent).toBe(50)
    expect(pooledRemoverCount() - before).toBe(1)
    // Every call's own callback heard its own upload through to the end, and only that upload.
    expect(eventsPerCall.map((events) => events.at(-1)?.progress)).toEqual(Array(50).fill(1))
    expect(eventsPerCall.map((events) => events.at(-1)?.loaded)).toEqual(
      Array(50).fill(eventsPerCall[0]?.at(-1)?.loaded),
    )
    expect(pooledRemover({ ...options, log: () => {} })).toBe(pooledRemover(options))
  })

  it('keeps the matte of the call: a remote cutout keeps the left half and clears the right', async () => {
    const result = await removeBackground(photo, { engine: 'remote', baseUrl, cacheDir: false, format: 'png' })
    const { data } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true })
    const alphaAt = (x: number, y: number): number => data[(y * width + x) * 4 + 3] as number
    expect([alphaAt(5, 15), alphaAt(35, 15)]).toEqual([255, 0])
  })

  it(`holds at most ${removerPoolLimit} removers and drops the least recently used first`, () => {
    const config = (retries: number) => ({ engine: 'remote', baseUrl, retries, cacheDir: false }) as const
    const first = pooledRemover(config(100))
    const second = pooledRemover(config(101))
    for (let retries = 102; retries < 100 + removerPoolLimit; retries++) pooledRemover(config(retries))
    expect(pooledRemoverCount()).toBe(removerPoolLimit)
    expect(pooledRemover(config(100))).toBe(first) // used again: now the most recent
    pooledRemover(config(200)) // one more: drops the least recently used, the second
    expect(pooledRemoverCount()).toBe(removerPoolLimit)
    expect(pooledRemover(config(100))).toBe(first)
    expect(pooledRemover(config(101))).not.toBe(second)
  })

  it('tells options apart by what decides the remover: key order does not count, the API key does', () => {
    const a = pooledRemover({ engine: 'remote', baseUrl, retries: 1, cacheDir: false, apiKey: 'key-number-one' })
    expect(pooledRemover({ cacheDir: false, apiKey: 'key-number-one', retries: 1, baseUrl, engine: 'remote' })).toBe(a)
    expect(
      pooledRemover({ engine: 'remote', baseUrl, retries: 1, cacheDir: false, apiKey: 'key-number-two' }),
    ).not.toBe(a)
  })
})
