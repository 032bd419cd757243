/**
 * Core's remote engine against our server, over real HTTP on loopback: the same pixels as the local engine, every
 * documented error mapped, retries honouring Retry-After, abort, progress, the membership endpoint, and the key in no
 * log line or error. A small front (a plain node:http proxy) stands between the two where a test needs a server that
 * fails on purpose.
 */
import { createServer as createHttpServer, type IncomingMessage, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createRemover,
  getMembershipUsage,
  isRembgError,
  type RembgError,
  removeBackground,
  type TransferProgress,
} from '@rembg-kit/core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../../core/src/api-client.js'
import { renderScene, testModel } from '../../core/test/helpers.js'
import { createServer, type RembgServer } from '../src/index.js'

const key = 'rk_test_7d1e0c55f9a24b6e'
const poorKey = 'rk_test_no_credits_000001'
const unverifiedKey = 'rk_test_unverified_00002'
const serverLog: string[] = []
let server: RembgServer
let baseUrl: string
let scene: Awaited<ReturnType<typeof renderScene>>

beforeAll(async () => {
  server = createServer({
    port: 0,
    model: testModel,
    keys: [
      { key, membership: 'Team-1000', credits: 1000, prepaidCredits: 0 },
      { key: poorKey, membership: 'Free-0', credits: 0, prepaidCredits: 0 },
      { key: unverifiedKey, membership: 'Free-50', credits: 50, prepaidCredits: 0, emailVerified: false },
    ],
    rateLimit: 0,
    logStream: { write: (line) => void serverLog.push(line) },
  })
  baseUrl = await server.listen()
  await server.ready
  scene = await renderScene('ball', 320, 240)
})

afterAll(() => server?.close())

const remote = (options: Parameters<typeof createRemover>[0] = {}) =>
  createRemover({ engine: 'remote', baseUrl, apiKey: key, cacheDir: false, ...options })

/** The RembgError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<RembgError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isRembgError(error)) throw new Error(`expected a RembgError, got ${String(error)}`)
  return error
}

describe('the remote engine against the server', () => {
  it('gives the same bytes as the local engine on the same model, for the cutout and the mask', async () => {
    const local = createRemover({ model: testModel, cacheDir: false })
    for (const params of [
      { format: 'png', w: 200 },
      { format: 'png', mask: true },
    ] as const) {
      const [fromServer, fromHere] = await Promise.all([
        remote().remove(scene.png, params),
        local.remove(scene.png, params),
      ])
      expect(fromServer.engine).toEqual({ id: 'remote' })
      expect(fromServer.data.equals(fromHere.data)).toBe(true)
    }
    const alpha = await sharp((await remote().remove(scene.png, { format: 'png' })).data)
      .extractChannel(3)
      .raw()
      .toBuffer()
    expect(alpha[0]).toBe(0) // a corner: background
    expect(alpha[120 * 320 + 160]).toBe(255) // the centre: the ball
  })

  it('costs one credit for every variant of an image, then nothing from the cache', async () => {
    const { tempDir } = await import('../../core/test/helpers.js')
    const before = (await getMembershipUsage({ baseUrl, apiKey: key })).api_usage
    const cached = remote({ cacheDir: await tempDir() })
    const variants = await Promise.all([
      cached.remove(scene.png, { w: 100 }),
      cached.remove(scene.png, { w: 200, format: 'png' }),
      cached.remove(scene.png, { format: 'jpeg', bg_color: 'white' }),
    ])
    expect(variants.filter((v) => !v.cache.matte)).toHaveLength(1)
    expect((await cached.remove(scene.png, { w: 300 })).cache.matte).toBe(true)
    expect((await getMembershipUsage({ baseUrl, apiKey: key })).api_usage).toBe(before + 1)
  })

  it('maps each documented error, with its status, message and code', async () => {
    const wrongKey = await failure(remote({ apiKey: 'rk_wrong_key_1234567' }).remove(scene.png))
    expect([wrongKey.status, wrongKey.message, wrongKey.code]).toEqual([401, 'invalid api key', 'INVALID_API_KEY'])
    const spent = await failure(remote({ apiKey: poorKey }).remove(scene.png))
    expect([spent.status, spent.message, spent.code]).toEqual([
      429,
      "You've reached your monthly limit. Consider purchasing more credits.",
      'MONTHLY_LIMIT',
    ])
    const unverified = await failure(remote({ apiKey: unverifiedKey }).remove(scene.png))
    expect([unverified.status, unverified.message, unverified.code]).toEqual([
      403,
      'Email address not verified — please check your inbox',
      'EMAIL_NOT_VERIFIED',
    ])
    const body = new FormData()
    body.append('image', new Blob([scene.png], { type: 'image/png' }), 'ball.png')
    body.append('w', 'abc')
    body.append('angle', '500')
    const client = new ApiClient({ baseUrl, apiKey: key })
    const invalid = await failure(client.request({ method: 'post', path: '/rmbg', body }))
    expect(invalid.toJSON()).toEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'w', message: "'w' must be an integer, got: 'abc'" },
        { field: 'angle', message: "'angle' must be between -360 and 360 degrees, got: 500.0" },
      ],
      status: 400,
    })
  })

  it('reports upload and download progress shaped like the vendor client, without the key', async () => {
    const events: TransferProgress[] = []
    await remote({ onUploadProgress: (e) => events.push(e), onDownloadProgress: (e) => events.push(e) }).remove(
      scene.png,
    )
    const uploads = events.filter((e) => e.upload)
    const downloads = events.filter((e) => e.download)
    expect(uploads.at(-1)).toMatchObject({ progress: 1, upload: true })
    expect(uploads.at(-1)?.loaded).toBe(uploads.at(-1)?.total)
    expect(downloads.at(-1)).toMatchObject({ download: true })
    expect(Object.keys(uploads[0] ?? {}).sort()).toEqual(
      ['bytes', 'estimated', 'loaded', 'progress', 'rate', 'total', 'upload'].sort(),
    )
    expect(JSON.stringify(events)).not.toContain(key)
  })

  it('removeBackground calls with other progress callbacks each get their own events', async () => {
    const first: TransferProgress[] = []
    const second: TransferProgress[] = []
    const options = { engine: 'remote', baseUrl, apiKey: key, cacheDir: false } as const
    await removeBackground(scene.png, { ...options, onUploadProgress: (e) => first.push(e) })
    await removeBackground(scene.png, { ...options, onUploadProgress: (e) => second.push(e) })
    expect([first.at(-1)?.progress, second.at(-1)?.progress]).toEqual([1, 1])
  })
})

/** A front on loopback: answers the first `failures` requests itself, then forwards to the server. */
async function front(failures: Array<{ status: number; body: object; retryAfter?: string }> | 'hang') {
  const seen: IncomingMessage[] = []
  const proxy: Server = createHttpServer((req, res) => {
    seen.push(req)
    if (failures === 'hang') return
    const failure = failures.shift()
    if (failure) {
      req.resume()
      req.on('end', () => {
        res.writeHead(failure.status, {
          'content-type': 'application/json',
          ...(failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}),
        })
        res.end(JSON.stringify(failure.body))
      })
      return
    }
    const target = new URL(req.url ?? '/', baseUrl)
    // Its own agent: Node 20's global agent times a socket out after 5 s without a byte, shorter than an inference
    // on a busy machine, and the server would see its client leave.
    const forward = request(target, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  return { url, seen, close: () => new Promise((resolve) => proxy.close(resolve)) }
}

const busy = { status: 503, body: { error: 'The server is busy. Please retry later.', status: 503 }, retryAfter: '0' }
const tooQuick = {
  status: 429,
  body: { error: "You're making requests too quickly, Please Upgrade or slow down.", status: 429 },
  retryAfter: '1',
}

describe('retries', () => {
  it('retries 503 and the short-term 429, honouring Retry-After, and then succeeds', async () => {
    const proxy = await front([busy, tooQuick, busy])
    const notes: string[] = []
    try {
      const result = await remote({ baseUrl: proxy.url, log: (line) => notes.push(line) }).remove(scene.png)
      expect(result.width).toBe(320)
      expect(proxy.seen).toHaveLength(4)
      expect(notes).toEqual([
        `rembg-kit: ${proxy.url} answered 503, try 2 of 5`,
        `rembg-kit: ${proxy.url} answered 429, try 3 of 5`,
        `rembg-kit: ${proxy.url} answered 503, try 4 of 5`,
      ])
      expect(notes.join('\n')).not.toContain(key)
    } finally {
      await proxy.close()
    }
  })

  it('gives up after the configured tries with the last answer, and never retries the monthly limit', async () => {
    const proxy = await front([busy, busy, busy])
    try {
      const error = await failure(remote({ baseUrl: proxy.url, retries: 1, log: () => {} }).remove(scene.png))
      expect([error.status, error.message, error.code]).toEqual([
        503,
        'The server is busy. Please retry later.',
        'SERVER_BUSY',
      ])
      expect(proxy.seen).toHaveLength(2)
    } finally {
      await proxy.close()
    }
    const spent = await front([
      {
        status: 429,
        body: { error: "You've reached your monthly limit. Consider purchasing more credits.", status: 429 },
      },
    ])
    try {
      const error = await failure(remote({ baseUrl: spent.url, log: () => {} }).remove(scene.png))
      expect(error.code).toBe('MONTHLY_LIMIT')
      expect(spent.seen).toHaveLength(1)
    } finally {
      await spent.close()
    }
  })

  it('retries a server that cannot be reached, then says so without the key', async () => {
    const proxy = await front([])
    await proxy.close() // nothing listens on that port any more
    const error = await failure(
      remote({ baseUrl: proxy.url, retries: 2, retryBaseMs: 1, log: () => {} }).remove(scene.png),
    )
    expect([error.status, error.code, error.message]).toEqual([
      503,
      'API_UNREACHABLE',
      `Could not reach ${proxy.url} (ECONNREFUSED).`,
    ])
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(key)
  })

  it('an AbortSignal cancels the request in flight and every retry', async () => {
    const proxy = await front('hang')
    try {
      const controller = new AbortController()
      const pending = remote({ baseUrl: proxy.url }).remove(scene.png, { signal: controller.signal })
      while (proxy.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
      controller.abort()
      const error = await pending.then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      expect(error?.name).toBe('AbortError')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(proxy.seen).toHaveLength(1)
    } finally {
      proxy.seen.forEach((req) => void req.socket.destroy())
      await proxy.close()
    }
  })
})

/** The built core CLI, as a user runs it, with the key in the environment only. */
async function rembgKit(args: string[], apiKey: string) {
  const { tempDir, repoRoot } = await import('../../core/test/helpers.js')
  const { writeFile } = await import('node:fs/promises')
  const { execFile } = await import('node:child_process')
  const cwd = await tempDir()
  await writeFile(`${cwd}/a.png`, scene.png)
  await writeFile(`${cwd}/b.png`, (await renderScene('box', 160, 120)).png)
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const env = { ...process.env, CI: 'true', REMBG_API_KEY: apiKey, REMBG_BASE_URL: baseUrl }
    execFile(
      process.execPath,
      [`${repoRoot}/packages/core/bin/rembg-kit.js`, ...args],
      { cwd, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

describe('the CLI on the remote engine', () => {
  it('rembg-kit usage prints the plan, the credits and what is left', async () => {
    const usage = await getMembershipUsage({ baseUrl, apiKey: key, includeBillingCycle: true })
    const run = await rembgKit(['usage'], key)
    const used = usage.api_usage
    expect(run.stdout).toContain('plan       Team-1000\n')
    expect(run.stdout).toContain('credits    1000 included per period, 0 prepaid\n')
    expect(run.stdout).toContain(`used       ${used} by API, 0 in the app (this period)\n`)
    expect(run.stdout).toContain(`remaining  ${1000 - used} (${1000 - used} included + 0 prepaid)\n`)
    expect(run.stdout + run.stderr).not.toContain(key)
  })

  it('warns before a batch that needs more credits than remain, and each image then fails with the limit', async () => {
    const run = await rembgKit(['remove', 'a.png', 'b.png', '-o', 'out/', '--engine', 'remote'], poorKey)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'rembg-kit: warning: 2 images may need up to 2 credits and the account has 0 left; the rest will fail with the monthly limit\n',
    )
    expect(run.stderr).toContain(
      "rembg-kit: a.png: You've reached your monthly limit. Consider purchasing more credits.\n",
    )
    expect(run.stdout + run.stderr).not.toContain(poorKey)
  })

  it('removes backgrounds with --engine remote and the key from REMBG_API_KEY', async () => {
    const run = await rembgKit(['remove', 'a.png', '-o', 'a.cut.png', '--engine', 'remote', '--angle', '-90'], key)
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/^ok {3}a\.png -> a\.cut\.png \(240x320, \d+ ms, computed\)\n$/)
  })
})

describe('secrets', () => {
  it('no server log line holds a key, whatever was sent', () => {
    expect(serverLog.length).toBeGreaterThan(0)
    for (const secret of [key, poorKey, unverifiedKey, 'rk_wrong_key_1234567']) {
      expect(serverLog.join('\n')).not.toContain(secret)
    }
  })
})
