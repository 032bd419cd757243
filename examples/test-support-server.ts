/**
 * What the adapters' remote-mode tests share: @rembg-kit/server started as a user starts it (its CLI, a child process
 * on loopback, a keys file), and a pixel comparison of two cutouts. Build the server first:
 * `npx -y pnpm@10.34.8 --filter @rembg-kit/server run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { expect } from 'vitest'
import { modelHome, repoRoot } from './test-support.js'

const serverBin = join(repoRoot, 'packages', 'server', 'bin', 'rembg-kit-server.js')
const serverDist = join(repoRoot, 'packages', 'server', 'dist', 'cli.js')
const tempParent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')

/** One entry of the server's keys file, as its membership endpoint reports it. */
export interface ServerKey {
  key: string
  membership: string
  credits: number
  prepaidCredits: number
}

export interface RembgServerProcess {
  /** `http://127.0.0.1:<port>`, as the server printed it. */
  url: string
  /** Everything the server wrote to stdout and stderr so far (pino JSON lines). */
  logs(): string
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>
}

/**
 * Starts `rembg-kit-server --port 0 --model isnet-imgly --rate-limit 0` (plus `--keys` when keys are given) and
 * resolves once `GET /healthz` answers 200, i.e. the model is loaded and a request will be served at once.
 *
 * @example
 * const server = await startRembgServer({ keys: [{ key: 'rk_test', membership: 'Test', credits: 10, prepaidCredits: 0 }] })
 * try { ... fetch(`${server.url}/rmbg`, ...) } finally { await server.stop() }
 */
export async function startRembgServer(
  options: { keys?: ServerKey[]; args?: string[] } = {},
): Promise<RembgServerProcess> {
  if (!existsSync(serverDist)) {
    throw new Error('@rembg-kit/server is not built: npx -y pnpm@10.34.8 --filter @rembg-kit/server run build')
  }
  await mkdir(tempParent, { recursive: true })
  const dir = await mkdtemp(join(tempParent, 'rembg-server-'))
  const keyArgs = options.keys ? ['--keys', await writeKeys(dir, options.keys)] : []
  const args = ['--port', '0', '--model', 'isnet-imgly', '--rate-limit', '0', ...keyArgs, ...(options.args ?? [])]
  const child = spawn(process.execPath, [serverBin, ...args], {
    env: { ...process.env, REMBG_KIT_HOME: modelHome },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const url = await waitReady(child, () => output)
    return { url, logs: () => output, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function writeKeys(dir: string, keys: ServerKey[]): Promise<string> {
  const file = join(dir, 'keys.json')
  await writeFile(file, JSON.stringify(keys, null, 2))
  return file
}

/** Fastify's `Server listening at http://127.0.0.1:<port>` line gives the port; then /healthz says when it is ready. */
async function waitReady(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 180_000
  let url: string | undefined
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`rembg-kit-server exited before it was ready:\n${output()}`)
    }
    url ??= /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]
    if (url && (await healthStatus(url)) === 200) return url
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`rembg-kit-server was not ready in time:\n${output()}`)
}

function healthStatus(url: string): Promise<number> {
  return fetch(`${url}/healthz`).then(
    (response) => response.status,
    () => 0,
  )
}

/** `GET /api/membership-usage` with the key, as a user checks their usage. */
export async function membershipUsage(url: string, key: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/membership-usage`, { headers: { 'x-api-key': key } })
  const body = (await response.json()) as Record<string, unknown>
  if (response.status !== 200) throw new Error(`membership-usage answered ${response.status}: ${JSON.stringify(body)}`)
  return body
}

/** Both images decoded to RGBA: their sizes, and the largest difference of any channel of any pixel. */
export async function pixelDifference(a: Buffer, b: Buffer): Promise<{ sizes: string[]; maxDifference: number }> {
  const [left, right] = await Promise.all(
    [a, b].map((bytes) => sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })),
  )
  if (!left || !right) throw new Error('no image decoded')
  const sizes = [left, right].map(({ info }) => `${info.width}x${info.height}`)
  if (sizes[0] !== sizes[1]) return { sizes, maxDifference: 255 }
  let maxDifference = 0
  for (let i = 0; i < left.data.length; i++) {
    maxDifference = Math.max(maxDifference, Math.abs((left.data[i] as number) - (right.data[i] as number)))
  }
  return { sizes, maxDifference }
}

/**
 * The remote cutout shows the same pixels as the local one: same size, and every channel equal (at most 1/255 apart,
 * for a rounding in an encoder; the tests log which held). Answers the largest difference seen.
 */
export async function expectSamePixels(local: Buffer, remote: Buffer, what: string): Promise<number> {
  const { sizes, maxDifference } = await pixelDifference(local, remote)
  expect(sizes[1], `${what}: size`).toBe(sizes[0])
  expect(maxDifference, `${what}: largest channel difference`).toBeLessThanOrEqual(1)
  console.info(`${what}: ${maxDifference === 0 ? 'identical pixels' : `pixels within ${maxDifference}/255`}`)
  return maxDifference
}

/** The key in none of the texts or files given (build output, logs, bundles, stored records). */
export function expectNoKey(key: string, texts: Record<string, string | Buffer>): void {
  for (const [where, text] of Object.entries(texts)) {
    expect(Buffer.from(text).includes(key), `the key in ${where}`).toBe(false)
  }
}
