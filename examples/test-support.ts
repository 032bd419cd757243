/**
 * What every example's tests share: build an example the way its README says (`pnpm --filter ./examples/<name> run
 * build`), read the plugin's one summary line, and check an emitted cutout as a user would look at it.
 */
import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify, stripVTControlCharacters } from 'node:util'
import sharp from 'sharp'
import { expect } from 'vitest'

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../..')
export const exampleDir = (name: string): string => join(repoRoot, 'examples', name)

/** Converted models are shared with core's tests (the conversion is keyed by the source hash). */
export const modelHome = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')

export interface BuildRun {
  output: string
  summary: BuildSummary
}

export interface BuildSummary {
  images: number
  inferences: number
  fromCache: number
}

/**
 * Runs the example's `build` script with pnpm, as the README does. `fresh` empties the example's result cache first,
 * so the build is cold.
 */
export async function buildExample(name: string, options: { fresh?: boolean } = {}): Promise<BuildRun> {
  const dir = exampleDir(name)
  if (options.fresh) await rm(join(dir, 'node_modules', '.cache', 'rembg-kit'), { recursive: true, force: true })
  await rm(join(dir, 'dist'), { recursive: true, force: true })
  const { stdout, stderr } = await promisify(execFile)(
    'npx',
    ['-y', 'pnpm@10.34.8', '--filter', `./examples/${name}`, 'run', 'build'],
    { cwd: repoRoot, env: { ...process.env, REMBG_KIT_HOME: modelHome }, maxBuffer: 64 * 1024 * 1024 },
  )
  // Bundlers colour their output when CI is set (picocolors): the checks read the text.
  const output = stripVTControlCharacters(`${stdout}\n${stderr}`)
  return { output, summary: readSummary(output) }
}

/** The plugin's summary line, `rembg-kit: 6 images, 3 inferences, 3 from cache, 4.2 s` (the last one when several). */
export function readSummary(output: string): BuildSummary {
  const lines = [...output.matchAll(/rembg-kit: (\d+) images?, (\d+) inferences?, (\d+) from cache/g)]
  const last = lines.at(-1)
  if (!last) throw new Error(`no rembg-kit summary line in the build output:\n${output}`)
  return { images: Number(last[1]), inferences: Number(last[2]), fromCache: Number(last[3]) }
}

export interface CutoutExpectation {
  format: 'png' | 'webp' | 'jpeg'
  width?: number
  height?: number
}

/**
 * Decodes an emitted image and checks what a user would: its format and size, a transparent background (the four
 * corners of the generated scenes are wall or floor) and an opaque subject (the centre of every scene is the object).
 */
export async function expectCutout(data: Buffer, expected: CutoutExpectation): Promise<void> {
  const { data: pixels, info } = await sharp(data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const meta = await sharp(data).metadata()
  expect(meta.format).toBe(expected.format === 'jpeg' ? 'jpeg' : expected.format)
  if (expected.width !== undefined) expect(info.width).toBe(expected.width)
  if (expected.height !== undefined) expect(info.height).toBe(expected.height)
  const alpha = (x: number, y: number): number => pixels[(y * info.width + x) * 4 + 3] as number
  const { width: w, height: h } = info
  const corners = [alpha(1, 1), alpha(w - 2, 1), alpha(1, h - 2), alpha(w - 2, h - 2)]
  if (expected.format !== 'jpeg') expect(Math.max(...corners)).toBeLessThan(10)
  expect(alpha(Math.floor(w / 2), Math.floor(h * 0.55))).toBeGreaterThan(245)
}

/** A file name carries a content hash when a run of 8+ hex characters (or base64url for Vite/Rollup) sits in it. */
export function expectHashedName(fileName: string): void {
  expect(fileName).toMatch(/[-.][A-Za-z0-9_-]{8,}\.(png|webp|jpe?g|avif)$/)
}
