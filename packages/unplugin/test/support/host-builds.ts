/**
 * Real builds of a fixture in each bundler, through the built entries (dist/<bundler>.js, what users import), for the
 * tests of one contract per host: the filter, stylesheets. A failed build rejects with every message the bundler
 * gave (webpack and Rspack put them in stats; esbuild in `errors`), warnings are returned.
 */
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import sharp from 'sharp'
import { expect } from 'vitest'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../../..')
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')
const scenePhoto = join(repoRoot, 'examples', 'vite', 'src', 'images', 'ball.jpg')

export const hostNames = ['vite', 'rollup', 'esbuild', 'webpack', 'rspack'] as const
type HostName = (typeof hostNames)[number]

export interface HostBuild {
  /** The project folder (it holds a package.json, so it is the plugin's root). */
  dir: string
  entry: string
  outDir: string
  pluginOptions: object
  /** Extra webpack/Rspack module rules and plugins (css-loader, mini-css-extract-plugin). */
  webpack?: { rules?: object[]; plugins?: object[] }
  /** Plugins after ours in Rollup. */
  rollupPlugins?: object[]
}

async function entryOf(name: HostName): Promise<(options: object) => unknown> {
  return (await import(`../../dist/${name}.js`)).default
}

interface WebpackLikeCompiler {
  run(callback: (error: Error | null, stats?: WebpackStats) => void): void
  close(callback: () => void): void
}
interface WebpackStats {
  hasErrors(): boolean
  toJson(): { errors?: { message: string }[]; warnings?: { message: string }[] }
}

function runCompiler(compiler: WebpackLikeCompiler): Promise<string[]> {
  return new Promise((done, fail) => {
    compiler.run((error, stats) => {
      compiler.close(() => {
        if (error) return fail(error)
        const json = stats?.toJson()
        if (stats?.hasErrors()) return fail(new Error((json?.errors ?? []).map((e) => e.message).join('\n')))
        done((json?.warnings ?? []).map((w) => w.message))
      })
    })
  })
}

/** Runs one build; resolves with the warnings the bundler reported. */
export async function buildWith(name: HostName, input: HostBuild): Promise<string[]> {
  const rembg = await entryOf(name)
  const createPlugin = (): never => rembg({ logLevel: 'silent', ...input.pluginOptions }) as never
  if (name === 'vite') {
    const { build } = await import('vite')
    const warnings: string[] = []
    await build({
      root: input.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [createPlugin()],
      build: {
        outDir: input.outDir,
        emptyOutDir: true,
        rollupOptions: { input: input.entry, onwarn: (warning) => warnings.push(warning.message) },
      },
    })
    return warnings
  }
  if (name === 'rollup') {
    const { rollup } = await import('rollup')
    const warnings: string[] = []
    // Rollup has no root option: like its users, run it from the project folder (the plugin's root is the cwd's).
    const cwd = process.cwd()
    process.chdir(input.dir)
    try {
      const plugins = [createPlugin(), ...((input.rollupPlugins ?? []) as never[])]
      const bundle = await rollup({ input: input.entry, plugins, onwarn: (w) => warnings.push(w.message) })
      await bundle.write({ dir: input.outDir, format: 'es' })
      await bundle.close()
    } finally {
      process.chdir(cwd)
    }
    return warnings
  }
  if (name === 'esbuild') {
    const { build } = await import('esbuild')
    const result = await build({
      entryPoints: [input.entry],
      absWorkingDir: input.dir,
      bundle: true,
      format: 'esm',
      outdir: input.outDir,
      publicPath: '/static',
      logLevel: 'silent',
      plugins: [createPlugin()],
    })
    return result.warnings.map((warning) => warning.text)
  }
  const config = {
    mode: 'production' as const,
    context: input.dir,
    entry: input.entry,
    output: { path: input.outDir, publicPath: '/static/', assetModuleFilename: 'img/[name]-[contenthash:10][ext]' },
    module: { rules: input.webpack?.rules ?? [] },
    plugins: [createPlugin(), ...(input.webpack?.plugins ?? [])],
  }
  if (name === 'webpack') {
    const { default: webpack } = await import('webpack')
    return runCompiler(webpack(config as never) as never)
  }
  const { rspack } = await import('@rspack/core')
  return runCompiler(rspack(config as never) as never)
}

/** Every message of a failed build, in one string, without colours. */
export async function buildError(name: HostName, input: HostBuild): Promise<string> {
  const error = await buildWith(name, input).then(
    () => undefined,
    (caught: unknown) => caught as Error & { errors?: { text?: string; message?: string }[] },
  )
  expect(error, `the ${name} build fails`).toBeDefined()
  const messages = [error?.message, ...(error?.errors ?? []).flatMap((e) => [e.text, e.message])]
  return stripVTControlCharacters(messages.filter(Boolean).join('\n'))
}

/** A project folder under node_modules/.cache with a package.json and the given files (photos are copied). */
export async function createProject(name: string, files: Record<string, string | { photo: true }>): Promise<string> {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  const dir = await mkdtemp(join(parent, `unplugin-${name}-`))
  await writeFile(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n')
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    if (typeof content === 'string') await writeFile(join(dir, path), content)
    else await copyFile(scenePhoto, join(dir, path))
  }
  return dir
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

/**
 * A cutout as a user looks at it: the format and width asked for, the corners (wall and floor of the scene)
 * transparent, the centre (the subject) opaque.
 */
export async function expectCutout(data: Buffer, format: 'png' | 'webp', width: number): Promise<void> {
  const meta = await sharp(data).metadata()
  expect(meta.format).toBe(format)
  expect(meta.width).toBe(width)
  const { data: pixels, info } = await sharp(data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const alpha = (x: number, y: number): number => pixels[(y * info.width + x) * 4 + 3] as number
  const { width: w, height: h } = info
  expect(Math.max(alpha(1, 1), alpha(w - 2, 1), alpha(1, h - 2), alpha(w - 2, h - 2))).toBeLessThan(10)
  expect(alpha(Math.floor(w / 2), Math.floor(h * 0.55))).toBeGreaterThan(245)
}

/**
 * A build error carries each line of a message, whatever the bundler's framing (Rollup's "Could not load … :"
 * prefix, Rspack's boxes and indentation around each line).
 */
export function expectMessageLines(received: string, lines: string[]): void {
  for (const line of lines) expect(received).toContain(line.trim())
}
