/**
 * examples/astro as its README says: `astro build` (static), then `astro preview`, and the page's images fetched
 * from the running server: a ?rembg URL in <img>, an as=meta import given to Astro's <Image>, and the url() of the
 * page's <style> block.
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
  typecheckApp,
} from '../../test-support-app.ts'

const root = exampleDir('astro')

describe('examples/astro: astro build, astro preview', () => {
  let build: BuildRun
  let server: AppServer | undefined
  let page: ServedPage

  beforeAll(async () => {
    build = await buildExample('astro', { fresh: true })
    const port = await freePort()
    const astro = join(root, 'node_modules', 'astro', 'astro.js')
    server = await startApp({
      cwd: root,
      args: [astro, 'preview', '--host', '127.0.0.1', '--port', String(port)],
      port,
    })
    page = await readPage(`${server.url}/`)
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('serves ../images/ball.jpg?rembg&w=480&format=png in <img> as a 480x360 PNG cutout', async () => {
    const src = page.images.get('hero')?.src ?? ''
    expect(src).toMatch(/^\/_astro\/ball\.[\w-]+\.png$/)
    await expectCutout(await fetchImage(server?.url ?? '', src), { format: 'png', width: 480, height: 360 })
  })

  it("serves the as=meta import through Astro's <Image> (its optimised copy) as a 320x240 WebP cutout", async () => {
    const box = page.images.get('box') ?? {}
    expect({ width: box.width, height: box.height }).toEqual({ width: '320', height: '240' })
    await expectCutout(await fetchImage(server?.url ?? '', box.src ?? ''), { format: 'webp', width: 320, height: 240 })
  })

  it('serves the url(…?rembg) of the <style> block as a 320x240 WebP cutout', async () => {
    const urls = [...page.html.matchAll(/url\(([^)]+)\)/g)].map((match) => match[1] as string)
    expect(urls).toHaveLength(1)
    expect(urls[0]).toMatch(/^\/_astro\/vase\.[\w-]+\.webp$/)
    await expectCutout(await fetchImage(server?.url ?? '', urls[0] as string), { format: 'webp', width: 320 })
  })

  it("makes one inference per image, cached in the project's node_modules/.cache/rembg-kit", () => {
    expect(countInferences(build.output), build.output).toBe(3)
    expect(existsSync(join(root, 'node_modules', '.cache', 'rembg-kit', 'outputs'))).toBe(true)
  })

  it('type-checks with astro check: an as=meta import is an ImageMetadata for <Image src>', async () => {
    expect(await typecheckApp('astro')).toMatch(/0 errors/)
  })
})
