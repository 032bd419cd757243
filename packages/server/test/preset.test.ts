import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alphaAt, errorOf, postImage, scenePng, startTestApp, type TestApp } from './helpers.js'

// `preset` is our extension of the rembg.com API's form (the vendor has no such field and ignores unknown ones).
describe('POST /rmbg with the preset field', () => {
  let api: TestApp
  let scene: Buffer
  beforeAll(async () => {
    api = await startTestApp()
    scene = await scenePng()
  })
  afterAll(() => api.close())

  it('cuts out with preset=fast: transparent background, subject kept', async () => {
    const response = await postImage(api.fetch, { image: scene, fields: { format: 'png', preset: 'fast' } })
    expect(response.status).toBe(200)
    const cutout = Buffer.from(await response.arrayBuffer())
    expect(await sharp(cutout).metadata()).toMatchObject({ format: 'png', width: 160, height: 120, channels: 4 })
    expect(await alphaAt(cutout, 0.02, 0.02)).toBeLessThan(20)
    expect(await alphaAt(cutout, 0.5, 0.55)).toBeGreaterThan(235)
    expect(api.logs.text).toContain('preset fast (640x640)')
  })

  it("refuses an unknown preset with core's message, as a bad parameter", async () => {
    const response = await postImage(api.fetch, { image: scene, fields: { preset: 'turbo' } })
    expect(await errorOf(response)).toEqual({
      status: 400,
      body: { error: "Unknown preset 'turbo'. Presets: quality, fast", status: 400 },
    })
  })
})
