// The example app as its README runs it (variant mode, local engine, PNG output), plus an `exclude` glob: every path
// an editor's or a front end's upload takes, checked through HTTP on a real Strapi.
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeInput, loadInput } from '@rembg-kit/core/internal'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import {
  adminFile,
  adminRequest,
  contentApiFile,
  countMattes,
  createFolder,
  expectProcessed,
  expectUntouched,
  type FileRow,
  fetchStored,
  imageFacts,
  replaceThroughContentApi,
  replaceThroughMediaLibrary,
  scene,
  uploadThroughAdmin,
  uploadThroughContentApi,
  uploadThroughMediaLibrary,
} from './media.ts'
import { fixture, type RunningStrapi, startStrapi } from './strapi.ts'

let app: RunningStrapi

beforeAll(async () => {
  app = await startStrapi('upload', {
    plugins: { rembg: { config: { exclude: ['raw-*'], apiKey: 'not-a-real-key' } } },
  })
})
afterAll(() => app?.close())

describe('an image upload gets formats.rembg', () => {
  it('through the content API with an API token', async () => {
    const [row] = await uploadThroughContentApi(app, [await scene('ball')])
    if (!row) throw new Error('no row answered')
    await expectProcessed(app, row)
    // Strapi's sizes of the cutout beside those of the original, each a complete stored PNG with a transparent corner.
    expect(Object.keys(row.formats ?? {}).sort()).toEqual([
      'rembg',
      'rembg_small',
      'rembg_thumbnail',
      'small',
      'thumbnail',
    ])
    for (const key of ['rembg_small', 'rembg_thumbnail']) {
      const size = row.formats?.[key]
      if (!size) throw new Error(`no formats.${key}`)
      const bytes = await fetchStored(app, size.url)
      expect(size.sizeInBytes).toBe(bytes.length)
      await expectCutout(bytes, { format: 'png', width: size.width, height: size.height })
    }
    // The original stays the main file.
    expect(row).toMatchObject({ name: 'ball.jpg', ext: '.jpg', mime: 'image/jpeg', width: 640, height: 480 })
    expect(await imageFacts(await fetchStored(app, row.url))).toEqual({ format: 'jpeg', width: 640, height: 480 })
    // The row read back through the content API says the same.
    const stored = await contentApiFile(app, row.id)
    expect(stored.formats?.rembg).toEqual(row.formats?.rembg)
    expect(stored.rembg).toEqual(row.rembg)
  })

  it('through the admin upload route with an admin JWT, into a folder', async () => {
    const folder = await createFolder(app, 'Products')
    const [row] = await uploadThroughAdmin(app, [await scene('vase')], { folder, name: 'vase.jpg' })
    if (!row) throw new Error('no row answered')
    const stored = await adminFile(app, row.id)
    expect(stored.folder?.id).toBe(folder)
    await expectProcessed(app, stored)
  })

  it("again after Strapi's own replace (?id=), with the new image", async () => {
    const [first] = await uploadThroughContentApi(app, [await scene('box', 'product.jpg')])
    if (!first) throw new Error('no row answered')
    const before = await expectProcessed(app, first)
    const row = await replaceThroughContentApi(app, first.id, await scene('ball', 'product.jpg'))
    expect(row.id).toBe(first.id)
    expect(row.hash).toBe(first.hash)
    const after = await expectProcessed(app, await contentApiFile(app, first.id))
    expect(after.equals(before)).toBe(false)
  })
})

describe('every other upload path is processed too', () => {
  it("the Media Library page's upload and replace (POST /upload/files, /upload/files/:id/replace)", async () => {
    const row = await uploadThroughMediaLibrary(app, await scene('vase', 'library.jpg'))
    const before = await expectProcessed(app, row)
    const replaced = await replaceThroughMediaLibrary(app, row.id, await scene('box', 'library.jpg'))
    expect(replaced.id).toBe(row.id)
    const after = await expectProcessed(app, await adminFile(app, row.id))
    expect(after.equals(before)).toBe(false)
  })

  it("a programmatic strapi.plugin('upload').service('upload').upload()", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rembg-kit-strapi-'))
    try {
      const filepath = join(dir, 'box.jpg')
      await copyFile(fixture('box.jpg'), filepath)
      const file = { filepath, originalFilename: 'box.jpg', mimetype: 'image/jpeg', size: (await stat(filepath)).size }
      const rows = (await app.strapi
        .plugin('upload')
        .service('upload')
        .upload({ data: { fileInfo: {} }, files: file })) as FileRow[]
      expect(rows.map((row) => row.name)).toEqual(['box.jpg'])
      await expectProcessed(app, rows[0] as FileRow)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('uploads that are not processed stay as they were', () => {
  it('a text file', async () => {
    const text = { name: 'notes.txt', bytes: Buffer.from('not an image\n'), type: 'text/plain' }
    const [row] = await uploadThroughContentApi(app, [text])
    if (!row) throw new Error('no row answered')
    expect(row.mime).toBe('text/plain')
    expectUntouched(row)
    expect(await fetchStored(app, row.url)).toEqual(text.bytes)
  })

  it('an image whose name matches `exclude`', async () => {
    const [row] = await uploadThroughContentApi(app, [await scene('ball', 'raw-ball.jpg')])
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
    // Strapi's own formats are still made.
    expect(Object.keys(row.formats ?? {}).sort()).toEqual(['small', 'thumbnail'])
  })

  it('an image uploaded with fileInfo.rembg = false through the admin route', async () => {
    const [row] = await uploadThroughAdmin(app, [await scene('vase', 'opt-out.jpg')], { rembg: false })
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
  })

  it('an image uploaded with fileInfo.rembg = false through the content API', async () => {
    const [row] = await uploadThroughContentApi(app, [await scene('vase', 'opt-out-api.jpg')], {
      fileInfo: { rembg: false },
    })
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
  })
})

it('a corrupt JPEG is stored as uploaded, its failure recorded with core’s message', async () => {
  // A real JPEG's first 20 bytes (SOI and the JFIF header) and then noise: Strapi cannot read it as an image, so it
  // stores it as a plain file (one whose header Strapi reads but whose data is broken gets Strapi's own 400).
  const head = (await readFile(fixture('ball.jpg'))).subarray(0, 20)
  const bytes = Buffer.concat([head, Buffer.alloc(20_000, 0x55)])
  const expected = await loadInput(bytes, { fileName: 'broken.jpg' })
    .then(decodeInput)
    .then(
      () => null,
      (error: Error) => error.message,
    )
  expect(expected).toBe('File does not appear to be a valid image (invalid file signature)')
  const warn = vi.spyOn(app.strapi.log, 'warn')
  const [row] = await uploadThroughContentApi(app, [{ name: 'broken.jpg', bytes, type: 'image/jpeg' }])
  const lines = warn.mock.calls.map((call) => String(call[0]))
  warn.mockRestore()
  if (!row) throw new Error('no row answered')
  expect(row.rembg).toMatchObject({ status: 'failed', error: expected, engine: 'local' })
  // The failure is in the log too, with the file's name and the reason.
  expect(lines.filter((line) => line.includes("'broken.jpg'") && line.includes(expected as string))).toHaveLength(1)
  expect(Object.keys(row.formats ?? {})).not.toContain('rembg')
  expect(await fetchStored(app, row.url)).toEqual(bytes)
})

it('the same bytes uploaded twice make one inference', async () => {
  // Bytes no other test uploads, so the cache cannot already hold their matte.
  const mirrored = await sharp(await readFile(fixture('vase.jpg')))
    .flop()
    .jpeg()
    .toBuffer()
  const before = await countMattes(app)
  const upload = { name: 'mirrored.jpg', bytes: mirrored, type: 'image/jpeg' }
  const [first] = await uploadThroughContentApi(app, [upload])
  const [second] = await uploadThroughContentApi(app, [upload])
  if (!first || !second) throw new Error('no row answered')
  expect(await countMattes(app)).toBe(before + 1)
  const one = await expectProcessed(app, first)
  const two = await expectProcessed(app, second)
  expect(two.equals(one)).toBe(true)
  expect(second.formats?.rembg?.hash).not.toBe(first.formats?.rembg?.hash)
})

describe('admin routes', () => {
  it('POST /rembg/files/:id/process processes one file', async () => {
    const [row] = await uploadThroughAdmin(app, [await scene('box', 'later.jpg')], { rembg: false })
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
    const processed = await adminRequest<FileRow>(app, 'POST', `/rembg/files/${row.id}/process`)
    expect(processed.id).toBe(row.id)
    await expectProcessed(app, processed)
    expect((await adminFile(app, row.id)).formats?.rembg).toEqual(processed.formats?.rembg)
  })

  it('POST /rembg/folders/:id/process processes every image of the folder, its progress readable', async () => {
    const folder = await createFolder(app, 'Archive')
    const images = [await scene('ball', 'a.jpg'), await scene('vase', 'b.jpg')]
    // With several files the admin route pairs each fileInfo with its file by name (and drops the unnamed ones).
    const rows = await uploadThroughAdmin(
      app,
      images,
      images.map((image) => ({ name: image.name, folder, rembg: false })),
    )
    expect(rows.map((row) => row.name)).toEqual(['a.jpg', 'b.jpg'])
    const text = { name: 'readme.txt', bytes: Buffer.from('text'), type: 'text/plain' }
    await uploadThroughAdmin(app, [text], { folder })
    type Job = { job: { id: string | number; total: number; done: number; failed: number; state: string } }
    const started = await adminRequest<Job>(app, 'POST', `/rembg/folders/${folder}/process`)
    expect(started.job).toMatchObject({ total: 2, failed: 0, state: 'running' })
    let progress = started
    while (progress.job.state !== 'finished') {
      await new Promise((resolve) => setTimeout(resolve, 200))
      progress = await adminRequest<Job>(app, 'GET', `/rembg/jobs/${started.job.id}`)
    }
    expect(progress.job).toMatchObject({
      id: started.job.id,
      scope: { type: 'folder', folderId: folder, path: '/Archive' },
      total: 2,
      done: 2,
      failed: 0,
      skipped: 0,
      state: 'finished',
    })
    for (const row of rows) await expectProcessed(app, await adminFile(app, row.id))
  })

  it('GET /rembg/settings answers the effective config with the API key masked', async () => {
    const settings = await adminRequest<Record<string, unknown>>(app, 'GET', '/rembg/settings')
    expect(settings).toMatchObject({
      mode: 'variant',
      engine: 'local',
      model: 'isnet-imgly',
      params: { format: 'png' },
      exclude: ['raw-*'],
      include: [],
      folders: [],
      async: false,
      concurrency: 1,
      apiKey: '********',
    })
    expect(JSON.stringify(settings)).not.toContain('not-a-real-key')
  })
})
