/**
 * examples/sveltekit as its README says: `vite build` (adapter-node), then `node build`, and the page's images
 * fetched from the running server: the ?rembg imports of +page.svelte and the url() of its <style> block.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuildRun, buildExample, exampleDir, expectCutout } from '../../test-support.ts'
import {
  type AppServer,
  countInferences,
  fetchImage,
  freePort,
  readPage,
  type ServedPage,
  startApp,
  stylesheetImageUrls,
  typecheckApp,
} from '../../test-support-app.ts'

const root = exampleDir('sveltekit')

describe('examples/sveltekit: vite build, node build', () => {
  let build: BuildRun
  let server: AppServer | undefined
  let page: ServedPage

  beforeAll(async () => {
    build = await buildExample('sveltekit', { fresh: true })
    const port = await freePort()
    server = await startApp({ cwd: root, args: ['build'], port, env: { PORT: String(port), HOST: '127.0.0.1' } })
    page = await readPage(`${server.url}/`)
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('serves $lib/images/ball.jpg?rembg&w=480&format=png as a 480x360 PNG cutout', async () => {
    const src = page.images.get('hero')?.src ?? ''
    expect(src).toMatch(/\.png$/)
    await expectCutout(await fetchImage(server?.url ?? '', src), { format: 'png', width: 480, height: 360 })
  })

  it('serves the as=meta import with the width and height of its 320x240 WebP cutout', async () => {
    const box = page.images.get('box') ?? {}
    expect({ width: box.width, height: box.height }).toEqual({ width: '320', height: '240' })
    await expectCutout(await fetchImage(server?.url ?? '', box.src ?? ''), { format: 'webp', width: 320, height: 240 })
  })

  it('serves the url(…?rembg) of the <style> block as a 320x240 WebP cutout', async () => {
    const urls = await stylesheetImageUrls(page.stylesheets)
    expect(urls).toHaveLength(1)
    expect(urls[0]).toMatch(/\/vase\.[\w-]+\.webp$/)
    await expectCutout(await fetchImage(server?.url ?? '', urls[0] as string), { format: 'webp', width: 320 })
  })

  it("makes one inference per image, cached in the project's node_modules/.cache/rembg-kit", () => {
    expect(countInferences(build.output), build.output).toBe(3)
    expect(existsSync(join(root, 'node_modules', '.cache', 'rembg-kit', 'outputs'))).toBe(true)
  })

  it('type-checks with svelte-check: the ?rembg imports of a component, as written', async () => {
    expect(await typecheckApp('sveltekit')).toMatch(/svelte-check found 0 errors and 0 warnings/)
  })
})
