/**
 * How big the result cache may grow: its entries listed with their size and last use, and the least recently used
 * removed first. Safe beside other processes using the same folder: only finished entries (the names `cache.ts`
 * renames into place) are ever removed, never a temporary file a writer is filling; a reader whose entry is removed
 * under it gets a miss (cache.ts reads an absent file as one); an entry removed by two pruners at once is simply gone.
 */
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import bytes from 'bytes'
import ms from 'ms'
import { RembgError } from './errors.js'

export type CacheEntryKind = 'matte' | 'output'

export interface CacheEntry {
  path: string
  kind: CacheEntryKind
  size: number
  /** Last use: written, or read by a hit (a hit sets the file's modification time). */
  usedAt: number
}

export interface CacheSummary {
  dir: string
  entries: number
  size: number
  mattes: { entries: number; size: number }
  outputs: { entries: number; size: number }
  /** Last use of the least and the most recently used entry, undefined for an empty cache. */
  oldest: Date | undefined
  newest: Date | undefined
}

export interface PruneOptions {
  /** Remove the least recently used entries until the rest weigh at most this many bytes. */
  maxSize?: number
  /** Remove the entries not used for this many milliseconds. */
  olderThan?: number
  /** The time ages are measured from. @default Date.now() */
  now?: number
}

export interface PruneResult {
  removed: { entries: number; size: number }
  kept: { entries: number; size: number }
}

// An entry's name is its 64-hex key and the extension; a writer's temporary file adds `.<pid>.<random>.tmp`.
const entryName = /^[0-9a-f]{64}\.[a-z]+$/
const kindFolders = { matte: 'mattes', output: 'outputs' } as const satisfies Record<CacheEntryKind, string>

/**
 * Every finished entry of the cache in `dir`, least recently used first (none when the folder does not exist).
 *
 * @example
 * const entries = await listCacheEntries('node_modules/.cache/rembg-kit')
 * entries[0]?.path // the entry the next prune removes first
 */
export async function listCacheEntries(dir: string): Promise<CacheEntry[]> {
  const entries: CacheEntry[] = []
  for (const kind of ['matte', 'output'] as const) {
    for (const path of await entryPaths(join(dir, kindFolders[kind]))) {
      const facts = await stat(path).catch(() => undefined) // removed since it was listed: not an entry any more
      if (facts?.isFile()) entries.push({ path, kind, size: facts.size, usedAt: facts.mtimeMs })
    }
  }
  return entries.sort((a, b) => a.usedAt - b.usedAt)
}

async function entryPaths(folder: string): Promise<string[]> {
  try {
    const found = await readdir(folder, { recursive: true, withFileTypes: true })
    return found.filter((entry) => entryName.test(entry.name)).map((entry) => join(entry.parentPath, entry.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/**
 * The cache's figures: entries and bytes, mattes and outputs apart, and the oldest and newest last use.
 *
 * @example
 * const { entries, size } = await summarizeCache('node_modules/.cache/rembg-kit')
 */
export async function summarizeCache(dir: string): Promise<CacheSummary> {
  const entries = await listCacheEntries(dir)
  const of = (kind: CacheEntryKind) => total(entries.filter((entry) => entry.kind === kind))
  const [first, last] = [entries[0], entries.at(-1)]
  return {
    dir,
    ...total(entries),
    mattes: of('matte'),
    outputs: of('output'),
    oldest: first && new Date(first.usedAt),
    newest: last && new Date(last.usedAt),
  }
}

/**
 * Removes the entries older than `olderThan`, then the least recently used ones until the rest fit in `maxSize`.
 *
 * @example
 * await pruneCache(dir, { maxSize: bytes.parse('2GB'), olderThan: ms('30d') })
 */
export async function pruneCache(dir: string, options: PruneOptions): Promise<PruneResult> {
  return pruneEntries(await listCacheEntries(dir), options)
}

/** {@link pruneCache} over entries already listed (least recently used first). */
export async function pruneEntries(entries: CacheEntry[], options: PruneOptions): Promise<PruneResult> {
  const { maxSize = Number.POSITIVE_INFINITY, olderThan = Number.POSITIVE_INFINITY, now = Date.now() } = options
  let size = total(entries).size
  const removed: CacheEntry[] = []
  for (const entry of entries) {
    if (now - entry.usedAt <= olderThan && size <= maxSize) break
    await removeEntry(entry.path)
    removed.push(entry)
    size -= entry.size
  }
  return { removed: total(removed), kept: total(entries.slice(removed.length)) }
}

async function removeEntry(path: string): Promise<void> {
  try {
    await rm(path, { force: true })
  } catch (error) {
    // Windows refuses to remove a file another process has open: that reader is using it, it stays for now.
    if (!['EBUSY', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  }
}

const sizePattern = /^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|pb)?\s*$/i
const agePattern = /^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i

function total(entries: CacheEntry[]): { entries: number; size: number } {
  return { entries: entries.length, size: entries.reduce((sum, entry) => sum + entry.size, 0) }
}

/**
 * A size in bytes: a number, or a string with a unit as the `bytes` package reads it (`500MB`, `2GB`, `1.5gb`; units
 * of 1024). `field` names the option in the error.
 *
 * @example
 * parseCacheSize('maxSize', '2GB') // 2147483648
 * parseCacheSize('--max-size', 'lots') // throws "'--max-size' must be a size such as 500MB or 2GB, got: 'lots'"
 */
export function parseCacheSize(field: string, raw: number | string): number {
  // `bytes` reads what it does not know as a plain number ('2 GiB' as 2 bytes): only its own spellings reach it.
  const value = typeof raw === 'number' ? raw : sizePattern.test(raw) ? bytes.parse(raw) : null
  if (value === null || !Number.isFinite(value) || value < 0) {
    throw new RembgError(`'${field}' must be a size such as 500MB or 2GB, got: '${raw}'`, {
      status: 400,
      code: 'INVALID_SIZE',
      field,
    })
  }
  return Math.floor(value)
}

/**
 * A duration in milliseconds from a string as the `ms` package reads it (`30d`, `12h`, `2 weeks`). `field` names the
 * option in the error.
 *
 * @example
 * parseCacheAge('--older-than', '30d') // 2592000000
 */
export function parseCacheAge(field: string, raw: string): number {
  // `ms` reads a bare number as milliseconds: a cache age needs its unit.
  const value = agePattern.test(raw) ? (ms(raw as ms.StringValue) as number | undefined) : undefined
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new RembgError(`'${field}' must be a duration such as 30d or 12h, got: '${raw}'`, {
      status: 400,
      code: 'INVALID_DURATION',
      field,
    })
  }
  return value
}
