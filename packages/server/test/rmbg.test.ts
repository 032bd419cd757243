/**
 * POST /rmbg serving images with the real model: a cutout whose background is gone and whose subject stays, the
 * right Content-Type for every format, the parameters applied, the vendor client's extra fields accepted, and the
 * documentation's curl example field for field (run with curl itself when it is installed, and with fetch). The
 * answers are checked through fastify's inject(); the curl example goes over real HTTP, since the client is the point.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  alphaAt,
  postImage,
  scenePng,
  startTestApp,
  startTestServer,
  type TestApp,
  type TestServer,
} from './helpers.js'

let api: TestApp
let scene: Buffer

beforeAll(async () => {
  api = await startTestApp()
  scene = await scenePng(160, 120)
})
afterAll(() => api?.close())

describe('POST /rmbg', () => {
  it('answers /healthz 200 once the model is loaded', async () => {
    const response = await api.fetch('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('removes the background: the corner is transparent, the centre (the ball) opaque', async () => {
    const response = await postImage(api.fetch, { image: scene, fileName: 'ball.png', fields: { format: 'png' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    const cutout = Buffer.from(await response.arrayBuffer())
    expect(await sharp(cutout).metadata()).toMatchObject({ format: 'png', width: 160, height: 120, channels: 4 })
    expect(await alphaAt(cutout, 0.02, 0.02)).toBeLessThan(20)
    expect(await alphaAt(cutout, 0.5, 0.55)).toBeGreaterThan(235)
  })

  it.each([
    ['webp', 'image/webp', 'webp'],
    ['png', 'image/png', 'png'],
    ['jpeg', 'image/jpeg', 'jpeg'],
    ['jpg', 'image/jpeg', 'jpeg'],
  ])('answers format=%s as %s', async (format, mime, decoded) => {
    const response = await postImage(api.fetch, { image: scene, fields: { format, w: '80' } })
    expect(response.headers.get('content-type')).toBe(mime)
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    expect(metadata).toMatchObject({ format: decoded, width: 80, height: 60 })
  })

  it('answers webp when no format is given, as the API does', async () => {
    const response = await postImage(api.fetch, { image: scene })
    expect(response.headers.get('content-type')).toBe('image/webp')
  })

  it('answers bmp with its Content-Type and a BMP signature', async () => {
    const response = await postImage(api.fetch, { image: scene, fields: { format: 'bmp' } })
    expect(response.headers.get('content-type')).toBe('image/bmp')
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('BM')
  })

  it('answers the alpha matte with mask=true: white subject, black background, no alpha', async () => {
    const response = await postImage(api.fetch, { image: scene, fields: { mask: 'true', format: 'png' } })
    const matte = Buffer.from(await response.arrayBuffer())
    expect((await sharp(matte).metadata()).hasAlpha).toBe(false)
    const { data, info } = await sharp(matte).extractChannel(0).raw().toBuffer({ resolveWithObject: true })
    const at = (x: number, y: number) => data[Math.floor(y * info.height) * info.width + Math.floor(x * info.width)]
    expect(at(0.02, 0.02)).toBeLessThan(20)
    expect(at(0.5, 0.55)).toBeGreaterThan(235)
  })

  it("accepts the vendor client's extra fields (return_base64, w=0, h=0) and ignores unknown fields", async () => {
    const fields = { w: '0', h: '0', return_base64: 'true', format: 'png', utm_source: 'newsletter' }
    const response = await postImage(api.fetch, { image: scene, fields })
    expect(response.status).toBe(200)
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ width: 160, height: 120 })
  })

  it('applies bg_color, exact_resize and angle', async () => {
    const fields = { format: 'png', bg_color: 'red', w: '50', h: '50', exact_resize: 'true', angle: '90' }
    const response = await postImage(api.fetch, { image: scene, fields })
    const { data, info } = await sharp(Buffer.from(await response.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect(info).toMatchObject({ width: 50, height: 50 })
    expect([...data.subarray(0, info.channels)]).toEqual(info.channels === 4 ? [255, 0, 0, 255] : [255, 0, 0])
  })
})

/** The curl example of the documentation, every field as written there. */
const curlFields = {
  format: 'webp',
  w: '800',
  h: '600',
  exact_resize: 'false',
  mask: 'false',
  bg_color: '#ffffffff',
  angle: '0',
  expand: 'true',
}

describe("the documentation's curl example, field for field", () => {
  let imagePath: string
  let http: TestServer
  beforeAll(async () => {
    http = await startTestServer()
    imagePath = join(await mkdtemp(join(tmpdir(), 'rembg-server-curl-')), 'image.jpg')
    await writeFile(imagePath, await sharp(scene).jpeg().toBuffer())
  })
  afterAll(() => http?.close())

  /** What the example asks for: a webp within 800x600, on an opaque white background. */
  async function checkAnswer(bytes: Buffer): Promise<void> {
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
    expect((await sharp(bytes).metadata()).format).toBe('webp')
    expect(info.width).toBeLessThanOrEqual(800)
    expect(info.height).toBeLessThanOrEqual(600)
    expect(Math.max(info.width, info.height)).toBeGreaterThan(160)
    const corner = [...data.subarray(0, info.channels)]
    for (const value of corner) expect(value).toBeGreaterThan(245)
  }

  it('answers the same image to curl -F ... and to the same multipart sent with fetch', async () => {
    const headers = { 'x-api-key': 'YOUR_API_KEY_HERE' }
    const image = await sharp(scene).jpeg().toBuffer()
    const viaFetch = await postImage(http.url, { image, fileName: 'image.jpg', fields: curlFields, headers })
    expect(viaFetch.status).toBe(200)
    expect(viaFetch.headers.get('content-type')).toBe('image/webp')
    const fetched = Buffer.from(await viaFetch.arrayBuffer())
    await checkAnswer(fetched)
    const curl = await runCurl(http.url, imagePath, headers['x-api-key'])
    if (curl === null) return // curl is not installed: the fetch request above sent the same parts.
    expect(curl.equals(fetched)).toBe(true)
  })
})

/** Runs the example's command line against `url`; null when curl is missing. */
async function runCurl(url: string, imagePath: string, key: string): Promise<Buffer | null> {
  const fieldArgs = Object.entries(curlFields).flatMap(([name, value]) => ['-F', `${name}=${value}`])
  const args = ['-sS', '--fail-with-body', '-X', 'POST', `${url}/rmbg`, '-H', `x-api-key: ${key}`]
  try {
    const { stdout } = await promisify(execFile)('curl', [...args, '-F', `image=@${imagePath}`, ...fieldArgs], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}
