/** What a user checks on a running example app (Next 16 or 15), whichever way it was built or started. */
import sharp from 'sharp'
import { expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import { body, imageTag, type RunningApp, staticUrl } from './next-app.ts'

/** The page's two images and the route handler's, fetched from the running app and checked for pixels. */
export function checkServedApp(app: () => RunningApp): void {
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

  it('styles the page with url(./images/vase.jpg?rembg&w=240&format=png) in a CSS module: a 240x180 PNG cutout', async () => {
    const html = await (await app().get('/')).text()
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1] as string)
    const urls: string[] = []
    for (const sheet of new Set(sheets)) {
      const css = await (await app().get(sheet)).text()
      for (const [, url] of css.matchAll(/url\(\s*["']?([^"')]*vase[^"')]*)["']?\s*\)/g))
        urls.push(new URL(url ?? '', new URL(sheet, app().origin)).pathname)
    }
    expect(urls, sheets.join('\n')).toHaveLength(1)
    expect(urls[0]).toMatch(/^\/_next\/static\/media\/vase\b.*\.png$/)
    await expectCutout(await body(await app().get(urls[0] ?? '')), { format: 'png', width: 240, height: 180 })
  })
}
