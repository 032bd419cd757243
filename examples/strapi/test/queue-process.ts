/**
 * The example app in a process of its own (./queue-child.cjs), for the tests that stop the process under the queue:
 * SIGKILL as an out-of-memory kill or a failed container does, SIGTERM as a container stop does. Between boots the
 * queue's state is read straight from the SQLite file, as it was when the process ended.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { modelHome } from '../../test-support.ts'
import { appDir, type RunningStrapi } from './strapi.ts'

export interface ChildStrapi {
  /** What ./media.ts needs to talk to it: `url`, `apiToken`, `adminJwt` (a super admin's). */
  app: RunningStrapi
  child: ChildProcess
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>
}

/** Ports earlier children listened on (see queue-child.cjs). */
const usedPorts = new Set<number>()

/** Boots the copy in `dir`; `apiToken` is the one the first boot made (none: a fresh database, make one). */
export async function bootChild(dir: string, apiToken?: string): Promise<ChildStrapi> {
  const args = [dir, apiToken ? '' : 'fresh', [...usedPorts].join(',')]
  const child = spawn(process.execPath, [join(appDir, 'test', 'queue-child.cjs'), ...args], {
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', REMBG_KIT_HOME: modelHome },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  // Strapi's warnings and errors (the plugin's lines among them) reach the test's output.
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    process.stderr.write(chunk)
  })
  const exited = once(child, 'exit').then(([code, signal]) => {
    // QUEUE_DEBUG=1 says how each child ended.
    if (process.env.QUEUE_DEBUG) process.stderr.write(`strapi child exited: code ${code}, signal ${signal}\n`)
    return code as number | null
  })
  const ready = new Promise<{ url: string; apiToken: string | null }>((resolve, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n').find((each) => each.startsWith('{"url"'))
      if (line) resolve(JSON.parse(line))
    })
    void exited.then((code) => reject(new Error(`Strapi exited (${code}) before serving:\n${stdout}\n${stderr}`)))
  })
  const started = await ready
  usedPorts.add(Number(new URL(started.url).port))
  const token = apiToken ?? started.apiToken
  if (!token) throw new Error('the first boot made no API token')
  const adminJwt = await login(started.url)
  return { app: { url: started.url, apiToken: token, adminJwt } as RunningStrapi, child, exited }
}

/** The super admin queue-child.cjs makes on a fresh database. */
const admin = { email: 'queue@example.com', password: 'Queue1234' }

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  })
  const body = (await response.json()) as { data?: { token?: string; accessToken?: string } }
  const jwt = body.data?.token ?? body.data?.accessToken
  if (!jwt) throw new Error(`admin login failed (${response.status}): ${JSON.stringify(body)}`)
  return jwt
}

interface Database {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown }
  close(): void
}
const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => Database

export interface QueueRow {
  id: number
  name: string
  /** The file row's status (`rembg.status`). */
  status: string | null
  /** The queue's record of the file: its state and its spool copy. */
  task: string | null
  spool: string | null
}

/** The files and their queue records as the database holds them now (read while no Strapi runs on it). */
export function readQueue(dir: string): QueueRow[] {
  const db = new BetterSqlite(join(dir, '.tmp', 'data.db'), { readonly: true })
  try {
    return db
      .prepare(
        `SELECT f.id, f.name, f.rembg_status AS status, t.state AS task, t.spool
         FROM files f LEFT JOIN rembg_tasks t ON t.file_id = f.id ORDER BY f.id`,
      )
      .all() as QueueRow[]
  } finally {
    db.close()
  }
}

/** Runs one SQL statement on the copy's database (no Strapi running on it), as a repair script would. */
export function writeDatabase(dir: string, sql: string, ...params: unknown[]): void {
  const db = new BetterSqlite(join(dir, '.tmp', 'data.db'), { readonly: false })
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}

/** Replaces the plugin's config of a prepared copy (read at the next boot), as editing `config/plugins.ts` would. */
export async function setPluginConfig(dir: string, config: Record<string, unknown>): Promise<void> {
  const file = join(dir, 'dist', 'config', 'env', process.env.NODE_ENV || 'development', 'plugins.js')
  await writeFile(file, `module.exports = ${JSON.stringify({ rembg: { config } }, null, 2)}\n`)
}
