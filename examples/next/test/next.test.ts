/**
 * examples/next built and served as a user does: `next build` (Turbopack) cold, `next build --webpack` warm, each
 * served by `next start`, then `next dev` twice. Every image a page or the route handler names is fetched from the
 * running server and checked for pixels. One file, so the builds (which share `.next`) run one after the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import {
  body,
  buildApp,
  buildPage,
  type CutoutLine,
  cacheEntries,
  cutoutLines,
  imageTag,
  type RunningApp,
  startApp,
  staticUrl,
} from './next-app.ts'
import { checkServedApp } from './served-app.ts'

/** The example's cutouts: the page's hero, the Client Component's box, the route handler's vase, the CSS's vase. */
const cutouts = [
  'app/images/ball.jpg 800x600 webp',
  'app/images/box.jpg 320x240 png',
  'app/images/vase.jpg 240x180 png',
  'app/images/vase.jpg 480x360 png',
]

/** The distinct cutouts a run printed (webpack's client and server compilations each print theirs), with a source. */
const made = (lines: CutoutLine[]): string[] =>
  [...new Set(lines.map((line) => `${line.file} ${line.size} ${line.format} (${line.source})`))].sort()

describe('examples/next', () => {
  let app: RunningApp | undefined
  const running = (): RunningApp => app as RunningApp
  let coldEntries: string[]

  afterAll(async () => {
    await app?.stop()
  })

  describe('next build (Turbopack), cold, and next start', () => {
    let output: string

    beforeAll(async () => {
      output = await buildApp('build', { fresh: true })
      coldEntries = await cacheEntries()
      app = await startApp('start')
    })
    afterAll(async () => {
      await app?.stop()
      app = undefined
    })

    it('makes the 4 cutouts with one inference per photo (the two vase sizes share a matte)', () => {
      const lines = cutoutLines(output)
      expect(
        made(lines).map((line) => line.replace(/ \(.*\)$/, '')),
        output,
      ).toEqual(cutouts)
      expect(lines.filter((line) => line.source === 'inference')).toHaveLength(3)
      expect(lines.filter((line) => line.source === 'matte reused')).toHaveLength(1)
    })

    checkServedApp(running)
  })

  describe('next build --webpack, warm, and next start', () => {
    let output: string

    beforeAll(async () => {
      output = await buildApp('build:webpack')
      app = await startApp('start')
    })
    afterAll(async () => {
      await app?.stop()
      app = undefined
    })

    it("takes the 4 cutouts from the Turbopack build's cache and adds no cache entry but the blur placeholders", async () => {
      expect(output).toContain('(webpack)')
      expect(made(cutoutLines(output)), output).toEqual(cutouts.map((cutout) => `${cutout} (from cache)`))
      const added = (await cacheEntries()).filter((entry) => !coldEntries.includes(entry))
      // webpack's blurDataURL is the plugin's (an 8 px cutout from the same matte); Turbopack's is Next's own.
      expect(
        added.filter((entry) => !entry.startsWith('outputs/')),
        added.join('\n'),
      ).toEqual([])
      expect(added.length).toBeLessThanOrEqual(3)
    })

    checkServedApp(running)
  })

  describe('next dev (Turbopack)', () => {
    let before: string[]
    let first = ''

    beforeAll(async () => {
      before = await cacheEntries()
      app = await startApp('dev')
    })
    afterAll(async () => {
      await app?.stop()
      app = undefined
    })

    checkServedApp(running)

    it('answers from the cache: no inference and no new cache entry', async () => {
      first = running().output()
      expect(
        cutoutLines(first).filter((line) => line.source === 'inference'),
        first,
      ).toEqual([])
      expect(await cacheEntries()).toEqual(before)
    })

    it('serves the page again after a restart, still without inference', async () => {
      await running().stop()
      app = await startApp('dev')
      const hero = imageTag(await (await running().get('/')).text(), 'hero')
      const file = staticUrl(hero.src ?? '')
      await expectCutout(await body(await running().get(file)), { format: 'webp', width: 800, height: 600 })
      expect(cutoutLines(running().output()).filter((line) => line.source === 'inference')).toEqual([])
      expect(await cacheEntries()).toEqual(before)
    })
  })

  describe('next build (Turbopack) of imports Next cannot take', () => {
    it('fails, naming each import and its reason, instead of serving the photo', async () => {
      const { failed, output } = await buildPage(
        "import hero from './ball.jpg?rembg&w=160;320&as=srcset'\nimport bmp from './ball.jpg?rembg&format=bmp'",
        '{ hero, bmp }',
      )
      expect(failed, output).toBe(true)
      expect(output).toContain(
        'rembg-kit: In Next.js a ?rembg import is a static image ({ src, width, height }), one file: as=srcset, ' +
          'several sizes is not supported (next/image makes the other sizes and the placeholder)',
      )
      expect(output).toMatch(/ball\.jpg\?rembg&w=160;320&as=srcset/)
      expect(output).toContain('rembg-kit: format=bmp is not a static image format of Next.js: use webp, png or jpeg')
      expect(output).toMatch(/ball\.jpg\?rembg&format=bmp/)
    })
  })
})
