/**
 * `vite` dev server over a copy of the example (so a source image can be replaced without touching the repository):
 * the hero's cutout is made on first request, served again without a new inference, and made again when its source
 * image changes on disk.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { createLogger, createServer, type Logger, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuildSummary, exampleDir, expectCutout, modelHome, readSummary } from '../../test-support.ts'

const example = exampleDir('vite')

/** Vite's logger, keeping what it prints (the plugin's summary line goes through it). */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const logger = createLogger('silent')
  const lines: string[] = []
  logger.info = (message) => void lines.push(message)
  logger.warn = (message) => void lines.push(message)
  logger.error = (message) => void lines.push(message)
  return { logger, lines }
}

/** The alpha channel of an image, one byte per pixel. */
async function alphaOf(image: Buffer): Promise<Buffer> {
  return sharp(image).ensureAlpha().extractChannel(3).raw().toBuffer()
}

/** Share of pixels whose alpha differs by more than half its range: how far apart two silhouettes are. */
function silhouetteDistance(a: Buffer, b: Buffer): number {
  let differing = 0
  for (let index = 0; index < a.length; index++) if (Math.abs((a[index] ?? 0) - (b[index] ?? 0)) > 128) differing++
  return differing / a.length
}

/** The next message the dev server sends to the browser over its HMR channel. */
function nextHotPayload(server: ViteDevServer): Promise<unknown> {
  const hot = server.environments.client.hot
  const send = hot.send
  return new Promise((received) => {
    hot.send = ((...args: unknown[]) => {
      hot.send = send
      received(args[0])
      return (send as (...args: unknown[]) => void).apply(hot, args)
    }) as typeof hot.send
  })
}

describe('vite dev server over a copy of examples/vite', () => {
  let copy = ''
  let server: ViteDevServer
  let origin = ''
  const log = recordingLogger()
  let firstHero: { url: string; body: Buffer }
  const previousModelHome = process.env.REMBG_KIT_HOME

  const get = async (path: string): Promise<Response> => {
    const response = await fetch(new URL(path, origin))
    expect(response.status, `GET ${path}`).toBe(200)
    return response
  }

  /**
   * Loads the page's script as the browser does: main.ts, then every cutout module it imports (all three, so no
   * cutout is still being made in the background), and returns the hero's URL, the default export of its module.
   */
  const heroUrl = async (): Promise<string> => {
    const main = await (await get('/src/main.ts')).text()
    const specifiers = [...main.matchAll(/from "([^"]*\.jpg\?[^"]*)"/g)].map((match) => match[1] as string)
    const names = specifiers.map((specifier) => specifier.match(/\w+\.jpg/)?.[0])
    expect(names.toSorted()).toEqual(['ball.jpg', 'box.jpg', 'vase.jpg'])
    const modules = await Promise.all(specifiers.map((specifier) => get(specifier).then((response) => response.text())))
    return defaultExport(modules[names.indexOf('ball.jpg')] as string)
  }

  const defaultExport = (code: string): string => {
    const url = code.match(/export default "([^"]+)"/)?.[1]
    expect(url, code).toBeDefined()
    return url as string
  }

  beforeAll(async () => {
    // Inside the example, so `@rembg-kit/unplugin` and `vite` resolve from its node_modules; not under a
    // node_modules folder, which Vite's watcher ignores. With its own package.json the copy is a project of its own,
    // so its cutout cache (in the project's node_modules/.cache) starts empty, apart from the example's builds.
    copy = await mkdtemp(join(example, '.tmp-dev-'))
    for (const entry of ['package.json', 'index.html', 'vite.config.ts', 'src']) {
      await cp(join(example, entry), join(copy, entry), { recursive: true })
    }
    // The plugin runs in this process: it finds the converted model where core's tests keep it.
    process.env.REMBG_KIT_HOME = modelHome
    server = await createServer({
      root: copy,
      configFile: join(copy, 'vite.config.ts'),
      customLogger: log.logger,
      server: { host: '127.0.0.1', port: 0 },
    })
    await server.listen()
    const address = server.httpServer?.address()
    if (!address || typeof address === 'string') throw new Error('the dev server has no TCP address')
    origin = `http://127.0.0.1:${address.port}`
  })

  afterAll(async () => {
    await server?.close()
    if (previousModelHome === undefined) delete process.env.REMBG_KIT_HOME
    else process.env.REMBG_KIT_HOME = previousModelHome
    if (copy) await rm(copy, { recursive: true, force: true })
  })

  it('serves the hero cutout on first request as a 480x360 image/png with a transparent background', async () => {
    const url = await heroUrl()
    const response = await get(url)
    expect(response.headers.get('content-type')).toBe('image/png')
    firstHero = { url, body: Buffer.from(await response.arrayBuffer()) }
    await expectCutout(firstHero.body, { format: 'png', width: 480, height: 360 })
  })

  it('answers a second request with the same bytes', async () => {
    expect(await heroUrl()).toBe(firstHero.url)
    const again = await get(firstHero.url)
    expect(again.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await again.arrayBuffer()).equals(firstHero.body)).toBe(true)
  })

  it("serves the box's cutout at the hero's URL after box.jpg is copied over ball.jpg", async () => {
    // The cutout module accepts no hot update, so its importer (main.ts, which accepts none either) reloads the page.
    const ball = join(copy, 'src', 'images', 'ball.jpg')
    const reload = nextHotPayload(server)
    await cp(join(copy, 'src', 'images', 'box.jpg'), ball)
    expect(await reload).toEqual({ type: 'full-reload', path: '*', triggeredBy: ball })
    const url = await heroUrl()
    expect(url).not.toBe(firstHero.url)
    const response = await get(url)
    const body = Buffer.from(await response.arrayBuffer())
    await expectCutout(body, { format: 'png', width: 480, height: 360 })
    // The ball's round silhouette is gone: the alpha differs on a good share of the picture (the box is smaller).
    expect(silhouetteDistance(await alphaOf(body), await alphaOf(firstHero.body))).toBeGreaterThan(0.05)
    // And it is exactly the box's cutout: the same query on box.jpg gives the same bytes (core keys by content).
    const boxModule = await get('/src/images/box.jpg?import&rembg&w=480&format=png')
    const boxUrl = defaultExport(await boxModule.text())
    expect(Buffer.from(await (await get(boxUrl)).arrayBuffer()).equals(body)).toBe(true)
  })

  it('counts one inference per distinct image when the server closes', async () => {
    await server.close()
    const summary: BuildSummary = readSummary(log.lines.join('\n'))
    // ball 1 image, vase 3 widths and box 1: 3 inferences. The second hero request made nothing. ball.jpg with the
    // box's bytes: its matte is the box's (matte cache), its output new. box.jpg at the same query: output cache.
    expect(summary).toEqual({ images: 7, inferences: 3, fromCache: 1 })
  })
})
