/**
 * One contract, run for every bundler through its programmatic API on the built entries (dist/<bundler>.js, what
 * users import): a fixture importing one scene photo as a hashed PNG URL, a 3-width srcset and a meta object.
 * webpack and Rspack write their output to memory (memfs), as their plugins' own tests do; the others to disk.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFsFromVolume, Volume } from 'memfs'
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')

const apiKey = 'rk-secret-api-key-never-in-bundles-4711'
const entryCode = `
import hero from './ball.jpg?rembg&w=320&format=png'
import srcset from './ball.jpg?rembg&w=100;200;300&as=srcset'
import meta from './ball.jpg?w=100;200;300&rembg&as=meta'
console.log(hero, srcset, meta)
`
// A '#' in a query is a fragment to a URL parser; the plugin must still read it as part of bg_color.
const colorEntryCode = `import red from './ball.jpg?rembg&w=64&format=png&bg_color=#ff0000'\nconsole.log(red)\n`
const badEntryCode = `import hero from './ball.jpg?rembg&widht=800'\nconsole.log(hero)\n`

interface BuildInput {
  dir: string
  entry: string
  outDir: string
  cacheDir: string
}

type Build = (input: BuildInput) => Promise<void>

/** Options every bundler gets: the offline model, a cache of the test's own, and a key that must not leak. */
const pluginOptions = (cacheDir: string) => ({ model: 'isnet-imgly', cacheDir, apiKey })

type MemoryFs = ReturnType<typeof createFsFromVolume>

/** The in-memory output folders of webpack and Rspack builds, by their outDir (one per folder, kept across builds). */
const memoryOutputs = new Map<string, MemoryFs>()

function memoryOutput(outDir: string): MemoryFs {
  const fs = memoryOutputs.get(outDir) ?? createFsFromVolume(new Volume())
  memoryOutputs.set(outDir, fs)
  return fs
}

/** A file of an output folder, from memory or from disk. */
async function readOutput(outDir: string, file: string): Promise<Buffer> {
  const memory = memoryOutputs.get(outDir)
  if (!memory) return readFile(join(outDir, file))
  return Buffer.from((await memory.promises.readFile(join(outDir, file))) as Buffer)
}

async function entryOf(name: string): Promise<(options: object) => unknown> {
  return (await import(`../dist/${name}.js`)).default
}

/** webpack and Rspack report errors in stats; the build fails with their messages. */
function runCompiler(
  compiler: {
    outputFileSystem: unknown
    run(
      callback: (
        error: Error | null,
        stats?: { hasErrors(): boolean; toJson(): { errors?: { message: string }[] } },
      ) => void,
    ): void
    close(callback: () => void): void
  },
  outDir: string,
): Promise<void> {
  compiler.outputFileSystem = memoryOutput(outDir)
  return new Promise((done, fail) => {
    compiler.run((error, stats) => {
      compiler.close(() => {
        if (error) return fail(error)
        if (stats?.hasErrors())
          return fail(
            new Error(
              stats
                .toJson()
                .errors?.map((e) => e.message)
                .join('\n'),
            ),
          )
        done()
      })
    })
  })
}

const builds: Record<string, Build> = {
  async vite({ dir, entry, outDir, cacheDir }) {
    const { build } = await import('vite')
    const rembg = await entryOf('vite')
    await build({
      root: dir,
      configFile: false,
      logLevel: 'info',
      plugins: [rembg(pluginOptions(cacheDir)) as never],
      build: { outDir, emptyOutDir: true, rollupOptions: { input: entry } },
    })
  },
  async rollup({ entry, outDir, cacheDir }) {
    const { rollup } = await import('rollup')
    const rembg = await entryOf('rollup')
    const bundle = await rollup({ input: entry, plugins: [rembg(pluginOptions(cacheDir)) as never] })
    await bundle.write({ dir: outDir, format: 'es' })
    await bundle.close()
  },
  async webpack({ dir, entry, outDir, cacheDir }) {
    const { default: webpack } = await import('webpack')
    const rembg = await entryOf('webpack')
    const compiler = webpack({
      mode: 'production',
      context: dir,
      entry,
      output: { path: outDir, publicPath: '/static/', assetModuleFilename: 'img/[name]-[contenthash:10][ext]' },
      plugins: [rembg(pluginOptions(cacheDir)) as never],
    })
    await runCompiler(compiler as never, outDir)
  },
  async rspack({ dir, entry, outDir, cacheDir }) {
    const { rspack } = await import('@rspack/core')
    const rembg = await entryOf('rspack')
    const compiler = rspack({
      mode: 'production',
      context: dir,
      entry,
      output: { path: outDir, publicPath: '/static/', assetModuleFilename: 'img/[name]-[contenthash:10][ext]' },
      plugins: [rembg(pluginOptions(cacheDir)) as never],
    })
    await runCompiler(compiler as never, outDir)
  },
  async esbuild({ entry, outDir, cacheDir }) {
    const { build } = await import('esbuild')
    const rembg = await entryOf('esbuild')
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      outdir: outDir,
      publicPath: '/static',
      logLevel: 'silent',
      plugins: [rembg(pluginOptions(cacheDir)) as never],
    })
  },
}

/** A project folder with the photo, an entry using it and an entry with a typo in its query. */
async function createFixture(name: string): Promise<string> {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  const dir = await mkdtemp(join(parent, `unplugin-${name}-`))
  await copyFile(join(repoRoot, 'examples', 'vite', 'src', 'images', 'ball.jpg'), join(dir, 'ball.jpg'))
  await writeFile(join(dir, 'main.js'), entryCode)
  await writeFile(join(dir, 'bad.js'), badEntryCode)
  await writeFile(join(dir, 'color.js'), colorEntryCode)
  return dir
}

afterEach(() => {
  vi.restoreAllMocks()
})

/** Runs a build and returns the plugin's summary line, as printed (console.log, or Vite's logger which uses it). */
async function buildAndReadSummary(build: Build, input: BuildInput): Promise<string[]> {
  const lines: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
  })
  await build(input)
  vi.restoreAllMocks()
  return lines.filter((line) => line.includes('rembg-kit: ') && line.includes(' images, '))
}

async function listFiles(dir: string): Promise<string[]> {
  const memory = memoryOutputs.get(dir)
  if (memory) return listMemoryFiles(memory, dir)
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

async function listMemoryFiles(fs: MemoryFs, dir: string, prefix = ''): Promise<string[]> {
  const names = (await fs.promises.readdir(join(dir, prefix))) as string[]
  const lists = await Promise.all(
    names.map(async (name) => {
      const path = join(prefix, name)
      const info = await fs.promises.stat(join(dir, path))
      return info.isDirectory() ? listMemoryFiles(fs, dir, path) : [path]
    }),
  )
  return lists.flat()
}

/** The subject (centre of the scene) is opaque, the background (corners) transparent. */
async function expectCutout(data: Buffer, format: 'png' | 'webp', width: number): Promise<void> {
  const meta = await sharp(data).metadata()
  expect(meta.format).toBe(format)
  expect(meta.width).toBe(width)
  const { data: pixels, info } = await sharp(data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const alpha = (x: number, y: number): number => pixels[(y * info.width + x) * 4 + 3] as number
  const corners = [
    alpha(1, 1),
    alpha(info.width - 2, 1),
    alpha(1, info.height - 2),
    alpha(info.width - 2, info.height - 2),
  ]
  expect(Math.max(...corners)).toBeLessThan(10)
  expect(alpha(Math.floor(info.width / 2), Math.floor(info.height * 0.55))).toBeGreaterThan(245)
}

const hashedName = /[-.][A-Za-z0-9_-]{8,}\.(png|webp)$/

/** What a user checks in the output folder: the files, their names and pixels, and the code that points at them. */
async function checkOutput(outDir: string): Promise<void> {
  const files = await listFiles(outDir)
  const images = files.filter((file) => /\.(png|webp)$/.test(file))
  const pngs = images.filter((file) => file.endsWith('.png'))
  const webps = images.filter((file) => file.endsWith('.webp'))
  expect(pngs).toHaveLength(1)
  expect(webps).toHaveLength(3)
  for (const image of images) expect(basename(image)).toMatch(hashedName)
  await expectCutout(await readOutput(outDir, pngs[0] as string), 'png', 320)
  const widths = await Promise.all(
    webps.map(async (file) => (await sharp(await readOutput(outDir, file)).metadata()).width),
  )
  expect(widths.toSorted((a, b) => (a ?? 0) - (b ?? 0))).toStrictEqual([100, 200, 300])
  for (const file of webps) {
    const data = await readOutput(outDir, file)
    await expectCutout(data, 'webp', (await sharp(data).metadata()).width as number)
  }
  const code = (
    await Promise.all(
      files.filter((f) => f.endsWith('.js')).map(async (f) => (await readOutput(outDir, f)).toString('utf8')),
    )
  ).join('\n')
  for (const image of images) expect(code).toContain(basename(image))
  for (const descriptor of [' 100w', ' 200w', ' 300w']) expect(code).toContain(descriptor)
  for (const file of files) expect((await readOutput(outDir, file)).toString('latin1')).not.toContain(apiKey)
}

describe.each(Object.keys(builds))('%s', (name) => {
  const build = builds[name] as Build
  let fixtureDir = ''
  beforeAll(async () => {
    fixtureDir = await createFixture(name)
  })
  const input = (): BuildInput => ({
    dir: fixtureDir,
    entry: join(fixtureDir, 'main.js'),
    outDir: join(fixtureDir, `dist-${name}`),
    cacheDir: join(fixtureDir, `cache-${name}`),
  })

  it('emits hashed cutouts of the asked size and format; all 8 cutouts of one image cost 1 inference', async () => {
    const summary = await buildAndReadSummary(build, input())
    expect(summary).toHaveLength(1)
    expect(summary[0]).toMatch(/^rembg-kit: 8 images, 1 inferences, \d from cache, \d+\.\d s$/)
    await checkOutput(input().outDir)
  })

  it('a second build takes every cutout from the cache and writes the same files', async () => {
    const before = (await listFiles(input().outDir)).filter((file) => !file.endsWith('.js')).toSorted()
    const summary = await buildAndReadSummary(build, input())
    expect(summary).toHaveLength(1)
    expect(summary[0]).toMatch(/^rembg-kit: 8 images, 0 inferences, 8 from cache, \d+\.\d s$/)
    expect((await listFiles(input().outDir)).filter((file) => !file.endsWith('.js')).toSorted()).toStrictEqual(before)
    await checkOutput(input().outDir)
  })

  it('reads bg_color=#ff0000 from the import (the # is not cut off as a fragment)', async () => {
    const color = { ...input(), entry: join(fixtureDir, 'color.js'), outDir: join(fixtureDir, `dist-color-${name}`) }
    await build(color)
    const pngs = (await listFiles(color.outDir)).filter((file) => file.endsWith('.png'))
    expect(pngs).toHaveLength(1)
    const { data } = await sharp(await readOutput(color.outDir, pngs[0] as string))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([...data.subarray(0, 4)]).toStrictEqual([255, 0, 0, 255])
  })

  it("fails a build with a bad parameter, naming core's message, the importing file and the import string", async () => {
    const bad = { ...input(), entry: join(fixtureDir, 'bad.js'), outDir: join(fixtureDir, `dist-bad-${name}`) }
    const error = await build(bad).then(
      () => undefined,
      (caught: unknown) => caught as Error & { errors?: { text?: string; message?: string }[] },
    )
    const messages = [error?.message, ...(error?.errors ?? []).flatMap((e) => [e.text, e.message])]
    const message = messages.filter(Boolean).join('\n')
    expect(message).toContain(
      "rembg-kit: Unknown parameter 'widht'. Allowed parameters: format, w, h, exact_resize, mask, bg_color, angle, expand, crop, crop_threshold, crop_margin, as, inline",
    )
    expect(message).toContain("import './ball.jpg?rembg&widht=800'")
    expect(message).toContain(`in ${join(fixtureDir, 'bad.js')}`)
  })
})

describe('vite ssr build', () => {
  it('points at the same hashed files as the client build, from the cache', async () => {
    const dir = await createFixture('vite-ssr')
    const cacheDir = join(dir, 'cache')
    const client = { dir, entry: join(dir, 'main.js'), outDir: join(dir, 'dist'), cacheDir }
    await (builds.vite as Build)(client)
    const clientImages = (await listFiles(client.outDir)).filter((file) => /\.(png|webp)$/.test(file))
    expect(clientImages).toHaveLength(4)
    const { build } = await import('vite')
    const rembg = await entryOf('vite')
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    await build({
      root: dir,
      configFile: false,
      logLevel: 'info',
      plugins: [rembg(pluginOptions(cacheDir)) as never],
      build: { ssr: client.entry, outDir: join(dir, 'dist-server') },
    })
    vi.restoreAllMocks()
    expect(lines.filter((line) => line.includes(' images, '))).toStrictEqual([
      expect.stringMatching(/^rembg-kit: 8 images, 0 inferences, 8 from cache, \d+\.\d s$/),
    ])
    const serverCode = await readFile(join(dir, 'dist-server', 'main.js'), 'utf8')
    for (const image of clientImages) expect(serverCode).toContain(`/${image}`)
    expect(serverCode).not.toContain(apiKey)
  })
})
