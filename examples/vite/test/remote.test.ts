/**
 * The example app built with the plugin's remote engine against @rembg-kit/server on loopback: the same cutouts, pixel
 * for pixel, as the local engine's build, the images counted on the key, and the key in no output. Both builds are the
 * example's `build` script (client, then SSR) run through Vite's API over the example's own files, each with a fresh
 * result cache, so the example's config stays as its README shows it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import rembg from '@rembg-kit/unplugin/vite'
import sharp from 'sharp'
import { build, createLogger, type InlineConfig, type Logger } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleDir, expectCutout, modelHome, readSummary, repoRoot } from '../../test-support.ts'
import {
  expectNoKey,
  expectSamePixels,
  membershipUsage,
  type RembgServerProcess,
  type ServerKey,
  startRembgServer,
} from '../../test-support-server.ts'

const root = exampleDir('vite')
const key: ServerKey = { key: 'rk_test_adapters_0001', membership: 'Test', credits: 100, prepaidCredits: 0 }
type PluginOptions = NonNullable<Parameters<typeof rembg>[0]>

interface ExampleBuild {
  /** Every line Vite and the plugin logged, client then SSR. */
  output: string
  /** dist/assets of the client build. */
  assetsDir: string
  /** Every file both builds wrote, with its bytes. */
  files: Map<string, Buffer>
  cacheDir: string
}

/** A logger that keeps every line instead of printing it: the summary lines and core's notes land here. */
function recordingLogger(lines: string[]): Logger {
  const logger = createLogger('info', { allowClearScreen: false })
  const keep = (message: string): void => {
    lines.push(stripVTControlCharacters(message))
  }
  return { ...logger, info: keep, warn: keep, warnOnce: keep, error: keep }
}

/** `vite build && vite build --ssr src/entry-server.ts --outDir dist/server`, with the plugin configured by `options`. */
async function buildExampleWith(dir: string, options: PluginOptions): Promise<ExampleBuild> {
  const outDir = join(dir, 'dist')
  const cacheDir = join(dir, 'cache')
  const lines: string[] = []
  const config = (ssr: boolean): InlineConfig => ({
    root,
    configFile: false,
    logLevel: 'info',
    customLogger: recordingLogger(lines),
    plugins: [rembg({ model: 'isnet-imgly', cacheDir, ...options })],
    build: ssr
      ? { ssr: 'src/entry-server.ts', outDir: join(outDir, 'server'), emptyOutDir: true }
      : { outDir, emptyOutDir: true },
  })
  await build(config(false))
  await build(config(true))
  return { output: lines.join('\n'), assetsDir: join(outDir, 'assets'), files: await readTree(outDir), cacheDir }
}

async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file)] as const)))
}

/** The cutouts of the client build by what a user tells apart: source image, width and format (`vase 320 webp`). */
async function cutoutsByKind(run: ExampleBuild): Promise<Map<string, Buffer>> {
  const names = (await readdir(run.assetsDir)).filter((file) => /\.(png|webp)$/.test(file))
  const cutouts = new Map<string, Buffer>()
  for (const name of names) {
    const bytes = await readFile(join(run.assetsDir, name))
    const { width, format } = await sharp(bytes).metadata()
    cutouts.set(`${name.split('-')[0]} ${width} ${format}`, bytes)
  }
  return cutouts
}

describe('examples/vite built with the remote engine against rembg-kit-server', () => {
  let server: RembgServerProcess
  let dir = ''
  let local: ExampleBuild
  let remote: ExampleBuild

  beforeAll(async () => {
    process.env.REMBG_KIT_HOME = modelHome
    const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
    await mkdir(parent, { recursive: true })
    dir = await mkdtemp(join(parent, 'vite-remote-'))
    server = await startRembgServer({ keys: [key] })
    local = await buildExampleWith(join(dir, 'local'), { engine: 'local' })
    remote = await buildExampleWith(join(dir, 'remote'), { engine: 'remote', apiKey: key.key, baseUrl: server.url })
  })

  afterAll(async () => {
    await server?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('emits the same five cutouts as the local build, with the same pixels', async () => {
    const [localCutouts, remoteCutouts] = await Promise.all([cutoutsByKind(local), cutoutsByKind(remote)])
    expect([...remoteCutouts.keys()].sort()).toEqual([
      'ball 480 png',
      'box 320 webp',
      'vase 160 webp',
      'vase 320 webp',
      'vase 480 webp',
    ])
    expect([...localCutouts.keys()].sort()).toEqual([...remoteCutouts.keys()].sort())
    for (const [kind, bytes] of remoteCutouts) {
      await expectSamePixels(localCutouts.get(kind) as Buffer, bytes, `vite ${kind}`)
    }
  })

  it('emits a hero a user sees cut out: transparent corners, opaque ball', async () => {
    const hero = (await cutoutsByKind(remote)).get('ball 480 png') as Buffer
    await expectCutout(hero, { format: 'png', width: 480, height: 360 })
  })

  it('prints the same summary lines as the local build: one inference per source image, the SSR hero from cache', () => {
    const summaries = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('rembg-kit: ') && / images?, /.test(line))
        .map(readSummary)
    // Client: 1 hero + 3 srcset widths + 1 meta = 5 files from 3 images. SSR: the hero again, from the output cache.
    const expected = [
      { images: 5, inferences: 3, fromCache: 0 },
      { images: 1, inferences: 0, fromCache: 1 },
    ]
    expect(summaries(remote.output)).toEqual(expected)
    expect(summaries(local.output)).toEqual(expected)
  })

  it("counts one credit per source image on the key's membership usage", async () => {
    const usage = await membershipUsage(server.url, key.key)
    expect(usage).toMatchObject({ membership: 'Test', credits: 100, prepaidCredits: 0, api_usage: 3 })
  })

  it('writes the key nowhere: build output, emitted files, result cache, server log', async () => {
    const texts: Record<string, string | Buffer> = { 'build output': remote.output, 'server log': server.logs() }
    for (const [file, bytes] of remote.files) texts[file] = bytes
    const cache = await readTree(remote.cacheDir)
    for (const [file, bytes] of cache) texts[file] = bytes
    texts['cache file names'] = [...cache.keys()].join('\n')
    expect(Object.keys(texts).length).toBeGreaterThan(10)
    expectNoKey(key.key, texts)
  })
})
