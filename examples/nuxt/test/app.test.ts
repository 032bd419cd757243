/**
 * examples/nuxt as its README says: `nuxt build`, then `node .output/server/index.mjs`, and the page's images fetched
 * from the running server: the ?rembg imports of app.vue and the url() of its <style> block. Nuxt's Vite root is
 * app/: the cache must still land in the project's node_modules/.cache/rembg-kit.
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleDir, expectCutout } from '../../test-support.ts'
import {
  type AppServer,
  buildApp,
  countInferences,
  fetchImage,
  freePort,
  readPage,
  readSummaries,
  type ServedPage,
  startApp,
  stylesheetImageUrls,
  typecheckApp,
} from '../../test-support-app.ts'

const root = exampleDir('nuxt')

describe('examples/nuxt: nuxt build, node .output/server/index.mjs', () => {
  let buildOutput = ''
  let server: AppServer | undefined
  let page: ServedPage

  beforeAll(async () => {
    // Where the cache went before the fix: Nuxt's Vite root is app/.
    await rm(join(root, 'app', 'node_modules'), { recursive: true, force: true })
    // Nuxt's logger (consola) shows only warnings and errors under test (NODE_ENV=test, as vitest sets it).
    buildOutput = await buildApp('nuxt', { NODE_ENV: 'production', TEST: '' })
    const port = await freePort()
    const env = { PORT: String(port), HOST: '127.0.0.1' }
    server = await startApp({ cwd: root, args: [join('.output', 'server', 'index.mjs')], port, env })
    page = await readPage(`${server.url}/`)
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('serves ~/assets/ball.jpg?rembg&w=480&format=png as a 480x360 PNG cutout', async () => {
    const src = page.images.get('hero')?.src ?? ''
    expect(src).toMatch(/^\/_nuxt\/ball\.[\w-]+\.png$/)
    await expectCutout(await fetchImage(server?.url ?? '', src), { format: 'png', width: 480, height: 360 })
  })

  it('serves the as=meta import with the width and height of its 320x240 WebP cutout', async () => {
    const box = page.images.get('box') ?? {}
    expect({ width: box.width, height: box.height }).toEqual({ width: '320', height: '240' })
    await expectCutout(await fetchImage(server?.url ?? '', box.src ?? ''), { format: 'webp', width: 320, height: 240 })
  })

  it('serves the url(…?rembg) of the <style> block as a 320x240 WebP cutout', async () => {
    // Nuxt inlines the page's styles into the server-rendered HTML, or links them.
    const inline = [...page.html.matchAll(/url\(([^)]+)\)/g)].map(
      (match) => new URL(match[1] as string, server?.url).href,
    )
    const urls = [...new Set([...inline, ...(await stylesheetImageUrls(page.stylesheets))])]
    expect(urls).toHaveLength(1)
    expect(urls[0]).toMatch(/\/_nuxt\/vase\.[\w-]+\.webp$/)
    await expectCutout(await fetchImage(server?.url ?? '', urls[0] as string), { format: 'webp', width: 320 })
  })

  it("caches in the project's node_modules/.cache/rembg-kit, not in app/ (Nuxt's Vite root)", () => {
    const summaries = readSummaries(buildOutput)
    expect(summaries.length, buildOutput).toBeGreaterThan(0)
    expect(countInferences(buildOutput), buildOutput).toBe(3)
    expect(existsSync(join(root, 'node_modules', '.cache', 'rembg-kit', 'outputs'))).toBe(true)
    expect(existsSync(join(root, 'app', 'node_modules'))).toBe(false)
  })

  it("type-checks the app's components with vue-tsc: the ?rembg imports of app.vue, as written", async () => {
    await expect(typecheckApp('nuxt')).resolves.toBeTypeOf('string')
  })
})
