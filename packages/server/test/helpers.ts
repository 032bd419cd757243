/**
 * Shared by the server's tests: a real server on loopback (in-process, or the CLI as a child process) where the
 * network is under test, fastify's `inject()` where it is not, requests as a client sends them (multipart, through
 * either), generated images, and engines a test controls.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Engine, RawImage } from '@rembg-kit/core'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { renderScene } from '../../../examples/demo/scenes.mjs'
import { createServer, type RembgServer, type ServerOptions } from '../src/index.js'

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
export const serverBin = join(repoRoot, 'packages/server/bin/rembg-kit-server.js')

// The converted model is shared by every test run (see /work/notes/common.md).
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')

export const testModel = 'isnet-imgly'

export { renderScene }

/** Log lines a server wrote, parsed; `text` is everything as written, to search for secrets. */
export class LogCapture {
  readonly lines: string[] = []
  write(line: string): void {
    this.lines.push(line)
  }
  get text(): string {
    return this.lines.join('')
  }
}

/** `fetch` with a path instead of a URL: over the network, or into the app with `inject()`. */
export type Fetch = (path: string, init?: RequestInit) => Promise<Response>

export interface TestApp {
  server: RembgServer
  fetch: Fetch
  logs: LogCapture
  close(): Promise<void>
}

export interface TestServer extends TestApp {
  url: string
}

/**
 * A server listening on a free loopback port, model loaded: for the tests where the network is the point. The
 * short-term rate limit is off unless a test sets it, so that tests sending many requests measure what they mean to.
 */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const logs = new LogCapture()
  const server = createServer({ port: 0, model: testModel, rateLimit: 0, logStream: logs, ...options })
  const url = await server.listen()
  await server.ready
  const fetchPath: Fetch = (path, init) => fetch(`${url}${path}`, init)
  return { server, url, fetch: fetchPath, logs, close: () => server.close() }
}

/** The same server, not listening: requests go in with `inject()`. */
export async function startTestApp(options: ServerOptions = {}): Promise<TestApp> {
  const logs = new LogCapture()
  const server = createServer({ port: 0, model: testModel, rateLimit: 0, logStream: logs, ...options })
  await server.app.ready()
  await server.ready
  return { server, fetch: injectFetch(server.app), logs, close: () => server.close() }
}

/**
 * A {@link Fetch} that sends the request into `app` with `inject()` (no socket), as fetch would have encoded it
 * (a FormData body becomes the same multipart bytes and Content-Type), and answers a standard Response.
 */
export function injectFetch(app: FastifyInstance, remoteAddress?: string): Fetch {
  return async (path, init = {}) => {
    const request = new Request(`http://localhost${path}`, init)
    const payload = init.body == null ? undefined : Buffer.from(await request.arrayBuffer())
    const answer = await app.inject({
      method: request.method as 'GET',
      url: path,
      headers: Object.fromEntries(request.headers),
      ...(payload ? { payload } : {}),
      ...(remoteAddress ? { remoteAddress } : {}),
    })
    const headers = new Headers()
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of [value].flat()) if (one !== undefined) headers.append(name, String(one))
    }
    const body = [204, 304].includes(answer.statusCode) ? null : answer.rawPayload
    return new Response(body, { status: answer.statusCode, headers })
  }
}

export interface Upload {
  /** The `image` field's bytes; absent: no image field at all. */
  image?: Buffer | undefined
  /** The image's file name. @default 'image.png' */
  fileName?: string
  fields?: Record<string, string>
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** POST /rmbg as a browser or fetch-based client would send it (multipart/form-data), to a URL or a {@link Fetch}. */
export function postImage(target: string | Fetch, upload: Upload): Promise<Response> {
  const form = new FormData()
  if (upload.image !== undefined) form.append('image', new Blob([upload.image]), upload.fileName ?? 'image.png')
  for (const [name, value] of Object.entries(upload.fields ?? {})) form.append(name, value)
  const send: Fetch = typeof target === 'string' ? (path, init) => fetch(`${target}${path}`, init) : target
  return send('/rmbg', {
    method: 'POST',
    body: form,
    headers: upload.headers ?? {},
    ...(upload.signal ? { signal: upload.signal } : {}),
  })
}

/** The JSON error body and status of a response. */
export async function errorOf(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() }
}

/** A PNG of the ball scene (plain wall, a ball in the middle), small enough for fast inference. */
export async function scenePng(width = 160, height = 120): Promise<Buffer> {
  return (await renderScene('ball', width, height)).png
}

/** A plain image of any size and format, for the checks that never reach the model. */
export function plainImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3080c0' } })
    .toFormat(format)
    .toBuffer()
}

/** The alpha of a cutout at (x, y), as fractions of its size. */
export async function alphaAt(image: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const px = Math.min(info.width - 1, Math.floor(x * info.width))
  const py = Math.min(info.height - 1, Math.floor(y * info.height))
  return data[(py * info.width + px) * info.channels + 3] as number
}

/**
 * An engine whose mattes wait until the test releases them, so a test knows exactly what is running and what is
 * queued without any timing. Each matte is fully opaque.
 */
export class GatedEngine implements Engine {
  readonly id = 'gated'
  /** How many mattes were asked for (a cancelled queued request never asks). */
  calls = 0
  private gates: Array<() => void> = []
  private startedWaiters: Array<{ count: number; resolve: () => void }> = []

  fingerprint(): Promise<string> {
    return Promise.resolve('gated')
  }

  async matte(image: RawImage): Promise<Uint8Array> {
    this.calls++
    for (const waiter of this.startedWaiters.filter((w) => this.calls >= w.count)) waiter.resolve()
    await new Promise<void>((resolve) => this.gates.push(resolve))
    return new Uint8Array(image.width * image.height).fill(255)
  }

  /** Resolves once `count` mattes in all have started. */
  started(count: number): Promise<void> {
    if (this.calls >= count) return Promise.resolve()
    return new Promise((resolve) => this.startedWaiters.push({ count, resolve }))
  }

  /** Lets every matte started so far finish. */
  releaseAll(): void {
    for (const open of this.gates.splice(0)) open()
  }
}

/** Polls `condition` (a server's queue, a child's log) until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export interface ServerProcess {
  child: ChildProcess
  url: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
}

/** Runs the built CLI (`bin/rembg-kit-server.js`) on a free port and waits until /healthz answers 200. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [serverBin, '--port', String(port), '--model', testModel, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(url, exited, () => output)
  return { child, url, output: () => output, exited }
}

async function waitHealthy(url: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let ended = false
  void exited.then(() => {
    ended = true
  })
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (ended) throw new Error(`The server exited before it was ready:\n${output()}`)
    const status = await fetch(`${url}/healthz`).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`The server was not ready in time:\n${output()}`)
}

/** A port nobody listens on now (the OS picks it; the child binds it right after). */
async function freePort(): Promise<number> {
  const { createServer: createNetServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}
