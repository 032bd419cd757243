/**
 * `pnpm --filter ./examples/vite run build` as the README says: the client build and the SSR build, cold then warm.
 * The page is then served with `vite preview` and opened in headless Chromium, as a user would look at it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { type Browser, chromium } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BuildRun,
  type BuildSummary,
  buildExample,
  exampleDir,
  expectCutout,
  expectHashedName,
} from '../../test-support.ts'

const root = exampleDir('vite')
const assetsDir = join(root, 'dist', 'assets')

/** Every summary line of the run: the build script runs `vite build` (client) and then `vite build --ssr`. */
function readSummaries(output: string): BuildSummary[] {
  return [...output.matchAll(/rembg-kit: (\d+) images?, (\d+) inferences?, (\d+) from cache/g)].map((line) => ({
    images: Number(line[1]),
    inferences: Number(line[2]),
    fromCache: Number(line[3]),
  }))
}

/** The cutouts of one source image in dist/assets, as Vite names them: `<name>-<hash>.<ext>`. */
async function emittedCutouts(name: string): Promise<string[]> {
  const files = await readdir(assetsDir)
  return files.filter((file) => file.startsWith(`${name}-`) && /\.(png|webp)$/.test(file)).sort()
}

const readAsset = (file: string): Promise<Buffer> => readFile(join(assetsDir, file))

async function widthOf(file: string): Promise<number> {
  const { width } = await sharp(await readAsset(file)).metadata()
  return width as number
}

describe('vite build of examples/vite', () => {
  let cold: BuildRun

  beforeAll(async () => {
    cold = await buildExample('vite', { fresh: true })
  })

  it('emits the hero as one hashed 480x360 PNG cutout', async () => {
    const [hero, ...others] = await emittedCutouts('ball')
    expect(others).toEqual([])
    expectHashedName(hero as string)
    expect(hero).toMatch(/\.png$/)
    await expectCutout(await readAsset(hero as string), { format: 'png', width: 480, height: 360 })
  })

  it('emits the srcset import as three hashed WebP cutouts, 160, 320 and 480 wide', async () => {
    const files = await emittedCutouts('vase')
    const widths = await Promise.all(files.map(widthOf))
    expect(widths.sort((a, b) => a - b)).toEqual([160, 320, 480])
    for (const file of files) {
      expectHashedName(file)
      const width = await widthOf(file)
      await expectCutout(await readAsset(file), { format: 'webp', width, height: (width * 3) / 4 })
    }
  })

  it('emits the as=meta import as one hashed 320x240 WebP cutout', async () => {
    const [box, ...others] = await emittedCutouts('box')
    expect(others).toEqual([])
    expectHashedName(box as string)
    expect(box).toMatch(/\.webp$/)
    await expectCutout(await readAsset(box as string), { format: 'webp', width: 320, height: 240 })
  })

  it('puts the srcset string and the meta object into the client bundle', async () => {
    const bundle = await readClientBundle()
    const vase = await emittedCutouts('vase')
    const byWidth = new Map(await Promise.all(vase.map(async (file) => [await widthOf(file), file] as const)))
    expect(bundle).toContain(
      `/assets/${byWidth.get(160)} 160w, /assets/${byWidth.get(320)} 320w, /assets/${byWidth.get(480)} 480w`,
    )
    const [box] = await emittedCutouts('box')
    expect(bundle).toContain(`/assets/${box}`)
  })

  it('renders the hero on the server with the URL the client build emitted', async () => {
    const [hero] = await emittedCutouts('ball')
    const serverEntry = join(root, 'dist', 'server', 'entry-server.js')
    expect(await readFile(serverEntry, 'utf8')).toContain(`/assets/${hero}`)
    const { render } = (await import(/* @vite-ignore */ pathToFileURL(serverEntry).href)) as { render(): string }
    expect(render()).toContain(`<img id="hero" src="/assets/${hero}"`)
  })

  it('runs one inference per source image however many variants the imports ask for', () => {
    const [client, server] = readSummaries(cold.output)
    // Client: 1 hero + 3 srcset widths + 1 meta = 5 files from 3 images. SSR: the hero again, from the output cache.
    expect(client).toEqual({ images: 5, inferences: 3, fromCache: 0 })
    expect(server).toEqual({ images: 1, inferences: 0, fromCache: 1 })
  })

  it('makes no inference on a second build and emits the same file names', async () => {
    const coldFiles = await readdir(assetsDir)
    const warm = await buildExample('vite')
    const [client, server] = readSummaries(warm.output)
    expect(client).toEqual({ images: 5, inferences: 0, fromCache: 5 })
    expect(server).toEqual({ images: 1, inferences: 0, fromCache: 1 })
    expect(await readdir(assetsDir)).toEqual(coldFiles)
  })
})

async function readClientBundle(): Promise<string> {
  const scripts = (await readdir(assetsDir)).filter((file) => file.endsWith('.js'))
  const texts = await Promise.all(scripts.map((file) => readFile(join(assetsDir, file), 'utf8')))
  return texts.join('\n')
}

/** A port nobody listens on: ask the OS for one, then give it back. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a free port')
  return address.port
}

/** `vite preview` on 127.0.0.1, resolved once it prints its URL. */
async function startPreview(port: number): Promise<ChildProcess> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const preview = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  await new Promise<void>((ready, fail) => {
    const onData = (chunk: Buffer): void => {
      // Vite colours the port (picocolors turns colours on when CI is set): match the text without them.
      output += stripVTControlCharacters(chunk.toString())
      if (output.includes(`127.0.0.1:${port}`)) ready()
    }
    preview.stdout?.on('data', onData)
    preview.stderr?.on('data', onData)
    preview.on('exit', (code) => fail(new Error(`vite preview exited with ${code}:\n${output}`)))
  })
  return preview
}

interface ImageReport {
  complete: boolean
  naturalWidth: number
  naturalHeight: number
  currentSrc: string
  widthAttribute: string | null
  heightAttribute: string | null
  cornerAlpha: number
  centreAlpha: number
}

/**
 * What the page shows for one <img>: its load state, natural size, chosen source, size attributes and two alphas read
 * through a canvas. It runs in the page, so it uses nothing from this module.
 */
function inspectImage(id: string): ImageReport {
  const image = document.getElementById(id) as HTMLImageElement
  const canvas = document.createElement('canvas')
  canvas.width = image.naturalWidth
  canvas.height = image.naturalHeight
  const context = canvas.getContext('2d') as CanvasRenderingContext2D
  context.drawImage(image, 0, 0, canvas.width, canvas.height)
  const alphaAt = (x: number, y: number): number => context.getImageData(x, y, 1, 1).data[3] as number
  return {
    complete: image.complete,
    naturalWidth: image.naturalWidth,
    naturalHeight: image.naturalHeight,
    currentSrc: image.currentSrc,
    widthAttribute: image.getAttribute('width'),
    heightAttribute: image.getAttribute('height'),
    cornerAlpha: alphaAt(1, 1),
    centreAlpha: alphaAt(Math.floor(canvas.width / 2), Math.floor(canvas.height * 0.55)),
  }
}

// Debian's chromium (`apt-get install chromium`; .ci/run installs it). Without it, on a developer's machine the browser
// part is skipped with this note; in CI it runs and fails loudly instead.
const chromiumPath = '/usr/bin/chromium'
const browserMissing = !existsSync(chromiumPath) && !process.env.CI
if (browserMissing) console.warn(`${chromiumPath} is missing: the browser tests of examples/vite are skipped`)

describe.skipIf(browserMissing)('vite preview of examples/vite in headless Chromium', () => {
  let preview: ChildProcess | undefined
  let browser: Browser | undefined
  let origin = ''
  const reports = new Map<string, ImageReport>()

  beforeAll(async () => {
    // Run alone (`-t preview`), this part needs a build of its own.
    if ((await readdir(join(root, 'dist')).catch(() => [])).length === 0) await buildExample('vite')
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    preview = await startPreview(port)
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 })
    await page.goto(`${origin}/`, { waitUntil: 'load' })
    await page.waitForFunction(() => [...document.images].every((image) => image.complete), undefined, {
      timeout: 30_000,
    })
    await page.screenshot({ path: '/tmp/vite-example.png', fullPage: true })
    for (const id of ['hero', 'vase', 'box']) reports.set(id, await page.evaluate(inspectImage, id))
  })

  afterAll(async () => {
    await browser?.close()
    preview?.kill()
  })

  it('loads the hero at its natural 480x360 with a transparent corner and an opaque subject', async () => {
    const [hero] = await emittedCutouts('ball')
    const report = reports.get('hero') as ImageReport
    expect([report.complete, report.naturalWidth, report.naturalHeight]).toEqual([true, 480, 360])
    expect(report.currentSrc).toBe(`${origin}/assets/${hero}`)
    expect(report.cornerAlpha).toBeLessThan(10)
    expect(report.centreAlpha).toBeGreaterThan(245)
  })

  it('picks one of the three emitted widths for the srcset image, shown 320 CSS pixels wide', async () => {
    const vase = reports.get('vase') as ImageReport
    const emitted = (await emittedCutouts('vase')).map((file) => `${origin}/assets/${file}`)
    expect(emitted).toContain(vase.currentSrc)
    // `sizes` says 320px at this viewport, so whichever width the browser fetched, its density makes it 320x240.
    expect([vase.complete, vase.naturalWidth, vase.naturalHeight]).toEqual([true, 320, 240])
    expect(vase.cornerAlpha).toBeLessThan(10)
    expect(vase.centreAlpha).toBeGreaterThan(245)
  })

  it('loads the as=meta image at the 320x240 its meta states, transparent at the corner', async () => {
    const [box] = await emittedCutouts('box')
    const report = reports.get('box') as ImageReport
    expect([report.complete, report.naturalWidth, report.naturalHeight]).toEqual([true, 320, 240])
    expect([report.widthAttribute, report.heightAttribute]).toEqual(['320', '240'])
    expect(report.currentSrc).toBe(`${origin}/assets/${box}`)
    expect(report.cornerAlpha).toBeLessThan(10)
    expect(report.centreAlpha).toBeGreaterThan(245)
  })
})
