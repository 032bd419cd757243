// Backfills through the durable queue, as the plugin page starts them: a folder (subfolders included) and the whole
// library, their counts and the files' statuses, a cancel that leaves the files not started as they were, and records
// that stay one per file however often a file is processed.
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminFile,
  adminRequest,
  createFolder,
  expectProcessed,
  expectUntouched,
  type FileRow,
  type RembgStatus,
  scene,
  type Upload,
  uploadThroughAdmin,
} from './media.ts'
import { fixture, type RunningStrapi, startStrapi } from './strapi.ts'

interface Job {
  id: number
  scope: { type: 'library' } | { type: 'folder'; folderId: number; path: string }
  total: number
  done: number
  failed: number
  skipped: number
  state: 'running' | 'finished' | 'cancelled'
  createdAt: string
  finishedAt: string | null
}

interface Listed {
  id: number
  name: string
  folderPath: string
  url: string
  cutoutUrl: string | null
  rembg: RembgStatus | null
}

let app: RunningStrapi
const files: Record<string, FileRow> = {}
let catalog: number

/** Uploads one file with the plugin opted out, so only the backfills process it. */
async function upload(file: Upload, folder?: number): Promise<FileRow> {
  const [row] = await uploadThroughAdmin(app, [file], { name: file.name, rembg: false, ...(folder ? { folder } : {}) })
  if (!row) throw new Error(`no row for ${file.name}`)
  expectUntouched(row)
  return row
}

async function waitForJob(id: number): Promise<Job> {
  const deadline = Date.now() + 240_000
  for (;;) {
    const { job } = await adminRequest<{ job: Job }>(app, 'GET', `/rembg/jobs/${id}`)
    if (job.state !== 'running' || Date.now() > deadline) return job
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const taskCount = (where: Record<string, unknown> = {}): Promise<number> =>
  app.strapi.db.query('plugin::rembg.task').count({ where })

beforeAll(async () => {
  app = await startStrapi('queue-jobs', { plugins: { rembg: { config: { concurrency: 1, exclude: ['raw-*'] } } } })
  catalog = await createFolder(app, 'Catalog')
  const shoes = await createFolder(app, 'Shoes', catalog)
  files.a = await upload(await scene('ball', 'a.jpg'), catalog)
  files.b = await upload(await scene('vase', 'b.jpg'), shoes)
  files.c = await upload(await scene('box', 'c.jpg'))
  files.raw = await upload(await scene('ball', 'raw-d.jpg'))
  const [text] = await uploadThroughAdmin(
    app,
    [{ name: 'notes.txt', bytes: Buffer.from('notes'), type: 'text/plain' }],
    {
      folder: catalog,
    },
  )
  if (!text) throw new Error('no row for notes.txt')
  files.text = text
})
afterAll(() => app?.close())

describe('backfills', () => {
  it('a folder: every image of it and its subfolders, counted; files elsewhere untouched', async () => {
    const { job: started } = await adminRequest<{ job: Job }>(app, 'POST', `/rembg/folders/${catalog}/process`)
    expect(started).toMatchObject({
      scope: { type: 'folder', folderId: catalog, path: '/Catalog' },
      total: 2,
      state: 'running',
      finishedAt: null,
    })
    const job = await waitForJob(started.id)
    expect(job).toMatchObject({ total: 2, done: 2, failed: 0, skipped: 0, state: 'finished' })
    expect(new Date(job.finishedAt as string).getTime()).toBeGreaterThanOrEqual(new Date(job.createdAt).getTime())
    await expectProcessed(app, await adminFile(app, files.a?.id as number))
    await expectProcessed(app, await adminFile(app, files.b?.id as number))
    expectUntouched(await adminFile(app, files.c?.id as number))
    expectUntouched(await adminFile(app, files.text?.id as number))
  })

  it("the library: every image, those the config's rules exclude recorded skipped with why", async () => {
    const { job: started } = await adminRequest<{ job: Job }>(app, 'POST', '/rembg/library/process')
    expect(started).toMatchObject({ scope: { type: 'library' }, total: 4 })
    const job = await waitForJob(started.id)
    expect(job).toMatchObject({ total: 4, done: 3, failed: 0, skipped: 1, state: 'finished' })
    for (const key of ['a', 'b', 'c']) await expectProcessed(app, await adminFile(app, files[key]?.id as number))
    const raw = await adminFile(app, files.raw?.id as number)
    expect(raw.rembg).toMatchObject({ status: 'skipped', error: 'its name is not included by include/exclude' })
    expect(Object.keys(raw.formats ?? {}).filter((key) => key.includes('rembg'))).toEqual([])
    expectUntouched(await adminFile(app, files.text?.id as number))

    const { results } = await adminRequest<{ results: Job[] }>(app, 'GET', '/rembg/jobs')
    expect(results.slice(0, 2).map((each) => each.id)).toEqual([job.id, job.id - 1])
  })

  it('the file list filters by status and folder, with folder names and cutout URLs', async () => {
    const skipped = await adminRequest<{ results: Listed[]; pagination: unknown }>(
      app,
      'GET',
      '/rembg/files?status=skipped',
    )
    expect(skipped.results.map((file) => [file.name, file.rembg?.error])).toEqual([
      ['raw-d.jpg', 'its name is not included by include/exclude'],
    ])
    expect(skipped.pagination).toEqual({ page: 1, pageSize: 20, total: 1, pageCount: 1 })
    const inCatalog = await adminRequest<{ results: Listed[] }>(app, 'GET', `/rembg/files?folder=${catalog}`)
    expect(inCatalog.results.map((file) => [file.name, file.folderPath, file.rembg?.status])).toEqual([
      ['b.jpg', '/Catalog/Shoes', 'done'],
      ['a.jpg', '/Catalog', 'done'],
    ])
    for (const file of inCatalog.results) expect(file.cutoutUrl).toMatch(/_rembg\.png$/)
  })

  it('cancel: the files not started yet are left as they were, no pending work left for them', async () => {
    const batch = await createFolder(app, 'Batch')
    const source = await sharp(fixture('vase.jpg')).flop().toBuffer()
    const rows: FileRow[] = []
    // Bytes never seen before (the result cache would make a repeat instant): each one a real inference.
    for (let i = 0; i < 5; i++) {
      const bytes = await sharp(source)
        .modulate({ brightness: 1 + i / 50 })
        .jpeg()
        .toBuffer()
      rows.push(await upload({ name: `batch-${i}.jpg`, bytes, type: 'image/jpeg' }, batch))
    }
    const { job: started } = await adminRequest<{ job: Job }>(app, 'POST', `/rembg/folders/${batch}/process`)
    const { job: cancelled } = await adminRequest<{ job: Job }>(app, 'POST', `/rembg/jobs/${started.id}/cancel`)
    expect(cancelled).toMatchObject({ id: started.id, total: 5, state: 'cancelled', finishedAt: expect.any(String) })
    // The file started before the cancel finishes; nothing else starts (work left pending would run: see below).
    const busy = async (): Promise<number> =>
      (await taskCount({ state: 'pending' })) + (await taskCount({ state: 'running' }))
    const deadline = Date.now() + 120_000
    while ((await busy()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await busy()).toBe(0)
    const after = await Promise.all(rows.map((row) => adminFile(app, row.id)))
    const untouched = after.filter((row) => row.rembg === null || row.rembg === undefined)
    expect(untouched.length).toBeGreaterThanOrEqual(3)
    for (const row of untouched) expectUntouched(row)
    const job = (await adminRequest<{ job: Job }>(app, 'GET', `/rembg/jobs/${started.id}`)).job
    expect(job.state).toBe('cancelled')
    expect(job.done + job.failed + job.skipped).toBe(after.length - untouched.length)
  })
})

it('records stay one per file: a file processed again and again keeps one, a deleted file none', async () => {
  const id = files.a?.id as number
  for (let i = 0; i < 5; i++)
    await expectProcessed(app, await adminRequest<FileRow>(app, 'POST', `/rembg/files/${id}/process`))
  expect(await taskCount({ fileId: id })).toBe(1)
  // One record for each file any processing touched, whatever the number of jobs and requests.
  const touched = (await app.strapi.db
    .query('plugin::upload.file')
    .count({ where: { rembgStatus: { $notNull: true } } })) as number
  expect(await taskCount()).toBe(touched)
  // Deleted from the Media Library (the admin's DELETE /upload/files/:id): its record goes with it.
  const gone = files.c?.id as number
  expect(await taskCount({ fileId: gone })).toBe(1)
  await adminRequest(app, 'DELETE', `/upload/files/${gone}`)
  expect(await taskCount({ fileId: gone })).toBe(0)
  expect(await taskCount()).toBe(touched - 1)
})
