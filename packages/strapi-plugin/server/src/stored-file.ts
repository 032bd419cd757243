/**
 * Files as Strapi stores them. Every value of a file row's `formats` is a complete stored file, because delete,
 * replace and URL signing iterate all of them: here are the entities handed to the upload provider and the stored
 * records made from them.
 */
import { extname } from 'node:path'
import { Readable } from 'node:stream'

/** A stored file: what Strapi keeps for the main file and for each entry of `formats`. */
export interface StoredFile {
  name: string
  hash: string
  ext: string
  mime: string
  path: string | null
  width: number | null
  height: number | null
  /** KB of 1000 bytes, two decimals, as Strapi writes it. */
  size: number
  sizeInBytes: number
  url: string
  /** Whatever else the provider set (`provider_metadata`, `etag`, ...). */
  [providerField: string]: unknown
}

/** A file about to be stored: a stored file without its URL yet, with a fresh stream of its bytes on every call. */
export interface UploadEntity extends Omit<StoredFile, 'url'> {
  url?: string
  getStream(): Readable
}

/** The upload row fields the plugin reads. */
export interface FileRow extends StoredFile {
  id: number
  formats: Record<string, StoredFile> | null
  folderPath?: string | null
  provider?: string
  rembg?: unknown
}

/** What the entity needs from core's RemoveResult. */
export interface Cutout {
  data: Buffer
  width: number
  height: number
  mime: string
  extension: string
}

/** Strapi's `bytesToKbytes`: KB of 1000 bytes, rounded to two decimals. */
export const bytesToKbytes = (bytes: number): number => Math.round((bytes / 1000) * 100) / 100

/** The cutout's own hash, so providers keyed by hash alone (Cloudinary) never overwrite the original. */
export const cutoutHash = (hash: string): string => `${hash}_rembg`

/** `ball.jpg` → `ball.png` for a PNG cutout; names without an extension get one. */
export function renameExtension(name: string, extension: string): string {
  const ext = extname(name)
  return `${ext === '' ? name : name.slice(0, -ext.length)}.${extension}`
}

/**
 * The provider entity of a cutout. `getStream` returns a new stream each call: providers and Strapi's resizer may
 * each read the bytes.
 *
 * @example
 * cutoutEntity(cutout, { name: 'rembg_ball.png', hash: 'ball_a1b2_rembg', path: null })
 * // { name: 'rembg_ball.png', hash: 'ball_a1b2_rembg', ext: '.png', mime: 'image/png', width, height, size, ... }
 */
export function cutoutEntity(
  cutout: Cutout,
  target: { name: string; hash: string; path: string | null },
): UploadEntity {
  const { data } = cutout
  return {
    name: target.name,
    hash: target.hash,
    ext: `.${cutout.extension}`,
    mime: cutout.mime,
    path: target.path,
    width: cutout.width,
    height: cutout.height,
    size: bytesToKbytes(data.length),
    sizeInBytes: data.length,
    getStream: () => Readable.from([data]),
  }
}

/** Fields that exist only while a file is being stored (Strapi deletes some of them itself, not all). */
const transientFields = new Set(['getStream', 'stream', 'buffer', 'filepath', 'tmpWorkingDirectory'])

/**
 * The stored record of an entity the provider has uploaded: every field but the transient ones, so whatever the
 * provider set (`url`, `provider_metadata`, `etag`) is kept.
 */
export function toStoredFile(entity: UploadEntity | Record<string, unknown>): StoredFile {
  const stored = Object.fromEntries(Object.entries(entity).filter(([key]) => !transientFields.has(key)))
  if (typeof stored.url !== 'string') throw new Error(`the upload provider set no url for ${String(stored.name)}`)
  return stored as StoredFile
}

/**
 * The main file of a row as a stored file, for `formats.original` in replace mode. The file model has no
 * `sizeInBytes` column (only `formats` entries carry it): pass the stored file's true length when it is known.
 */
export function mainFileOf(row: FileRow, sizeInBytes?: number): StoredFile {
  const main: StoredFile = {
    name: row.name,
    hash: row.hash,
    ext: row.ext,
    mime: row.mime,
    path: row.path ?? null,
    width: row.width ?? null,
    height: row.height ?? null,
    size: Number(row.size),
    sizeInBytes: sizeInBytes ?? row.sizeInBytes ?? Math.round(Number(row.size) * 1000),
    url: row.url,
  }
  if (row.provider_metadata !== undefined && row.provider_metadata !== null)
    main.provider_metadata = row.provider_metadata
  return main
}

/** The row fields that describe its main file, taken from a stored file (replace mode). */
export function mainFileFields(file: StoredFile): Partial<FileRow> {
  return {
    name: file.name,
    hash: file.hash,
    ext: file.ext,
    mime: file.mime,
    width: file.width,
    height: file.height,
    size: file.size,
    url: file.url,
    provider_metadata: file.provider_metadata ?? null,
  }
}

/** The key of a stored file's bytes at the provider: two records with the same key are the same stored object. */
export const storageKey = (file: Pick<StoredFile, 'hash' | 'ext'>): string => `${file.hash}${file.ext}`
