/**
 * The Vite dev server: a cutout import's module points at a URL the plugin serves with the right Content-Type, and
 * editing the source image gives the importer a new URL with the new cutout.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')
const images = join(repoRoot, 'examples', 'vite', 'src', 'images')

let dir = ''
let server: ViteDevServer
let origin = ''

beforeAll(async () => {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  dir = await mkdtemp(join(parent, 'unplugin-dev-'))
  await copyFile(join(images, 'ball.jpg'), join(dir, 'photo.jpg'))
  await writeFile(join(dir, 'main.js'), "import hero from './photo.jpg?rembg&w=200&format=png'\nconsole.log(hero)\n")
  const { createServer } = await import('vite')
  const rembg = (await import('../dist/vite.js')).default
  server = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    server: { port: 0, host: '127.0.0.1' },
    plugins: [rembg({ model: 'isnet-imgly', cacheDir: join(dir, 'cache') })],
  })
  await server.listen()
  const address = server.httpServer?.address()
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})

afterAll(async () => {
  await server?.close()
})

/** The URL the module of the cutout import exports, as the browser would load it. */
async function cutoutUrl(): Promise<string> {
  const code = await (await fetch(`${origin}/photo.jpg?rembg&w=200&format=png&import`)).text()
  const url = /export default "([^"]+)"/.exec(code)?.[1]
  if (!url) throw new Error(`no URL in the module:\n${code}`)
  return url
}

async function fetchImage(url: string): Promise<{ type: string | null; data: Buffer }> {
  const response = await fetch(`${origin}${url}`)
  expect(response.status).toBe(200)
  return { type: response.headers.get('content-type'), data: Buffer.from(await response.arrayBuffer()) }
}

describe('vite dev server', () => {
  it('serves the cutout as image/png, the same bytes on every request', async () => {
    const url = await cutoutUrl()
    expect(url).toMatch(/^\/@rembg-kit\/photo-[0-9a-f]{10}\.png$/)
    const first = await fetchImage(url)
    expect(first.type).toBe('image/png')
    expect((await sharp(first.data).metadata()).width).toBe(200)
    expect((await fetchImage(url)).data.equals(first.data)).toBe(true)
  })

  it('gives a new cutout after the source image is edited', async () => {
    const before = await cutoutUrl()
    const beforeData = (await fetchImage(before)).data
    await copyFile(join(images, 'box.jpg'), join(dir, 'photo.jpg'))
    // The fixture sits under node_modules, which Vite's watcher ignores: say what the watcher would have seen.
    server.watcher.emit('change', join(dir, 'photo.jpg'))
    // Vite handles the change asynchronously; the module is remade on the first request after that.
    let after = before
    for (let attempt = 0; attempt < 50 && after === before; attempt++) {
      await new Promise((wake) => setTimeout(wake, 100))
      after = await cutoutUrl()
    }
    expect(after).not.toBe(before)
    const afterData = (await fetchImage(after)).data
    expect(afterData.equals(beforeData)).toBe(false)
    expect((await sharp(afterData).metadata()).width).toBe(200)
  })
})
