/**
 * Facts about large files (a model's sha256, "this download was verified") remembered across processes, so that a
 * warm run stats a model file instead of reading hundreds of megabytes. A fact is trusted only while the file's size,
 * inode, modification and change times are those it was computed from; ctime cannot be set back by a user, so any
 * rewrite of the file, even one that restores its mtime, makes the fact be computed again.
 */
import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './fs-atomic.js'
import { sha256File } from './hash.js'

/** What tells one version of a file from another without reading it. */
export interface FileIdentity {
  size: number
  ino: number
  mtimeMs: number
  ctimeMs: number
}

interface FileRecord extends FileIdentity {
  facts: Record<string, string>
}

const factsFileName = 'file-facts.json'

/** The identity of the file at `path`, or null when there is no file. */
export async function fileIdentity(path: string): Promise<FileIdentity | null> {
  const info = await stat(path).catch(() => null)
  if (!info?.isFile()) return null
  return { size: info.size, ino: info.ino, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs }
}

/** True when two identities are one version of a file. */
export const sameFileIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.size === b.size && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs

function readRecords(folder: string): Record<string, FileRecord> {
  try {
    const parsed = JSON.parse(readFileSync(join(folder, factsFileName), 'utf8')) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, FileRecord>) : {}
  } catch {
    return {}
  }
}

/**
 * The value of `fact` for the file at `path`: remembered in `<folder>/file-facts.json` when the file has not changed
 * since it was computed, else computed by `compute` and remembered. A folder that cannot be written only costs the
 * computation next time. Processes writing at once may lose each other's entries, never corrupt them (atomic write).
 *
 * @example
 * const sum = await rememberedFact(modelPath, 'sha256', modelDirs().home, () => sha256File(modelPath))
 */
export async function rememberedFact(
  path: string,
  fact: string,
  folder: string,
  compute: () => Promise<string>,
): Promise<string> {
  const before = await fileIdentity(path)
  if (!before) return compute()
  const records = readRecords(folder)
  const record = records[path]
  const known = record && sameFileIdentity(record, before) ? record.facts?.[fact] : undefined
  if (typeof known === 'string') return known
  const value = await compute()
  // A file rewritten while it was read: its value belongs to neither version, so it is returned but not remembered.
  const after = await fileIdentity(path)
  if (!after || !sameFileIdentity(before, after)) return value
  const facts = record && sameFileIdentity(record, after) ? { ...record.facts, [fact]: value } : { [fact]: value }
  const updated = { ...readRecords(folder), [path]: { ...after, facts } }
  await writeFileAtomic(join(folder, factsFileName), Buffer.from(JSON.stringify(updated, null, 1))).catch(() => {})
  return value
}

/**
 * The sha256 of a file, read once per version of the file.
 *
 * @example
 * await rememberedSha256('/models/isnet.onnx', modelDirs().home) // hashes 176 MB the first time, stats it after
 */
export function rememberedSha256(path: string, folder: string): Promise<string> {
  return rememberedFact(path, 'sha256', folder, () => sha256File(path))
}
