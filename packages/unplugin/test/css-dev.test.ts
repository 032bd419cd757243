/**
 * The Vite dev server (what `astro dev`, `vite dev` in SvelteKit and `nuxt dev` run): a stylesheet's
 * `url(./photo.jpg?rembg…)` is served pointing at the cutout the plugin serves, never at the original photo.
 */
import { join } from 'node:path'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, expectCutout } from './support/host-builds.js'

let server: ViteDevServer
let origin = ''

beforeAll(async () => {
  const dir = await createProject('css-dev', {
    'photo.jpg': { photo: true },
    'style.css': '.hero { background: url(./photo.jpg?rembg&w=160&format=png); }\n',
  })
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

describe('vite dev server, stylesheets', () => {
  it('serves the CSS with a url() of the cutout, which answers as a 160 px PNG cutout', async () => {
    // `?direct` asks for the stylesheet as CSS (as a <link> does), not as the JS module an import gets.
    const css = await (await fetch(`${origin}/style.css?direct`)).text()
    const url = /url\(["']?([^"')]+)["']?\)/.exec(css)?.[1] ?? ''
    expect(url, css).toMatch(/^\/@rembg-kit\/photo-[0-9a-f]{10}\.png$/)
    const response = await fetch(`${origin}${url}`)
    expect(response.headers.get('content-type')).toBe('image/png')
    await expectCutout(Buffer.from(await response.arrayBuffer()), 'png', 160)
  })
})
