import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { freePort, redisMissing, startRedis, type TestRedis } from './redis.js'

// The acceptance test: two server processes behind "any load balancer" (here: requests alternate between them)
// share one Redis, so a key with N credits is served exactly N images in total.

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
const bin = join(repoRoot, 'packages/server/bin/rembg-kit-server.js')
const credits = 3
const apiKey = 'cluster-test-key'
const monthlyLimit = { error: "You've reached your monthly limit. Consider purchasing more credits.", status: 429 }

interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
}

let redis: TestRedis
let dir: string
const servers: ServerProcess[] = []

beforeAll(async () => {
  if (redisMissing) return
  redis = await startRedis()
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  // Inside the repository, as a user's project: the server finds the model weights from its working directory up.
  dir = await mkdtemp(join(parent, 'cluster-'))
  const keys = [{ key: apiKey, membership: 'Cluster-3', credits, prepaidCredits: 0 }]
  await writeFile(join(dir, 'keys.json'), JSON.stringify(keys))
  servers.push(await startServer(), await startServer())
})

afterAll(async () => {
  await Promise.all(servers.map((server) => stopProcess(server.child)))
  await redis?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

it.skipIf(redisMissing)(
  'serves exactly N images for N credits across two processes sharing Redis, and both report N',
  async () => {
    const images = await Promise.all(Array.from({ length: 3 * credits }, (_, i) => testImage(i)))
    const responses = await Promise.all(images.map((image, i) => postImage(servers[i % 2] as ServerProcess, image)))

    const served = responses.filter((response) => response.status === 200)
    expect(served).toHaveLength(credits)
    for (const response of served) {
      expect(response.type).toBe('image/webp')
      expect((await sharp(response.body).metadata()).width).toBe(96)
    }
    const refused = responses.filter((response) => response.status !== 200)
    expect(refused.map((response) => response.status)).toEqual(Array(2 * credits).fill(429))
    for (const response of refused) expect(JSON.parse(response.body.toString())).toEqual(monthlyLimit)

    for (const server of servers) {
      const usage = await fetch(`${server.url}/api/membership-usage`, { headers: { 'x-api-key': apiKey } })
      expect(usage.status).toBe(200)
      expect(await usage.json()).toEqual({
        membership: 'Cluster-3',
        credits,
        prepaidCredits: 0,
        app_usage: 0,
        api_usage: credits,
      })
    }
    // Under the documented key name, where another service reading this Redis looks for it.
    const now = new Date()
    const uid = createHash('sha256').update(apiKey).digest('hex').slice(0, 16)
    const monthKey = `user:${uid}:api_usage:${now.getUTCFullYear()}:${now.getUTCMonth() + 1}`
    const client = new Redis(redis.url)
    try {
      expect(await client.get(monthKey)).toBe(String(credits))
    } finally {
      await client.quit()
    }
  },
)

async function startServer(): Promise<ServerProcess> {
  const port = await freePort()
  const args = [bin, '--port', String(port), '--host', '127.0.0.1', '--redis', redis.url]
  args.push('--keys', join(dir, 'keys.json'), '--model', 'isnet-imgly')
  const env = { ...process.env, REMBG_KIT_HOME: join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home') }
  const child = spawn(process.execPath, args, { cwd: dir, env })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const server = { url: `http://127.0.0.1:${port}`, child, output: () => output }
  await waitUntilHealthy(server)
  return server
}

/** Polls GET /healthz (200 once the model is loaded); fails with the server's output if it exits first. */
async function waitUntilHealthy(server: ServerProcess): Promise<void> {
  while (server.child.exitCode === null) {
    const status = await fetch(`${server.url}/healthz`).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return
    await sleep(200)
  }
  throw new Error(`rembg-kit-server exited with code ${server.child.exitCode}:\n${server.output()}`)
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** A small photo-like JPEG (a disc on a plain background), different for each `seed`, so inference is quick. */
function testImage(seed: number): Promise<Buffer> {
  const disc = `<svg width="96" height="72"><circle cx="48" cy="40" r="22" fill="rgb(${200 - seed * 10},40,60)"/></svg>`
  return sharp({ create: { width: 96, height: 72, channels: 3, background: { r: 90, g: 160, b: 220 } } })
    .composite([{ input: Buffer.from(disc) }])
    .jpeg()
    .toBuffer()
}

async function postImage(
  server: ServerProcess,
  image: Buffer,
): Promise<{ status: number; type: string; body: Buffer }> {
  const form = new FormData()
  form.append('image', new Blob([image], { type: 'image/jpeg' }), 'photo.jpg')
  const response = await fetch(`${server.url}/rmbg`, { method: 'POST', headers: { 'x-api-key': apiKey }, body: form })
  const body = Buffer.from(await response.arrayBuffer())
  return { status: response.status, type: response.headers.get('content-type') ?? '', body }
}
