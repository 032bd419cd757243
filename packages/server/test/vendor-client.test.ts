/**
 * The vendor's own client, @remove-background-ai/rembg.js, unmodified, against our server. It posts to the fixed URL
 * https://api.rembg.com/rmbg with the axios it requires; the test adds a request interceptor to that very axios
 * instance that sends the request to loopback instead. Nothing else about the client changes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alphaAt, scenePng, startTestServer, type TestServer } from './helpers.js'

interface VendorOptions {
  returnMask?: boolean
  returnBase64?: boolean
  format?: string
  w?: number
  h?: number
}
interface VendorArgs {
  apiKey: string
  inputImage: string | Buffer | { base64: string }
  options?: VendorOptions
  onUploadProgress?: (event: unknown) => void
  onDownloadProgress?: (event: unknown) => void
}
type VendorResult = { outputImagePath: string; cleanup: () => Promise<void> } | { base64Image: string }

interface AxiosLike {
  interceptors: {
    request: {
      use(onFulfilled: (config: { url?: string }) => { url?: string }): number
      eject(id: number): void
    }
  }
}

const require = createRequire(import.meta.url)
const vendorEntry = require.resolve('@remove-background-ai/rembg.js')
const { rembg } = require(vendorEntry) as { rembg: (args: VendorArgs) => Promise<VendorResult> }
// The axios the vendor client itself requires (resolved from its own folder), not a copy of ours.
const vendorAxios = createRequire(vendorEntry)('axios') as AxiosLike

const apiKey = 'rk_vendor_client_0001'
const quiet = { onUploadProgress: () => {}, onDownloadProgress: () => {} }

let api: TestServer
let interceptor: number
let scene: Buffer
let scenePath: string

beforeAll(async () => {
  api = await startTestServer({
    keys: [{ key: apiKey, membership: 'Premium-20000', credits: 20000, prepaidCredits: 0 }],
  })
  interceptor = vendorAxios.interceptors.request.use((config) => ({
    ...config,
    url: config.url?.replace('https://api.rembg.com', api.url),
  }))
  scene = await scenePng(160, 120)
  scenePath = join(await mkdtemp(join(tmpdir(), 'rembg-vendor-')), 'ball.png')
  await writeFile(scenePath, scene)
})

afterAll(async () => {
  vendorAxios.interceptors.request.eject(interceptor)
  await api?.close()
})

/** The output the client saved to a temp file (removed afterwards with its own cleanup). */
async function savedOutput(result: VendorResult): Promise<Buffer> {
  if (!('outputImagePath' in result)) throw new Error('expected a file result')
  const bytes = await readFile(result.outputImagePath)
  await result.cleanup()
  return bytes
}

async function expectCutout(bytes: Buffer, format: string): Promise<void> {
  expect(await sharp(bytes).metadata()).toMatchObject({ format, width: 160, height: 120, hasAlpha: true })
  expect(await alphaAt(bytes, 0.02, 0.02)).toBeLessThan(20)
  expect(await alphaAt(bytes, 0.5, 0.55)).toBeGreaterThan(235)
}

describe('@remove-background-ai/rembg.js against the server', () => {
  it('removes the background of a file path (webp by default)', async () => {
    const result = await rembg({ apiKey, inputImage: scenePath, ...quiet })
    await expectCutout(await savedOutput(result), 'webp')
  })

  it('removes the background of a Buffer, as png, reporting upload and download progress', async () => {
    const uploads: Array<{ upload?: boolean; progress?: number }> = []
    const downloads: Array<{ download?: boolean; progress?: number }> = []
    const result = await rembg({
      apiKey,
      inputImage: scene,
      options: { format: 'png' },
      onUploadProgress: (event) => uploads.push(event as { upload?: boolean }),
      onDownloadProgress: (event) => downloads.push(event as { download?: boolean }),
    })
    await expectCutout(await savedOutput(result), 'png')
    expect(uploads.at(-1)).toMatchObject({ upload: true, progress: 1 })
    expect(downloads.at(-1)).toMatchObject({ download: true })
  })

  it('removes the background of a base64 input (a data URL too) and returns base64', async () => {
    for (const base64 of [scene.toString('base64'), `data:image/png;base64,${scene.toString('base64')}`]) {
      const result = await rembg({
        apiKey,
        inputImage: { base64 },
        options: { returnBase64: true, format: 'png' },
        ...quiet,
      })
      if (!('base64Image' in result)) throw new Error('expected base64')
      const [prefix, payload = ''] = result.base64Image.split(',')
      expect(prefix).toBe('data:image/png;base64')
      await expectCutout(Buffer.from(payload, 'base64'), 'png')
    }
  })

  it('returns only the alpha mask with returnMask', async () => {
    const result = await rembg({ apiKey, inputImage: scene, options: { returnMask: true, format: 'png' }, ...quiet })
    const mask = await savedOutput(result)
    expect(await sharp(mask).metadata()).toMatchObject({ format: 'png', hasAlpha: false })
    const { data, info } = await sharp(mask).extractChannel(0).raw().toBuffer({ resolveWithObject: true })
    expect(data[0]).toBeLessThan(20)
    expect(data[Math.floor(info.height * 0.55) * info.width + Math.floor(info.width / 2)]).toBeGreaterThan(235)
  })

  it("surfaces the server's documented error through the client's own message", async () => {
    const failure = rembg({ apiKey: 'rk_not_a_key', inputImage: scene, ...quiet })
    await expect(failure).rejects.toThrow('❌ 401 {"error":"invalid api key","status":401}')
  })

  it('charges the key one credit per image it served', async () => {
    const response = await fetch(`${api.url}/api/membership-usage`, { headers: { 'x-api-key': apiKey } })
    // path, Buffer, two base64 inputs, mask: five images; the refused request cost nothing.
    expect(await response.json()).toMatchObject({ membership: 'Premium-20000', api_usage: 5, app_usage: 0 })
  })
})
