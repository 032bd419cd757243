// async: true answers the upload before processing ends and records the result on the row later.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expectProcessed, scene, uploadThroughContentApi, waitForStatus } from './media.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

let app: RunningStrapi
beforeAll(async () => {
  app = await startStrapi('async', { plugins: { rembg: { config: { async: true } } } })
})
afterAll(() => app?.close())

it('the response says pending, the row says done later, with formats.rembg', async () => {
  const [row] = await uploadThroughContentApi(app, [await scene('box')])
  if (!row) throw new Error('no row answered')
  expect(row.rembg?.status).toBe('pending')
  expect(Object.keys(row.formats ?? {})).not.toContain('rembg')
  // Strapi deleted its temp file when it answered: done proves the plugin kept the bytes.
  await expectProcessed(app, await waitForStatus(app, row.id))
})
