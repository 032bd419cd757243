import { existsSync } from 'node:fs'
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { listCacheEntries, parseCacheSize, pruneEntries } from './cache-retention.js'
import { writeFileAtomic } from './fs-atomic.js'
import { sha256 } from './hash.js'
import { isCompleteImage } from './image-check.js'
import { loadSharp } from './sharp.js'

/** Bumped when a change in core makes earlier cached results wrong. Part of every key. */
export const cacheVersion = '1'

export interface CacheStats {
  matteHits: number
  matteMisses: number
  outputHits: number
  outputMisses: number
  /** Entries that existed but could not be read (truncated, foreign): treated as misses and rewritten. */
  corrupt: number
  /** Entries that could not be written (read-only folder, full disk): the result was still returned. */
  writeErrors: number
}

type Log = (line: string) => void

export interface ResultCacheOptions {
  /**
   * The most the folder may hold, in bytes or as `'2GB'` (units of 1024): past it, the least recently used entries
   * are removed (down to 90 % of it, so the folder is not listed again at every write).
   * @default unbounded
   */
  maxSize?: number | string
  /** Where the one warning about an unwritable cache goes. @default stderr */
  log?: Log
}

// After going over the bound, the cache is trimmed to this share of it.
const trimmedShare = 0.9

/**
 * The two-level content-addressed cache (ARCHITECTURE.md at the repository root, "How a request flows"). Mattes are
 * keyed by the input bytes and the engine fingerprint, outputs by the matte key and the canonical parameters, so every
 * variant of one image shares one matte. Entries are written atomically; an entry that cannot be read is a miss, never
 * a crash.
 */
export class ResultCache {
  readonly dir: string
  readonly stats: CacheStats = {
    matteHits: 0,
    matteMisses: 0,
    outputHits: 0,
    outputMisses: 0,
    corrupt: 0,
    writeErrors: 0,
  }

  /** The bound in bytes (Infinity when unbounded). */
  readonly maxSize: number
  private readonly log: Log
  /** Bytes in the folder when it was last listed, plus what this cache wrote since; unknown before the first write. */
  private sizeEstimate: number | undefined
  private trimming: Promise<void> | undefined

  constructor(dir: string, options: ResultCacheOptions = {}) {
    this.dir = dir
    this.maxSize =
      options.maxSize === undefined ? Number.POSITIVE_INFINITY : parseCacheSize('cacheMaxSize', options.maxSize)
    this.log = options.log ?? ((line) => void process.stderr.write(`${line}\n`))
  }

  /** Key of the matte of `inputHash` (sha256 of the input bytes) under one engine fingerprint. */
  static matteKey(inputHash: string, engineFingerprint: string): string {
    return sha256('matte', cacheVersion, inputHash, engineFingerprint)
  }

  /** Key of one output: its matte plus the canonical parameters (defaults filled, fields sorted). */
  static outputKey(matteKey: string, canonicalParams: string): string {
    return sha256('output', cacheVersion, matteKey, canonicalParams)
  }

  mattePath(key: string): string {
    return join(this.dir, 'mattes', key.slice(0, 2), `${key}.png`)
  }

  outputPath(key: string, extension: string): string {
    return join(this.dir, 'outputs', key.slice(0, 2), `${key}.${extension}`)
  }

  /** The cached matte, or null on a miss (a matte of the wrong size or one that fails to decode is a miss). */
  async readMatte(key: string, width: number, height: number): Promise<Uint8Array | null> {
    const path = this.mattePath(key)
    const bytes = await readIfExists(path)
    if (!bytes) return this.miss('matte')
    try {
      const { data, info } = await loadSharp()(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true })
      if (info.width !== width || info.height !== height || data.length !== width * height) throw new Error('size')
      this.stats.matteHits++
      await markUsed(path)
      return new Uint8Array(data.buffer, data.byteOffset, data.length)
    } catch {
      return this.corruptEntry(path, 'matte')
    }
  }

  /** @param log where this call's warning about an unwritable cache goes, instead of the cache's own. */
  async writeMatte(key: string, matte: Uint8Array, width: number, height: number, log?: Log): Promise<void> {
    const png = await loadSharp()(matte, { raw: { width, height, channels: 1 } })
      .png({ compressionLevel: 3 })
      .toBuffer()
    await this.write(this.mattePath(key), png, log)
  }

  /** The cached output file, or null on a miss. Checked for completeness without decoding (a hit must be cheap). */
  async readOutput(key: string, extension: string): Promise<Buffer | null> {
    const path = this.outputPath(key, extension)
    const bytes = await readIfExists(path)
    if (!bytes) return this.miss('output')
    if (!isCompleteImage(bytes)) return this.corruptEntry(path, 'output')
    this.stats.outputHits++
    await markUsed(path)
    return bytes
  }

  async writeOutput(key: string, extension: string, data: Uint8Array, log?: Log): Promise<void> {
    await this.write(this.outputPath(key, extension), data, log)
  }

  /**
   * A cache that cannot be written must not fail the build or the upload that asked for the result: the result is
   * returned uncached, and the reason is said once per cache.
   */
  private async write(path: string, data: Uint8Array, log = this.log): Promise<void> {
    try {
      await writeFileAtomic(path, data)
      await this.keepWithinBound(data.length)
    } catch (error) {
      if (this.stats.writeErrors++ === 0) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
        log(`rembg-kit: cannot write the cache in ${this.dir} (${reason}); results are not cached`)
      }
    }
  }

  /**
   * Lists the folder at the first write and whenever the estimate goes over the bound, then removes the least
   * recently used entries, down to 90 % of it. Other processes' writes are seen at the next listing.
   */
  private async keepWithinBound(written: number): Promise<void> {
    if (this.maxSize === Number.POSITIVE_INFINITY) return
    if (this.sizeEstimate !== undefined) {
      this.sizeEstimate += written
      if (this.sizeEstimate <= this.maxSize) return
    }
    this.trimming ??= this.trim().finally(() => {
      this.trimming = undefined
    })
    await this.trimming
  }

  private async trim(): Promise<void> {
    const entries = await listCacheEntries(this.dir)
    const size = entries.reduce((sum, entry) => sum + entry.size, 0)
    if (size <= this.maxSize) {
      this.sizeEstimate = size
      return
    }
    const { kept } = await pruneEntries(entries, { maxSize: Math.floor(this.maxSize * trimmedShare) })
    this.sizeEstimate = kept.size
  }

  private miss(kind: 'matte' | 'output'): null {
    if (kind === 'matte') this.stats.matteMisses++
    else this.stats.outputMisses++
    return null
  }

  private async corruptEntry(path: string, kind: 'matte' | 'output'): Promise<null> {
    this.stats.corrupt++
    await rm(path, { force: true })
    return this.miss(kind)
  }
}

/**
 * Records a hit as the entry's last use (its modification time), which is what the bound removes by. A cache that
 * cannot be written still answers hits.
 */
async function markUsed(path: string): Promise<void> {
  const now = new Date()
  await utimes(path, now, now).catch(() => {})
}

/** The file's bytes, or null when it is absent or cannot be read: an unreadable cache is a miss, never a failure. */
async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch {
    return null
  }
}

/**
 * The default cache folder: `node_modules/.cache/rembg-kit` of the nearest project (the folder holding a
 * package.json, from `cwd` up), as Babel, Vite and webpack loaders do; outside a project,
 * `$REMBG_KIT_HOME/cache` or `~/.cache/rembg-kit/cache`.
 *
 * @example
 * defaultCacheDir('/app/src') // '/app/node_modules/.cache/rembg-kit'
 */
export function defaultCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules', '.cache', 'rembg-kit')
    if (dirname(dir) === dir) break
  }
  return env.REMBG_KIT_HOME ? join(env.REMBG_KIT_HOME, 'cache') : join(homedir(), '.cache', 'rembg-kit', 'cache')
}

/** Total size in bytes of the files under `dir` (for `doctor`), 0 when it does not exist. */
export async function folderSize(dir: string): Promise<number> {
  let total = 0
  try {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return total
}
