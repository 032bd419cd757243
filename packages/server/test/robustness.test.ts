/**
 * What keeps the server up under abuse and during deploys: a 1 GB upload refused without being buffered, the
 * bounded queue answering 503 with Retry-After, a client that leaves cancelling its queued work (and paying nothing),
 * a failed inference costing nothing, SIGTERM finishing the request in flight, and no secret in any log line.
 * Queue states are driven by an engine the test releases, never by timing. Real HTTP where sockets are the point
 * (clients that leave, the huge upload, signals, the log of a real request); inject() for the rest.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseCommandLine } from '../src/cli.js'
import { createServer } from '../src/index.js'
import {
  errorOf,
  type Fetch,
  GatedEngine,
  injectFetch,
  plainImage,
  postImage,
  type ServerProcess,
  scenePng,
  serverBin,
  spawnServer,
  startTestApp,
  startTestServer,
  type TestServer,
  until,
} from './helpers.js'

const busy = { error: 'The server is busy. Please retry later.', status: 503 }

/** The anonymous account's api_usage on an open server: the images it charged. */
async function imagesCharged(send: Fetch): Promise<number> {
  const body = (await (await send('/api/membership-usage')).json()) as { api_usage: number }
  return body.api_usage
}

describe('the inference queue', () => {
  let engine: GatedEngine
  let api: TestServer
  let images: Buffer[]
  beforeAll(async () => {
    images = await Promise.all([plainImage(16, 16), plainImage(17, 16), plainImage(18, 16)])
  })
  afterEach(async () => {
    engine.releaseAll()
    await api?.close()
  })

  const start = async (queue: number) => {
    engine = new GatedEngine()
    api = await startTestServer({ engine, concurrency: 1, queue })
  }
  const post = (index: number, signal?: AbortSignal) =>
    postImage(api.url, { image: images[index], fields: { format: 'png' }, ...(signal ? { signal } : {}) })

  it('answers 503 with Retry-After when the queue is full, and serves what it accepted', async () => {
    await start(1)
    const running = post(0)
    await engine.started(1)
    const waiting = post(1)
    await until(() => api.server.queueStats().waiting === 1, 'the second request to wait')
    const refused = await post(2)
    expect(await errorOf(refused)).toEqual({ status: 503, body: busy })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    engine.releaseAll()
    expect((await running).status).toBe(200)
    await engine.started(2)
    engine.releaseAll()
    expect((await waiting).status).toBe(200)
    expect(await imagesCharged(api.fetch)).toBe(2)
  })

  it('drops a queued request whose client disconnected: it never reaches the model and costs nothing', async () => {
    await start(4)
    const running = post(0)
    await engine.started(1)
    const leaving = new AbortController()
    const abandoned = post(1, leaving.signal).catch((error: Error) => error.name)
    await until(() => api.server.queueStats().waiting === 1, 'the second request to wait')
    leaving.abort()
    expect(await abandoned).toBe('AbortError')
    await until(() => api.server.queueStats().waiting === 0, 'the abandoned request to leave the queue')
    engine.releaseAll()
    expect((await running).status).toBe(200)
    await until(() => api.server.queueStats().running === 0, 'the queue to drain')
    expect(engine.calls).toBe(1)
    expect(await imagesCharged(api.fetch)).toBe(1)
    // A client that leaves is not a server error.
    expect(api.logs.lines.filter((line) => line.includes('"level":50'))).toEqual([])
  })

  it('gives the credit back when the client leaves while its image is being computed', async () => {
    await start(4)
    const leaving = new AbortController()
    const abandoned = post(0, leaving.signal).catch((error: Error) => error.name)
    await engine.started(1)
    leaving.abort()
    expect(await abandoned).toBe('AbortError')
    // The request gives up its slot as soon as the server sees the connection close.
    await until(() => api.server.queueStats().running === 0, 'the server to notice the client left')
    engine.releaseAll()
    expect(await imagesCharged(api.fetch)).toBe(0)
    expect(api.logs.lines.filter((line) => line.includes('"level":50'))).toEqual([])
  })
})

describe('a failed inference', () => {
  it('answers 500 without the cause, logs it, and charges nothing', async () => {
    const failing = {
      id: 'failing',
      fingerprint: async () => 'failing',
      matte: async () => {
        throw new Error('onnxruntime: out of memory (internal detail)')
      },
    }
    const api = await startTestApp({ engine: failing })
    try {
      const response = await postImage(api.fetch, { image: await plainImage(16, 16) })
      expect(await errorOf(response)).toEqual({ status: 500, body: { error: 'Internal server error', status: 500 } })
      expect(api.logs.text).toContain('onnxruntime: out of memory (internal detail)')
      expect(await imagesCharged(api.fetch)).toBe(0)
    } finally {
      await api.close()
    }
  })
})

describe('GET /healthz', () => {
  it('answers 503 while the model is not loaded, here because it cannot be', async () => {
    const server = createServer({ port: 0, model: '/nonexistent/model.onnx', logStream: { write: () => {} } })
    try {
      await expect(server.ready).rejects.toThrow()
      const response = await injectFetch(server.app)('/healthz')
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 503,
        body: { status: 'failed' },
      })
    } finally {
      await server.close()
    }
  })
})

describe('secrets', () => {
  const key = 'rk_secret_key_9f8e7d6c5b4a'
  const token = 'eyJhbGciOiJIUzI1NiJ9.secret-user-token.sig'
  let api: TestServer
  beforeAll(async () => {
    // trace: the most any level writes (@fastify/multipart logs its busboy options there, request headers included).
    const keys = [{ key, membership: 'Pro', credits: 10, prepaidCredits: 0 }]
    api = await startTestServer({ keys, logLevel: 'trace' })
  })
  afterAll(() => api?.close())

  it('never writes the API key or a bearer token to a log line or an error body, even at trace', async () => {
    const image = await scenePng(32, 24)
    const answers = [
      await postImage(api.url, { image, headers: { 'x-api-key': key } }),
      await postImage(api.url, { image, headers: { 'x-api-key': key, authorization: `Bearer ${token}` } }),
      await postImage(api.url, { image, headers: { 'x-api-key': `${key}-wrong` } }),
      await fetch(`${api.url}/api/membership-usage`, { headers: { 'x-api-key': key } }),
    ]
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401, 200])
    const bodies = await Promise.all(answers.slice(1).map((answer) => answer.text()))
    for (const body of bodies) expect(body).not.toContain(key)
    // The headers are logged (so redaction has something to do), the credentials in them are not.
    expect(api.logs.text).toContain('"x-api-key":"[redacted]"')
    expect(api.logs.text).toContain('"authorization":"[redacted]"')
    // Only the accepted request's body is read (the refused ones are answered first): one line of busboy's options.
    const busboyLines = api.logs.lines.filter((line) => line.includes('"msg":"Providing options to busboy"'))
    expect(busboyLines).toHaveLength(1)
    for (const line of busboyLines) expect(line).toContain('"x-api-key":"[redacted]"')
    expect(api.logs.text).not.toContain(key)
    expect(api.logs.text).not.toContain(token)
  })

  it('redacts the key from headers nested in anything logged: an HTTP client error with its request config', () => {
    // What an HTTP client's error carries (axios keeps the request's headers in `config`), logged as pino's `err`.
    const clientError = Object.assign(new Error('upstream failed'), {
      config: { url: 'https://api.rembg.com/rmbg', headers: { 'x-api-key': key, Authorization: `Bearer ${token}` } },
    })
    api.server.app.log.error({ err: clientError, upstream: { headers: { 'x-api-key': key } } }, 'upstream failed')
    const line = api.logs.lines.find((each) => each.includes('"msg":"upstream failed"')) ?? ''
    expect(JSON.parse(line)).toMatchObject({
      err: { message: 'upstream failed', config: { headers: { 'x-api-key': '[redacted]' } } },
      upstream: { headers: { 'x-api-key': '[redacted]' } },
    })
    expect(line).not.toContain(key)
    expect(line).not.toContain(token)
  })
})

/** Resident and peak resident memory of a process, in MB (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** A multipart body whose `image` file is `size` bytes (a PNG signature, then zeros), produced as it is sent. */
function hugeUpload(size: number): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = 'rembg-kit-huge-upload'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="huge.png"\r\n` +
      'Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n',
    'latin1',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const zeros = new Uint8Array(1024 * 1024)
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield head
    let left = size - 8
    while (left > 0) {
      const chunk = zeros.subarray(0, Math.min(left, zeros.length))
      left -= chunk.length
      yield chunk
    }
    yield tail
  }
  const iterator = parts()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
  })
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

interface LogLine {
  msg?: string
  reqId?: string
  req?: { url: string }
  res?: { statusCode: number }
}

/** The JSON lines of a server's output (the model's and other plain lines are skipped). */
function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
}

describe('the command line', () => {
  it('reads every setting from its flag or its environment variable, the flag winning', () => {
    const env = { PORT: '4000', REMBG_SERVER_QUEUE: '5', REDIS_URL: 'redis://r:6379', REMBG_SERVER_TRUST_PROXY: 'true' }
    expect(parseCommandLine(['--port', '5000', '--anonymous-daily-limit', '3', '--keys', 'k.json'], env)).toEqual({
      port: 5000,
      queue: 5,
      redisUrl: 'redis://r:6379',
      trustProxy: true,
      anonymousDailyLimit: 3,
      keys: 'k.json',
    })
  })

  it('exits 2 with the reason and the usage on a bad value, before loading anything', async () => {
    const run = spawnSync(process.execPath, [serverBin, '--concurrency', 'two'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(
      "rembg-kit-server: --concurrency (REMBG_SERVER_CONCURRENCY): 'concurrency' must be an integer, got: 'two'",
    )
    expect(run.stderr).toContain('Usage: rembg-kit-server [options]')
  })
})

describe('the CLI process', () => {
  let server: ServerProcess | undefined
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL')
      await server.exited
    }
    server = undefined
  })

  it('refuses a 1 GB upload with the documented error, its memory staying far below 1 GB', async () => {
    server = await spawnServer([])
    const pid = server.child.pid as number
    const before = memoryOf(pid)
    const { body, contentType } = hugeUpload(1024 * 1024 * 1024)
    const response = await fetch(`${server.url}/rmbg`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
      duplex: 'half',
    } as RequestInit)
    expect(await errorOf(response)).toEqual({
      status: 400,
      body: { error: 'File size (1024.0 MB) exceeds the maximum allowed size of 50 MB.', status: 400 },
    })
    const after = memoryOf(pid)
    // Holding the upload would raise the peak by 1024 MB; at most 50 MB of it is ever kept.
    expect(after.peak).toBeLessThan(Math.max(before.peak, before.rss) + 256)
  })

  it('finishes the request in flight on SIGTERM, then exits 0', async () => {
    const key = 'rk_sigterm_key_0123456789'
    server = await spawnServer([])
    const image = await scenePng(640, 480)
    const inFlight = postImage(server.url, { image, fields: { format: 'png' }, headers: { 'x-api-key': key } })
    const running = server
    await until(() => /"url":"\/rmbg".*"msg":"incoming request"/.test(running.output()), 'the request to arrive')
    running.child.kill('SIGTERM')
    const response = await inFlight
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(await running.exited).toBe(0)
    const lines = logLines(running.output())
    const arrived = lines.find((line) => line.req?.url === '/rmbg')
    const messages = lines.map((line) => (line.reqId === arrived?.reqId && line.res ? 'rmbg completed' : line.msg))
    // The signal was handled before the request completed: it really was in flight. (The close may be logged
    // before fastify's own "request completed" line: both follow the answer's last byte.)
    expect(messages.filter((message) => /SIGTERM|rmbg completed/.test(message ?? ''))).toEqual([
      'rembg-kit-server: SIGTERM, finishing the requests in flight',
      'rmbg completed',
    ])
    expect(messages).toContain('rembg-kit-server: stopped')
    expect(running.output()).not.toContain(key)
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow()
  })

  it('exits 1 at once on a second signal while finishing, abandoning the request in flight', async () => {
    server = await spawnServer([])
    const running = server
    const inFlight = postImage(running.url, { image: await scenePng(640, 480), fields: { format: 'png' } })
    const abandoned = inFlight.then(
      (response) => `answered ${response.status}`,
      () => 'connection dropped',
    )
    await until(() => /"url":"\/rmbg".*"msg":"incoming request"/.test(running.output()), 'the request to arrive')
    running.child.kill('SIGTERM')
    await until(() => running.output().includes('SIGTERM, finishing the requests in flight'), 'the first signal')
    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(1)
    expect(running.output()).toContain('second SIGTERM, exiting')
    expect(running.output()).not.toContain('rembg-kit-server: stopped')
    expect(await abandoned).toBe('connection dropped')
  })
})
