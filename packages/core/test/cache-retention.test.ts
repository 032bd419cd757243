import { mkdir, utimes, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ResultCache } from '../src/cache.js'
import { parseCacheAge, parseCacheSize, pruneCache, summarizeCache } from '../src/cache-retention.js'
import type { CommandIO } from '../src/cli/command.js'
import { runCommand } from '../src/cli/main.js'
import { sha256 } from '../src/hash.js'
import { listFiles, tempDir, thrown } from './helpers.js'

const hour = 3_600_000
const day = 24 * hour
const now = Date.now()

/** A small real PNG of one colour: distinct bytes per `seed`. */
function png(seed: number, side = 8): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: seed % 256, g: 40, b: 90 } } })
    .png()
    .toBuffer()
}

/** Writes a file of `size` bytes where the cache keeps `kind` entries, last used at `usedAt`; returns its path. */
async function entry(dir: string, kind: 'mattes' | 'outputs', name: string, size: number, usedAt: number) {
  const key = sha256(name)
  const path = join(dir, kind, key.slice(0, 2), `${key}.${kind === 'mattes' ? 'png' : 'webp'}`)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, Buffer.alloc(size, 7))
  await utimes(path, new Date(usedAt), new Date(usedAt))
  return path.slice(dir.length + 1)
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const io = {
    stdout: { write: (text: string) => out.push(text) > 0 },
    stderr: { write: (text: string) => err.push(text) > 0 },
    env: {},
    cwd: process.cwd(),
  } as unknown as CommandIO
  const code = await runCommand(args, io)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

describe('cache retention', () => {
  it('prunes to a size by removing the least recently used first, a hit counting as a use', async () => {
    const dir = await tempDir('retention-')
    const cache = new ResultCache(dir)
    const keys = ['a', 'b', 'c', 'd'].map((name) => sha256(name))
    for (const [index, key] of keys.entries()) {
      await cache.writeOutput(key, 'png', await png(index))
      const path = cache.outputPath(key, 'png')
      await utimes(path, new Date(now - (10 - index) * hour), new Date(now - (10 - index) * hour))
    }
    // 'a' was written first, but a hit makes it the most recently used.
    expect(await cache.readOutput(keys[0] as string, 'png')).not.toBeNull()
    const sizes = await Promise.all(keys.map(async (_key, index) => (await png(index)).length))
    const result = await pruneCache(dir, { maxSize: (sizes[0] as number) + (sizes[3] as number) })
    expect(result).toEqual({
      removed: { entries: 2, size: (sizes[1] as number) + (sizes[2] as number) },
      kept: { entries: 2, size: (sizes[0] as number) + (sizes[3] as number) },
    })
    expect(await listFiles(dir)).toEqual(
      [cache.outputPath(keys[0] as string, 'png'), cache.outputPath(keys[3] as string, 'png')]
        .map((path) => path.slice(dir.length + 1))
        .sort(),
    )
  })

  it('removes the entries unused for longer than --older-than, and only them', async () => {
    const dir = await tempDir('retention-')
    await entry(dir, 'outputs', 'old', 1000, now - 40 * day)
    const recent = await entry(dir, 'outputs', 'recent', 2000, now - 20 * day)
    const matte = await entry(dir, 'mattes', 'today', 3000, now - hour)
    const run = await cli(['cache', 'prune', '--older-than', '30d', '--cache-dir', dir])
    expect(run).toEqual({
      code: 0,
      stdout: `removed 1 entry (1000 bytes), kept 2 entries (4.88 KB = 5000 bytes) in ${dir}\n`,
      stderr: '',
    })
    expect(await listFiles(dir)).toEqual([matte, recent].sort())
  })

  it('prints the exact figures of the cache with cache info', async () => {
    const dir = await tempDir('retention-')
    await entry(dir, 'mattes', 'm1', 4096, Date.UTC(2026, 10, 1, 8))
    await entry(dir, 'outputs', 'o1', 1000, Date.UTC(2026, 11, 2, 9, 30))
    await entry(dir, 'outputs', 'o2', 3 * 1024 * 1024, Date.UTC(2026, 11, 6, 18))
    // A writer's temporary file is not an entry.
    await writeFile(join(dir, 'outputs', `${sha256('o3')}.webp.123.abcdef.tmp`), Buffer.alloc(50))
    const run = await cli(['cache', 'info', '--cache-dir', dir])
    expect(run.stdout).toBe(
      [
        `cache       ${dir}`,
        'entries     3 (1 matte, 2 outputs)',
        'size        3 MB = 3150824 bytes (mattes 4 KB = 4096 bytes, outputs 3 MB = 3146728 bytes)',
        'oldest use  2026-11-01T08:00:00.000Z',
        'newest use  2026-12-06T18:00:00.000Z',
        '',
      ].join('\n'),
    )
    expect(run.code).toBe(0)
    expect(await cli(['cache', 'info', '--cache-dir', join(dir, 'none')])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('entries     0 (0 mattes, 0 outputs)\nsize        0 bytes'),
    })
  })

  it('never removes a temporary file a writer is filling', async () => {
    const dir = await tempDir('retention-')
    const kept = await entry(dir, 'outputs', 'x', 10, now - 90 * day)
    const temp = `${kept}.4242.0a0b0c0d0e0f.tmp`
    await writeFile(join(dir, temp), Buffer.alloc(10))
    await utimes(join(dir, temp), new Date(now - 90 * day), new Date(now - 90 * day))
    await pruneCache(dir, { maxSize: 0, olderThan: 0 })
    expect(await listFiles(dir)).toEqual([temp])
  })

  it('lets readers in the middle of a prune see each entry whole or as a miss, never an error', async () => {
    const dir = await tempDir('retention-')
    const cache = new ResultCache(dir)
    const outputs = new Map<string, Buffer>()
    for (let index = 0; index < 60; index++) {
      const bytes = await png(index)
      outputs.set(sha256(`entry ${index}`), bytes)
      await cache.writeOutput(sha256(`entry ${index}`), 'png', bytes)
    }
    const reader = new ResultCache(dir)
    const seen: Array<'whole' | 'miss'> = []
    const read = async (): Promise<void> => {
      for (let round = 0; round < 5; round++) {
        for (const [key, bytes] of outputs) {
          const got = await reader.readOutput(key, 'png')
          if (got !== null) expect(got.equals(bytes)).toBe(true)
          seen.push(got ? 'whole' : 'miss')
        }
      }
    }
    const [pruned] = await Promise.all([pruneCache(dir, { maxSize: 0 }), read(), read()])
    expect(pruned.kept.entries).toBeLessThanOrEqual(2) // entries a reader used during the prune may be kept
    expect(seen).toHaveLength(600)
    expect(seen).toContain('miss')
    expect(reader.stats.corrupt).toBe(0)
  })

  it('keeps a bounded cache within maxSize as it writes, dropping the least recently used', async () => {
    const dir = await tempDir('retention-')
    const images = await Promise.all(Array.from({ length: 12 }, (_, index) => png(index, 64)))
    const each = Math.max(...images.map((image) => image.length))
    const cache = new ResultCache(dir, { maxSize: 5 * each })
    const keys = images.map((_, index) => sha256(`bounded ${index}`))
    for (const [index, image] of images.entries()) {
      await cache.writeOutput(keys[index] as string, 'png', image)
      // Written in order, each a second after the previous (file times are not finer everywhere).
      const at = new Date(now - (100 - index) * 1000)
      await utimes(cache.outputPath(keys[index] as string, 'png'), at, at)
    }
    const summary = await summarizeCache(dir)
    expect(summary.size).toBeLessThanOrEqual(5 * each)
    expect(summary.entries).toBeGreaterThanOrEqual(3)
    expect(summary.entries).toBeLessThan(12)
    // Whatever was dropped, it was the oldest: the last written entries are all there.
    for (const key of keys.slice(-summary.entries)) expect(await cache.readOutput(key, 'png')).not.toBeNull()
    expect(cache.stats.writeErrors).toBe(0)
  })

  it('refuses a size or an age it cannot read, naming the option', async () => {
    expect(parseCacheSize('maxSize', '2GB')).toBe(2 * 1024 ** 3)
    expect(parseCacheSize('maxSize', 1500)).toBe(1500)
    expect(parseCacheAge('--older-than', '30d')).toBe(30 * day)
    expect(thrown(() => parseCacheSize('--max-size', '2 GiB')).message).toBe(
      "'--max-size' must be a size such as 500MB or 2GB, got: '2 GiB'",
    )
    expect(thrown(() => parseCacheAge('--older-than', '30')).message).toBe(
      "'--older-than' must be a duration such as 30d or 12h, got: '30'",
    )
    expect(thrown(() => new ResultCache('/tmp/x', { maxSize: 'big' })).message).toBe(
      "'cacheMaxSize' must be a size such as 500MB or 2GB, got: 'big'",
    )
    const dir = await tempDir('retention-')
    expect(await cli(['cache', 'prune', '--max-size', 'lots', '--cache-dir', dir])).toMatchObject({
      code: 1,
      stderr: "rembg-kit: '--max-size' must be a size such as 500MB or 2GB, got: 'lots'\n",
    })
    expect(await cli(['cache', 'prune', '--cache-dir', dir])).toMatchObject({ code: 1 })
  })
})
