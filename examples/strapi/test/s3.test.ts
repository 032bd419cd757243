// A private S3 bucket: Strapi's own S3 provider with `ACL: 'private'` against an S3-compatible server on loopback that
// refuses anonymous requests. Every read of an original (reprocess, folder backfill) goes through a URL Strapi signs;
// a read that cannot complete (missing object, provider too slow, file too large) is recorded on the file as `failed`,
// naming the file and the cause.
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import {
  adminRequest,
  contentApiFile,
  createFolder,
  expectProcessed,
  type FileRow,
  fetchStored,
  scene,
  uploadThroughContentApi,
  uploadThroughMediaLibrary,
} from './media.ts'
import { type PrivateS3, privateS3Provider, type S3Request, startPrivateS3 } from './s3-server.ts'
import { appDir, type RunningStrapi, startStrapi } from './strapi.ts'

const readTimeout = 3000
const maxSize = 200_000
let app: RunningStrapi
let s3: PrivateS3
let bucketDir: string

beforeAll(async () => {
  bucketDir = await mkdtemp(join(appDir, '.tmp-test-s3-bucket-'))
  s3 = await startPrivateS3(bucketDir)
  app = await startStrapi('s3', {
    plugins: { upload: { config: privateS3Provider(s3) }, rembg: { config: { readTimeout, maxSize } } },
  })
})
afterAll(async () => {
  await app?.close()
  await s3?.close()
  await rm(bucketDir, { recursive: true, force: true })
})

/** The row as stored, URLs unsigned (the routes answer them signed). */
async function storedRow(id: number): Promise<FileRow> {
  return (await app.strapi.db.query('plugin::upload.file').findOne({ where: { id } })) as FileRow
}

const objectPath = (file: { hash: string; ext: string }): string => `/${s3.bucket}/${file.hash}${file.ext}`

/** The GETs of object `path` the S3 server received since request number `since`. */
const readsOf = (path: string, since: number): S3Request[] =>
  s3.requests.slice(since).filter((request) => request.method === 'GET' && request.path === path)

/** `POST /rembg/files/:id/process`, answered however the route answers a failure: the row tells what happened. */
async function reprocess(id: number): Promise<void> {
  await fetch(`${app.url}/rembg/files/${id}/process`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.adminJwt}` },
  }).then((response) => response.arrayBuffer())
}

interface Job {
  id: string
  state: string
  total: number
  done: number
  failed: number
}

async function waitForJob(id: string): Promise<Job> {
  const deadline = Date.now() + 180_000
  for (;;) {
    const { job } = await adminRequest<{ job: Job }>(app, 'GET', `/rembg/jobs/${id}`)
    if (job.state !== 'running' || Date.now() > deadline) return job
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('a private S3 bucket', () => {
  it('stores the upload and its cutout as private objects, which an unsigned GET cannot read', async () => {
    const [answered] = await uploadThroughContentApi(app, [await scene('ball')])
    if (!answered) throw new Error('no row answered')
    expect(answered.provider).toBe('aws-s3')
    const stored = await storedRow(answered.id)
    const cutout = stored.formats?.rembg
    if (!cutout) throw new Error(`no formats.rembg: ${JSON.stringify(stored.rembg)}`)
    expect(cutout.url).toBe(`${s3.endpoint}${objectPath(cutout)}`)
    for (const url of [stored.url, cutout.url]) expect((await fetch(url)).status).toBe(403)
    expect(s3.requests).toContainEqual({ method: 'PUT', path: objectPath(cutout), signed: true })
    // Strapi answers the row with signed URLs: the cutout is read from the bucket through one.
    await expectProcessed(app, await contentApiFile(app, answered.id))
  })

  it('reprocessing reads the original through a signed URL and stores the new cutout in the bucket', async () => {
    const [answered] = await uploadThroughContentApi(app, [await scene('vase')])
    if (!answered) throw new Error('no row answered')
    const before = await storedRow(answered.id)
    const since = s3.requests.length
    const row = await adminRequest<FileRow>(app, 'POST', `/rembg/files/${answered.id}/process`)
    expect(row.rembg?.status).toBe('done')
    expect(row.rembg?.at).not.toBe(before.rembg?.at)
    const reads = readsOf(objectPath(before), since)
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((read) => read.signed)).toBe(true)
    await expectProcessed(app, await contentApiFile(app, answered.id))
  })

  it('a folder backfill reads every original through a signed URL', async () => {
    const folder = await createFolder(app, 'Products')
    const rows = [
      await uploadThroughMediaLibrary(app, await scene('box'), { folder }),
      await uploadThroughMediaLibrary(app, await scene('ball', 'ball-2.jpg'), { folder }),
    ]
    const since = s3.requests.length
    const { job } = await adminRequest<{ job: Job }>(app, 'POST', `/rembg/folders/${folder}/process`)
    expect(job.total).toBe(2)
    expect(await waitForJob(job.id)).toMatchObject({ state: 'finished', done: 2, failed: 0 })
    for (const row of rows) {
      const reads = readsOf(objectPath(row), since)
      expect(reads.length).toBeGreaterThan(0)
      expect(reads.every((read) => read.signed)).toBe(true)
      const processed = await contentApiFile(app, row.id)
      await expectProcessed(app, processed)
      const cutout = (await storedRow(row.id)).formats?.rembg
      if (!cutout) throw new Error('no formats.rembg')
      expect((await fetch(cutout.url)).status).toBe(403)
    }
  })

  it('a library backfill reads every original through a signed URL', async () => {
    const files = (await app.strapi.db.query('plugin::upload.file').findMany({})) as FileRow[]
    const since = s3.requests.length
    const { job } = await adminRequest<{ job: Job }>(app, 'POST', '/rembg/library/process')
    expect(job.total).toBe(files.length)
    expect(await waitForJob(job.id)).toMatchObject({ state: 'finished', done: files.length, failed: 0 })
    for (const file of files) {
      const reads = readsOf(objectPath(file), since)
      expect(reads.length).toBeGreaterThan(0)
      expect(reads.every((read) => read.signed)).toBe(true)
    }
  })
})

describe('an original that cannot be read back', () => {
  /** Uploads a scene (processed), breaks its stored original with `breakIt`, reprocesses it and answers the row. */
  async function reprocessBroken(breakIt: (stored: FileRow) => Promise<void>): Promise<FileRow> {
    const [answered] = await uploadThroughContentApi(app, [await scene('box', 'broken.jpg')])
    if (!answered) throw new Error('no row answered')
    const stored = await storedRow(answered.id)
    expect(stored.rembg?.status).toBe('done')
    await breakIt(stored)
    await reprocess(answered.id)
    return storedRow(answered.id)
  }

  it('is failed with the HTTP status the provider answered when the object is gone', async () => {
    const row = await reprocessBroken((stored) => app.strapi.plugin('upload').provider.delete(stored))
    expect(row.rembg).toMatchObject({
      status: 'failed',
      error: `could not read the stored file 'broken.jpg' (file ${row.id}): the upload provider answered HTTP 404`,
    })
  })

  it('is failed after readTimeout when the provider does not deliver', async () => {
    let key = ''
    const row = await reprocessBroken(async (stored) => {
      key = `${stored.hash}${stored.ext}`
      s3.stalled.add(key)
    })
    s3.stalled.delete(key)
    expect(row.rembg).toMatchObject({
      status: 'failed',
      error: `could not read the stored file 'broken.jpg' (file ${row.id}): the upload provider did not deliver it within ${readTimeout} ms (readTimeout)`,
    })
  })

  it('is failed without being downloaded when the stored file is over maxSize', async () => {
    const tooLarge = Buffer.alloc(maxSize + 100_000, 7)
    const row = await reprocessBroken((stored) =>
      app.strapi
        .plugin('upload')
        .provider.upload({ hash: stored.hash, ext: stored.ext, path: null, mime: stored.mime, buffer: tooLarge }),
    )
    expect(row.rembg).toMatchObject({
      status: 'failed',
      error: `could not read the stored file 'broken.jpg' (file ${row.id}): it is ${tooLarge.length} bytes, above maxSize (${maxSize} bytes)`,
    })
    // The previous cutout is still there: a failed read changes nothing stored.
    const cutout = row.formats?.rembg
    if (!cutout) throw new Error('the cutout of the earlier run is gone')
    const signed = (await contentApiFile(app, row.id)).formats?.rembg
    await expectCutout(await fetchStored(app, signed?.url ?? ''), { format: 'png', width: 640, height: 480 })
  })
})
