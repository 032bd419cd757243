/**
 * The one contract every bundler example (webpack, Rspack, Rollup, esbuild) meets. Each example's page imports the
 * same three cutouts (src/main.js): `ball.jpg?rembg&w=480&format=png` as a URL, `vase.jpg?rembg&w=160;320&as=srcset`
 * and `box.jpg?rembg&w=320&format=webp&as=meta`. The checks build the example as its README says, run the page's
 * scripts against a minimal DOM (so the URLs are the ones a browser would request, public path and all), and decode
 * the files those URLs name in dist/.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { type BuildRun, buildExample, exampleDir, expectCutout, expectHashedName } from './test-support.js'

export interface BundlerExample {
  /** Where dist/ is served: the URL path every emitted file's URL starts with (`output.publicPath` and friends). */
  publicPath: string
  /** The folder of dist/ that the configured asset names put the cutouts in. */
  assetsDir: string
}

/** What the page's scripts appended to <body>: each <img> by its id, with its attributes. */
type ShownImages = Map<string, Record<string, string>>

const origin = 'http://localhost'
const imageFile = /\.(png|webp|jpe?g|avif)$/

/** Registers the contract's tests for `examples/<name>`. */
export function checkBundlerExample(name: string, example: BundlerExample): void {
  const dist = join(exampleDir(name), 'dist')
  const pageUrl = `${origin}${example.publicPath}index.html`

  /** The dist/ file a URL of the page names (resolved as a browser would, then stripped of the public path). */
  const fileOf = (url: string): string => {
    const { pathname, search, hash } = new URL(url, pageUrl)
    expect(pathname.startsWith(example.publicPath), `${url} is served under ${example.publicPath}`).toBe(true)
    expect(search + hash, `${url} names the file alone`).toBe('')
    return decodeURIComponent(pathname.slice(example.publicPath.length))
  }
  const readDist = (file: string): Promise<Buffer> => readFile(join(dist, file))

  describe(`the ${name} example`, () => {
    let cold: BuildRun
    let coldImages: string[]
    let shown: ShownImages

    beforeAll(async () => {
      cold = await buildExample(name, { fresh: true })
      coldImages = await listImages(dist)
      shown = await showPage(dist, pageUrl, fileOf)
    })

    it('prints one summary line: 4 images, 3 inferences, 0 from cache on a cold build', () => {
      expect(cold.output.match(/rembg-kit: \d+ images?/g), cold.output).toHaveLength(1)
      expect(cold.summary).toEqual({ images: 4, inferences: 3, fromCache: 0 })
    })

    it(`emits exactly the 4 cutouts the page uses, in ${example.assetsDir}/ with hashed names`, () => {
      const vaseUrls = srcsetEntries(shown.get('vase')?.srcset).map((entry) => entry.url)
      const used = [shown.get('ball')?.src ?? '', ...vaseUrls, shown.get('box')?.src ?? '']
      expect(coldImages).toEqual(used.map(fileOf).sort())
      for (const file of coldImages) {
        expect(file.startsWith(`${example.assetsDir}/`), file).toBe(true)
        expectHashedName(file)
      }
    })

    it('shows ball.jpg?rembg&w=480&format=png as a 480x360 PNG cutout', async () => {
      const src = shown.get('ball')?.src ?? ''
      expect(src).toMatch(/\.png$/)
      await expectCutout(await readDist(fileOf(src)), { format: 'png', width: 480, height: 360 })
    })

    it('shows vase.jpg?rembg&w=160;320&as=srcset as a srcset of 160w and 320w WebP cutouts', async () => {
      const entries = srcsetEntries(shown.get('vase')?.srcset)
      expect(entries.map((entry) => entry.descriptor)).toEqual(['160w', '320w'])
      for (const { url, descriptor } of entries) {
        const width = Number.parseInt(descriptor, 10)
        expect(url).toMatch(/\.webp$/)
        await expectCutout(await readDist(fileOf(url)), { format: 'webp', width, height: (width * 3) / 4 })
      }
    })

    it('shows box.jpg?rembg&w=320&format=webp&as=meta with the meta width, height and format of its file', async () => {
      const box = shown.get('box') ?? {}
      expect({ width: box.width, height: box.height, format: box['data-format'] }).toEqual({
        width: '320',
        height: '240',
        format: 'webp',
      })
      await expectCutout(await readDist(fileOf(box.src ?? '')), { format: 'webp', width: 320, height: 240 })
    })

    it('builds again with no inference, all 4 from cache, and the same file names', async () => {
      const warm = await buildExample(name)
      expect(warm.summary).toEqual({ images: 4, inferences: 0, fromCache: 4 })
      expect(await listImages(dist)).toEqual(coldImages)
    })
  })
}

/** Every image file under dist/, relative and sorted. */
async function listImages(dist: string): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile() && imageFile.test(entry.name))
  return files.map((entry) => relative(dist, join(entry.parentPath, entry.name))).sort()
}

/** `a.webp 160w, b.webp 320w` as its entries, in order. */
function srcsetEntries(srcset: string | undefined): { url: string; descriptor: string }[] {
  expect(srcset, 'a srcset attribute').toBeTypeOf('string')
  return (srcset ?? '').split(',').map((candidate) => {
    const [url = '', descriptor = ''] = candidate.trim().split(/\s+/)
    return { url, descriptor }
  })
}

/**
 * Runs the scripts dist/index.html loads, in order, against a DOM that has just what src/main.js uses, and returns
 * the images they appended. `document.currentScript` and `baseURI` are set as in a browser, since bundlers resolve
 * relative asset URLs from them.
 */
async function showPage(dist: string, pageUrl: string, fileOf: (url: string) => string): Promise<ShownImages> {
  const html = await readFile(join(dist, 'index.html'), 'utf8')
  // html-webpack-plugin minifies in production mode, so the attribute may come unquoted.
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc=(?:"([^"]+)"|([^\s>"]+))/g)].map((m) => m[1] ?? m[2] ?? '')
  expect(scripts.length, `a script in dist/index.html:\n${html}`).toBeGreaterThan(0)
  const shown: ShownImages = new Map()
  for (const script of scripts) {
    const scriptUrl = new URL(script, pageUrl).href
    const document = fakeDocument(shown, pageUrl, scriptUrl)
    const context = { document, URL, location: new URL(pageUrl) }
    runInNewContext(await readFile(join(dist, fileOf(scriptUrl)), 'utf8'), {
      ...context,
      window: context,
      self: context,
    })
  }
  return shown
}

function fakeDocument(shown: ShownImages, pageUrl: string, scriptUrl: string): object {
  const createElement = (tagName: string) => {
    const attributes: Record<string, string> = {}
    return {
      tagName: tagName.toUpperCase(),
      attributes,
      setAttribute: (attribute: string, value: unknown) => {
        attributes[attribute] = String(value)
      },
    }
  }
  const append = (...elements: ReturnType<typeof createElement>[]) => {
    for (const element of elements) shown.set(element.attributes.id ?? '', element.attributes)
  }
  return { baseURI: pageUrl, currentScript: { tagName: 'SCRIPT', src: scriptUrl }, createElement, body: { append } }
}
