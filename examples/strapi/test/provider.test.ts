// An S3-like upload provider (another folder, absolute URLs on another server) receives the processed file: the
// plugin stores through Strapi's provider service, never into public/uploads.
import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expectProcessed, scene, uploadThroughContentApi } from './media.ts'
import { appDir, type RunningStrapi, startStrapi } from './strapi.ts'

const providerPath = join(appDir, 'test', 'fake-s3-provider.cjs')
let app: RunningStrapi
let bucket: string
let cdn: Server
let cdnUrl: string

/** The "CDN": serves the bucket folder on a loopback port. */
async function serveBucket(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\//, ''))
    createReadStream(file)
      .on('error', () => response.writeHead(404).end())
      .on('open', () => response.writeHead(200))
      .pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

beforeAll(async () => {
  expect(providerPath).toBe(providerPath.toLowerCase())
  bucket = await mkdtemp(join(appDir, '.tmp-test-bucket-'))
  cdn = await serveBucket(bucket)
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`
  app = await startStrapi('provider', {
    plugins: { upload: { config: { provider: providerPath, providerOptions: { dir: bucket, baseUrl: cdnUrl } } } },
  })
})
afterAll(async () => {
  await app?.close()
  cdn?.close()
  await rm(bucket, { recursive: true, force: true })
})

it('the provider stores formats.rembg and gives it its absolute URL', async () => {
  const [row] = await uploadThroughContentApi(app, [await scene('ball')])
  if (!row) throw new Error('no row answered')
  expect(row.provider).toBe(providerPath)
  expect(row.url).toBe(`${cdnUrl}/${row.hash}${row.ext}`)
  const rembg = row.formats?.rembg
  expect(rembg?.url).toBe(`${cdnUrl}/${rembg?.hash}.png`)
  expect(rembg).toMatchObject({ provider_metadata: { bucket: 'fake-s3', key: `${rembg?.hash}.png` } })
  await expectProcessed(app, row)
  const keys = Object.values(row.formats ?? {}).map((format) => `${format.hash}${format.ext}`)
  expect((await readdir(bucket)).sort()).toEqual([`${row.hash}${row.ext}`, ...keys].sort())
  expect(await readdir(join(app.dir, 'public', 'uploads'))).toEqual([])
})
