/**
 * A cache hit loads neither onnxruntime-node nor sharp nor the model (issue 24): each run is a process of its own with
 * examples/report-loaded-libraries.cjs preloaded, which lists the heavy native libraries the process mapped. The miss
 * before it must list them, so the check is seen to work.
 */
import { execFile } from 'node:child_process'
import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { repoRoot, tempDir, testModel } from './helpers.js'

const run = promisify(execFile)
const preload = join(repoRoot, 'examples', 'report-loaded-libraries.cjs')
const bin = join(repoRoot, 'packages', 'core', 'bin', 'rembg-kit.js')
const dist = join(repoRoot, 'packages', 'core', 'dist', 'index.js')
const photo = join(repoRoot, 'examples', 'vite', 'src', 'images', 'ball.jpg')
const everyHeavyLibrary = ['libvips', 'sharp-', 'libonnxruntime', 'onnxruntime_binding']

/** Runs node with the preload and returns the heavy libraries the process loaded, and what it printed. */
async function loaded(args: string[], cwd: string): Promise<{ libraries: string[]; stdout: string }> {
  const report = join(cwd, `loaded-${Math.random().toString(36).slice(2)}.json`)
  const env = { ...process.env, REMBG_KIT_LOADED_REPORT: report }
  const { stdout } = await run(process.execPath, ['--require', preload, ...args], { cwd, env })
  return { libraries: JSON.parse(await readFile(report, 'utf8')) as string[], stdout }
}

const kinds = (libraries: string[]): string[] =>
  everyHeavyLibrary.filter((prefix) => libraries.some((name) => name.startsWith(prefix)))

describe('a cache hit loads no native library', () => {
  it('the CLI: a miss loads sharp and onnxruntime, the same command again loads neither', async () => {
    const dir = await tempDir('cache-hit-loads-')
    await copyFile(photo, join(dir, 'ball.jpg'))
    const args = [bin, 'remove', 'ball.jpg', '-o', 'ball.png', '--model', testModel, '--cache-dir', 'cache']

    const miss = await loaded(args, dir)
    expect(miss.stdout).toMatch(/ball\.png \(\d+x\d+, \d+ ms, computed\)/)
    expect(kinds(miss.libraries)).toEqual(everyHeavyLibrary)

    const hit = await loaded(args, dir)
    expect(hit.stdout).toMatch(/ball\.png \(\d+x\d+, \d+ ms, cached\)/)
    expect(hit.libraries).toEqual([])
  })

  it('removeBackground: three variants answered by the cache load neither, a new variant of a cached matte loads sharp only', async () => {
    const dir = await tempDir('cache-hit-loads-api-')
    const script = (variants: object[]): string[] => [
      '--input-type=module',
      '-e',
      `const { removeBackground } = await import(${JSON.stringify(dist)})
      for (const params of ${JSON.stringify(variants)}) {
        const result = await removeBackground(${JSON.stringify(photo)}, { model: '${testModel}', cacheDir: 'cache', ...params })
        console.log(JSON.stringify(result.cache))
      }`,
    ]
    const variants = [{ format: 'png' }, { format: 'webp', w: 100 }, { format: 'bmp', h: 50 }]
    const miss = await loaded(script(variants), dir)
    expect(kinds(miss.libraries)).toEqual(everyHeavyLibrary)

    const hit = await loaded(script(variants), dir)
    expect(hit.stdout.trim().split('\n')).toEqual(Array(3).fill('{"output":true,"matte":true}'))
    expect(hit.libraries).toEqual([])

    // A new size of a cached matte decodes and composes (sharp) but runs no model (no onnxruntime).
    const matteHit = await loaded(script([{ format: 'png', w: 64 }]), dir)
    expect(matteHit.stdout.trim()).toBe('{"output":false,"matte":true}')
    expect(kinds(matteHit.libraries)).toEqual(['libvips', 'sharp-'])
  })
})
