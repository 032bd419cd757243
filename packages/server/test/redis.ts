import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const redisServerPath = '/usr/bin/redis-server'

/**
 * On a developer's machine without Debian's redis-server the Redis tests are skipped with a note, as the browser tests
 * are without Chromium; in CI (`.ci/run` installs it) they never are, and a missing binary fails them.
 */
export const redisMissing = !existsSync(redisServerPath) && !process.env.CI
if (redisMissing) console.warn(`${redisServerPath} is missing: the Redis tests of packages/server are skipped`)

/** A throwaway Redis on loopback, for one test file. */
export interface TestRedis {
  url: string
  port: number
  stop(): Promise<void>
}

/**
 * Starts Debian's `redis-server` on a free loopback port, in a temp dir, with nothing saved to disk, and resolves once
 * it answers PING. Fails when redis-server is missing (see {@link redisMissing} for the skip outside CI).
 *
 * @example
 * let redis: TestRedis
 * beforeAll(async () => { redis = await startRedis() })
 * afterAll(() => redis?.stop())
 */
export async function startRedis(): Promise<TestRedis> {
  if (!existsSync(redisServerPath)) {
    throw new Error(
      `${redisServerPath} not found: these tests need a real Redis. Install it with \`apt-get install redis-server\` (.ci/run does).`,
    )
  }
  const dir = await mkdtemp(join(tmpdir(), 'rembg-kit-redis-'))
  // Another process may take the free port between our check and redis-server's bind: try a few ports.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(redisServerPath, [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    ])
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => (output += error.message))
    if (await answersPing(port, child)) {
      return { url: `redis://127.0.0.1:${port}`, port, stop: () => stop(child, dir) }
    }
    await stop(child, dir, attempt < 3)
    if (attempt >= 3) throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output}`)
  }
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

/** Polls PING until +PONG (true), or false once the process has exited or 10 s have passed. */
async function answersPing(port: number, child: ChildProcess): Promise<boolean> {
  for (let tries = 0; tries < 200 && child.exitCode === null; tries++) {
    if (await ping(port)) return true
    await sleep(50)
  }
  return false
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.setTimeout(1000, () => socket.destroy())
    socket.on('error', () => resolve(false))
    socket.on('close', () => resolve(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'))
      socket.destroy()
    })
  })
}

async function stop(child: ChildProcess, dir: string, keepDir = false): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  if (!keepDir) await rm(dir, { recursive: true, force: true })
}
