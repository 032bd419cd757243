/** The options a user sets, seen in a real (Rollup) build: defaults, logLevel. */
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import sharp from 'sharp'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import rembg from '../dist/rollup.js'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')

let dir = ''

beforeAll(async () => {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  dir = await mkdtemp(join(parent, 'unplugin-options-'))
  await copyFile(join(repoRoot, 'examples', 'vite', 'src', 'images', 'vase.jpg'), join(dir, 'vase.jpg'))
  await writeFile(
    join(dir, 'main.js'),
    "import a from './vase.jpg?rembg&w=100'\nimport b from './vase.jpg?rembg&w=50;60&as=srcset'\nconsole.log(a, b)\n",
  )
})

/** Builds main.js with the options; returns what the plugin printed and the emitted images. */
async function build(
  options: Parameters<typeof rembg>[0],
  outDir: string,
): Promise<{ lines: string[]; errorLines: string[]; images: string[] }> {
  const lines: string[] = []
  const errorLines: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errorLines.push(String(chunk))
    return true
  })
  try {
    const bundle = await rollup({ input: join(dir, 'main.js'), plugins: [rembg(options)] })
    await bundle.write({ dir: join(dir, outDir), format: 'es' })
    await bundle.close()
  } finally {
    vi.restoreAllMocks()
  }
  const images = (await readdir(join(dir, outDir, 'assets'))).toSorted()
  const ours = (line: string): boolean => line.startsWith('rembg-kit: ')
  return { lines: lines.filter(ours), errorLines: errorLines.filter(ours), images }
}

describe('options in a build', () => {
  const cacheDir = () => join(dir, 'cache')

  // First in the file: this build loads the model, so core's note about it ("model ... on cpu") would be printed here.
  it("logLevel 'silent' prints nothing, core's notes included", async () => {
    const { lines, errorLines, images } = await build(
      { model: 'isnet-imgly', cacheDir: join(dir, 'silent-cache'), logLevel: 'silent', defaults: { format: 'png' } },
      'silent',
    )
    expect(lines).toStrictEqual([])
    expect(errorLines).toStrictEqual([])
    expect(images).toHaveLength(3)
  })

  it("logLevel 'verbose' prints a line per cutout before the summary; defaults apply under the query", async () => {
    const { lines, images } = await build(
      { model: 'isnet-imgly', cacheDir: cacheDir(), logLevel: 'verbose', defaults: { format: 'png' } },
      'verbose',
    )
    const file = relative(process.cwd(), join(dir, 'vase.jpg'))
    const perImage = lines.slice(0, -1).map((line) => line.replace(/ \((inference|matte reused)\)$/, ''))
    expect(perImage.toSorted()).toStrictEqual([
      `rembg-kit: ${file} -> 100x75 png`,
      `rembg-kit: ${file} -> 50x38 png`,
      `rembg-kit: ${file} -> 60x45 png`,
    ])
    // The three sizes share one matte: whichever ran first computed it.
    expect(lines.filter((line) => line.endsWith(' (inference)'))).toHaveLength(1)
    expect(lines.filter((line) => line.endsWith(' (matte reused)'))).toHaveLength(2)
    expect(lines.at(-1)).toMatch(/^rembg-kit: 3 images, 1 inferences, 0 from cache, \d+\.\d s$/)
    expect(images.map((name) => name.replace(/-[\w-]+\./, '.'))).toStrictEqual(['vase.png', 'vase.png', 'vase.png'])
    const widths = await Promise.all(
      images.map(async (name) => (await sharp(join(dir, 'verbose', 'assets', name)).metadata()).width),
    )
    expect(widths.toSorted()).toStrictEqual([100, 50, 60].toSorted())
  })
})

describe('the remover', () => {
  it('is not created by a build without cutout imports (an unknown model is never looked at)', async () => {
    await writeFile(join(dir, 'plain.js'), 'console.log(1)\n')
    const bundle = await rollup({ input: join(dir, 'plain.js'), plugins: [rembg({ model: 'no-such-model' })] })
    const { output } = await bundle.generate({ format: 'es' })
    await bundle.close()
    expect(output[0].code).toBe('console.log(1);\n')
  })

  it("fails a cutout import with core's message when the hosted API's engine has no key", async () => {
    const saved = process.env.REMBG_API_KEY
    delete process.env.REMBG_API_KEY
    try {
      const bundle = rollup({ input: join(dir, 'main.js'), plugins: [rembg({ engine: 'remote' })] })
      await expect(bundle).rejects.toThrow('No API key: pass apiKey (CLI: --api-key) or set REMBG_API_KEY.')
    } finally {
      if (saved !== undefined) process.env.REMBG_API_KEY = saved
    }
  })
})
