/**
 * examples/next built and served as a user does: `next build` (Turbopack) cold, `next build --webpack` warm, each
 * served by `next start`, then `next dev` twice. Every image a page or the route handler names is fetched from the
 * running server and checked for pixels. One file, so the builds (which share `.next`) run one after the other.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import {
  body,
  buildApp,
  type CutoutLine,
  cacheEntries,
  cutoutLines,
  imageTag,
  type RunningApp,
  startApp,
  staticUrl,
} from './next-app.ts'

/** The three imports of the example: the page's hero, the Client Component's box, the route handler's vase. */
const cutouts = [
  { file: 'app/images/ball.jpg', size: '800x600', format: 'webp' },
  { file: 'app/images/box.jpg', size: '320x240', format: 'png' },
  { file: 'app/images/vase.jpg', size: '480x360', format: 'png' },
]

const withSource = (source: CutoutLine['source']): CutoutLine[] =>
  cutouts.map((cutout) => ({ ...cutout, source }) as CutoutLine)

/** The distinct cutouts a run printed (webpack's client and server compilations each print theirs). */
const distinct = (lines: CutoutLine[]): CutoutLine[] =>
  [...new Map(lines.map((line) => [JSON.stringify(line), line])).values()].sort((a, b) => a.file.localeCompare(b.file))

/** What a user checks on the running app, whichever way it was built or started. */
function checkServedApp(app: () => RunningApp): void {
  it('renders the Server Component hero with next/image: an 800x600 WebP cutout, raw and optimised', async () => {
    const hero = imageTag(await (await app().get('/')).text(), 'hero')
    expect({ width: hero.width, height: hero.height }).toEqual({ width: '800', height: '600' })
    const file = staticUrl(hero.src ?? '')
    expect(file).toMatch(/^\/_next\/static\/media\/ball\b.*\.webp$/)
    await expectCutout(await body(await app().get(file)), { format: 'webp', width: 800, height: 600 })
    // next/image's URL goes through Next's optimiser, which keeps the alpha channel and does not enlarge.
    const optimised = await app().get(hero.src ?? '', { accept: 'image/webp,image/*' })
    await expectCutout(await body(optimised), { format: 'webp', width: 800, height: 600 })
  })

  it('renders the Client Component box in a plain <img>: a 320x240 PNG cutout shown at half size', async () => {
    const box = imageTag(await (await app().get('/')).text(), 'box')
    expect({ width: box.width, height: box.height }).toEqual({ width: '160', height: '120' })
    expect(box.src).toMatch(/^\/_next\/static\/media\/box\b.*\.png$/)
    await expectCutout(await body(await app().get(box.src ?? '')), { format: 'png', width: 320, height: 240 })
  })

  it('answers the route handler with the vase cutout: its URL serves a 480x360 PNG, its blur a tiny cutout', async () => {
    const vase = (await (await app().get('/api/cutout')).json()) as Record<string, unknown>
    expect({ width: vase.width, height: vase.height }).toEqual({ width: 480, height: 360 })
    expect(vase.src).toMatch(/^\/_next\/static\/media\/vase\b.*\.png$/)
    await expectCutout(await body(await app().get(String(vase.src))), { format: 'png', width: 480, height: 360 })
    const blur = Buffer.from(String(vase.blurDataURL).replace(/^data:image\/\w+;base64,/, ''), 'base64')
    const { width, height, hasAlpha } = await sharp(blur).metadata()
    expect({ width, height, hasAlpha }).toEqual({ width: 8, height: 6, hasAlpha: true })
  })
}

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

    it('makes each of the 3 cutouts with one inference', () => {
      expect(distinct(cutoutLines(output)), output).toEqual(withSource('inference'))
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

    it("takes the 3 cutouts from the Turbopack build's cache and adds no cache entry but the blur placeholders", async () => {
      expect(output).toContain('(webpack)')
      expect(distinct(cutoutLines(output)), output).toEqual(withSource('from cache'))
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
})
