// Nothing lost when the process stops under the queue: a SIGKILL (an out-of-memory kill, a failed container) with async
// uploads waiting, and a graceful stop (SIGTERM) with a long queue. Strapi runs in a process of its own
// (./queue-process.ts), restarted on the same SQLite database and uploads folder.
import { access, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, expect, it } from 'vitest'
import { adminRequest, contentApiFile, expectProcessed, type FileRow, scene, uploadThroughContentApi } from './media.ts'
import { bootChild, type ChildStrapi, readQueue, setPluginConfig, writeDatabase } from './queue-process.ts'
import { fixture, prepareCopy, type RunningStrapi } from './strapi.ts'

let dir: string | undefined
let running: ChildStrapi | undefined

afterEach(async () => {
  running?.child.kill('SIGKILL')
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
  running = undefined
})

const spoolDir = (): string => join(dir as string, '.tmp', 'rembg-queue')

async function uploadScenes(app: RunningStrapi, count: number): Promise<FileRow[]> {
  const names = ['ball', 'vase', 'box'] as const
  const files = await Promise.all(
    Array.from({ length: count }, (_, i) => scene(names[i % names.length] as (typeof names)[number], `scene-${i}.jpg`)),
  )
  return uploadThroughContentApi(app, files)
}

/**
 * A file row through the content API. A request that meets a closed connection is sent again: the child's event loop
 * stalls while the model loads, and a kept-alive socket the server closes meanwhile answers ECONNRESET (the test and
 * Strapi are two processes here, unlike in the in-process tests).
 */
async function readRow(app: RunningStrapi, id: number): Promise<FileRow> {
  for (;;) {
    try {
      return await contentApiFile(app, id)
    } catch (error) {
      if (!String((error as { cause?: unknown }).cause).includes('ECONNRESET')) throw error
    }
  }
}

/** Reads the rows until one is `running` (the queue took it), answering its id. */
async function waitForRunning(app: RunningStrapi, rows: FileRow[]): Promise<number> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    for (const row of rows) if ((await readRow(app, row.id)).rembg?.status === 'running') return row.id
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('no upload started processing within 2 minutes')
}

/** Reads the rows until none is `pending` or `running`, then checks each cutout's pixels. */
async function expectAllDone(app: RunningStrapi, rows: FileRow[]): Promise<void> {
  const deadline = Date.now() + 300_000
  for (;;) {
    const stored = await Promise.all(rows.map((row) => readRow(app, row.id)))
    const waiting = stored.filter((row) => row.rembg?.status === 'pending' || row.rembg?.status === 'running')
    if (waiting.length === 0 || Date.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  for (const row of rows) await expectProcessed(app, await readRow(app, row.id))
}

it('SIGKILL with async uploads waiting: after a restart on the same database every file ends done', async () => {
  dir = await prepareCopy('queue-crash', { plugins: { rembg: { config: { async: true, concurrency: 1 } } } })
  running = await bootChild(dir)
  const rows = await uploadScenes(running.app, 3)
  expect(rows.map((row) => row.rembg?.status)).toEqual(['pending', 'pending', 'pending'])
  running.child.kill('SIGKILL')
  expect(await running.exited).toBeNull()

  // What the kill left: work not finished, recorded in the database, each original copied to the spool folder.
  const killed = readQueue(dir)
  const unfinished = killed.filter((row) => row.task === 'pending' || row.task === 'running')
  expect(unfinished.length).toBeGreaterThan(0)
  for (const row of unfinished) {
    expect(['pending', 'running']).toContain(row.status)
    await access(row.spool as string)
  }
  // One copy is lost (a cleaned disk, another machine): that file's original is read back from the provider.
  await rm(unfinished.at(-1)?.spool as string)

  running = await bootChild(dir, running.app.apiToken)
  await expectAllDone(running.app, rows)
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  expect(readQueue(dir).map(({ status, task, spool }) => ({ status, task, spool }))).toEqual(
    rows.map(() => ({ status: 'done', task: 'done', spool: null })),
  )
  expect(await readdir(spoolDir())).toEqual([])
})

it('a graceful stop with a long queue finishes the running file, leaves the rest pending, and they complete after a restart', async () => {
  // A stop that waits as long as the work takes: the file running at SIGTERM ends done, nothing else starts.
  dir = await prepareCopy('queue-stop', {
    plugins: { rembg: { config: { async: true, concurrency: 1, shutdownTimeout: 600_000 } } },
  })
  running = await bootChild(dir)
  const rows = await uploadScenes(running.app, 5)
  const first = await waitForRunning(running.app, rows)
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  let stopped = readQueue(dir)
  expect(stopped.find((row) => row.id === first)).toMatchObject({ status: 'done', task: 'done', spool: null })
  expect(stopped.filter((row) => row.task === 'running')).toEqual([])
  // Between the check and the signal a second file may have started; the others were never taken.
  const pending = stopped.filter((row) => row.task === 'pending')
  expect(pending.length).toBeGreaterThanOrEqual(3)
  for (const row of pending) expect(row).toMatchObject({ status: 'pending', spool: expect.any(String) })

  // shutdownTimeout 0: the stop waits for nothing; the file running at SIGTERM is left `running` for the next boot.
  await setPluginConfig(dir, { async: true, concurrency: 1, shutdownTimeout: 0 })
  const apiToken = running.app.apiToken
  running = await bootChild(dir, apiToken)
  const cut = await waitForRunning(
    running.app,
    rows.filter((row) => pending.some((each) => each.id === row.id)),
  )
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  stopped = readQueue(dir)
  expect(stopped.find((row) => row.id === cut)).toMatchObject({ status: 'running', task: 'running' })
  expect(stopped.filter((row) => row.task === 'pending').length).toBeGreaterThanOrEqual(pending.length - 2)

  await setPluginConfig(dir, { async: true, concurrency: 1 })
  running = await bootChild(dir, apiToken)
  await expectAllDone(running.app, rows)
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  expect(readQueue(dir).every((row) => row.status === 'done' && row.task === 'done' && row.spool === null)).toBe(true)
  expect(await readdir(spoolDir())).toEqual([])
})

it('a file that stopped the server three times in a row is recorded failed, not tried a fourth time', async () => {
  dir = await prepareCopy('queue-poison', { plugins: { rembg: { config: { async: true } } } })
  running = await bootChild(dir)
  const [row] = await uploadScenes(running.app, 1)
  if (!row) throw new Error('no row answered')
  running.child.kill('SIGKILL')
  await running.exited
  // As the queue leaves a file whose processing was started three times and each time ended with the process.
  writeDatabase(dir, "UPDATE rembg_tasks SET state = 'running', attempts = 3 WHERE file_id = ?", row.id)
  running = await bootChild(dir, running.app.apiToken)
  const stored = await readRow(running.app, row.id)
  expect(stored.rembg).toMatchObject({
    status: 'failed',
    error: 'processing stopped the server 3 times; the file is left as it is',
  })
  expect(Object.keys(stored.formats ?? {}).filter((key) => key.includes('rembg'))).toEqual([])
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  expect(readQueue(dir).map(({ status, task, spool }) => ({ status, task, spool }))).toEqual([
    { status: 'failed', task: 'failed', spool: null },
  ])
  expect(await readdir(spoolDir())).toEqual([])
})

it('a library backfill stopped halfway goes on after the restart: the same job, counted once per file', async () => {
  dir = await prepareCopy('queue-job-restart', {
    plugins: { rembg: { config: { concurrency: 1, shutdownTimeout: 0 } } },
  })
  running = await bootChild(dir)
  const source = await sharp(fixture('box.jpg')).flop().toBuffer()
  const rows: FileRow[] = []
  // Bytes never seen before, each one a real inference; uploaded with the plugin opted out, so only the job does them.
  for (let i = 0; i < 4; i++) {
    const bytes = await sharp(source)
      .modulate({ brightness: 1 + i / 50 })
      .jpeg()
      .toBuffer()
    const [row] = await uploadThroughContentApi(running.app, [{ name: `later-${i}.jpg`, bytes, type: 'image/jpeg' }], {
      fileInfo: { rembg: false },
    })
    if (!row) throw new Error(`no row for later-${i}.jpg`)
    rows.push(row)
  }
  type Job = { id: number; state: string; total: number; done: number; failed: number; skipped: number }
  const { job } = await adminRequest<{ job: Job }>(running.app, 'POST', '/rembg/library/process')
  expect(job).toMatchObject({ total: 4, state: 'running' })
  await waitForRunning(running.app, rows)
  running.child.kill('SIGTERM')
  expect(await running.exited).toBe(0)
  expect(readQueue(dir).filter((row) => row.task === 'pending').length).toBeGreaterThanOrEqual(2)

  running = await bootChild(dir, running.app.apiToken)
  const app = running.app
  const readJob = async (): Promise<Job> => {
    for (;;) {
      try {
        return (await adminRequest<{ job: Job }>(app, 'GET', `/rembg/jobs/${job.id}`)).job
      } catch (error) {
        if (!String((error as { cause?: unknown }).cause).includes('ECONNRESET')) throw error
      }
    }
  }
  let progress = await readJob()
  const deadline = Date.now() + 300_000
  while (progress.state === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    progress = await readJob()
  }
  expect(progress).toMatchObject({ id: job.id, total: 4, done: 4, failed: 0, skipped: 0, state: 'finished' })
  await expectAllDone(app, rows)
})
