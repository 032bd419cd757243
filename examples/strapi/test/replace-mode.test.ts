// mode 'replace': the processed image becomes the main file, the original is kept as formats.original.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import { contentApiFile, fetchStored, imageFacts, scene, uploadThroughContentApi } from './media.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

let app: RunningStrapi
beforeAll(async () => {
  app = await startStrapi('replace-mode', { plugins: { rembg: { config: { mode: 'replace' } } } })
})
afterAll(() => app?.close())

it('the main file is the cutout and formats.original the uploaded JPEG', async () => {
  const [row] = await uploadThroughContentApi(app, [await scene('vase')])
  if (!row) throw new Error('no row answered')
  expect(row.rembg).toMatchObject({ status: 'done', engine: 'local', model: 'isnet-imgly' })
  expect(row).toMatchObject({ name: 'vase.png', ext: '.png', mime: 'image/png', width: 640, height: 480 })
  await expectCutout(await fetchStored(app, row.url), { format: 'png', width: 640, height: 480 })
  const original = row.formats?.original
  if (!original) throw new Error(`no formats.original: ${JSON.stringify(row.formats)}`)
  expect(original).toMatchObject({ ext: '.jpg', mime: 'image/jpeg', width: 640, height: 480 })
  expect(original.hash).not.toBe(row.hash)
  const bytes = await fetchStored(app, original.url)
  expect(await imageFacts(bytes)).toEqual({ format: 'jpeg', width: 640, height: 480 })
  expect(original.sizeInBytes).toBe(bytes.length)
  expect(Object.keys(row.formats ?? {})).not.toContain('rembg')
  expect((await contentApiFile(app, row.id)).formats?.original).toEqual(original)
})
