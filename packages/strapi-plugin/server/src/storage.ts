/**
 * Where files go and come from: an upload's original read from its temp file or read back from storage, a cutout
 * stored through the upload plugin's provider (with the thumbnail and sizes Strapi makes for any image) as a variant
 * or as the main file, and the files a new result no longer uses deleted. Nothing here removes a background: the
 * processor hands over a finished cutout.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Core as Strapi } from '@strapi/strapi'
import type { Mode } from './options'
import {
  type Cutout,
  cutoutEntity,
  cutoutHash,
  type FileRow,
  mainFileFields,
  mainFileOf,
  renameExtension,
  type StoredFile,
  storageKey,
  toStoredFile,
  type UploadEntity,
} from './stored-file'

export class CutoutStorage {
  /** `describe` turns a failed deletion into the words of the log line (core's error description). */
  constructor(
    private readonly strapi: Strapi.Strapi,
    private readonly describe: (error: unknown) => string,
  ) {}

  /**
   * Stores `cutout` for `row` and answers the row's new fields: `variant` adds it to the formats, `replace` makes it
   * the main file (the original kept whole as `formats.original`).
   */
  store(row: FileRow, cutout: Cutout, mode: Mode): Promise<Partial<FileRow>> {
    return mode === 'replace' ? this.storeReplacement(row, cutout) : this.storeVariant(row, cutout)
  }

  /** An upload's original bytes, from the temp file Strapi deletes when the request ends (read them before that). */
  readUpload(filepath: string): Promise<Buffer> {
    return readFile(filepath)
  }

  /** A stored file's bytes: the local provider's from the public folder, any other's through its URL. */
  async read(file: StoredFile): Promise<Buffer> {
    if (/^https?:\/\//i.test(file.url)) {
      const response = await fetch(file.url)
      if (!response.ok) throw new Error(`could not read ${file.url}: HTTP ${response.status}`)
      return Buffer.from(await response.arrayBuffer())
    }
    // The local provider's URLs are paths under the public folder (`/uploads/a.png`).
    return readFile(join(this.strapi.dirs.static.public, file.url.split('?')[0] ?? file.url))
  }

  /** Variant mode: the cutout (and its sizes) join the row's formats as `rembg`, `rembg_thumbnail`, `rembg_small`... */
  private async storeVariant(row: FileRow, cutout: Cutout): Promise<Partial<FileRow>> {
    const main = cutoutEntity(cutout, {
      name: `rembg_${renameExtension(row.name, cutout.extension)}`,
      hash: cutoutHash(row.hash),
      path: row.path ?? null,
    })
    const stored = await this.storeWithSizes(main, cutout.data)
    const formats: Record<string, StoredFile> = { rembg: stored.main }
    for (const [key, file] of Object.entries(stored.sizes)) formats[`rembg_${key}`] = file
    const previous = Object.entries(row.formats ?? {}).filter(([key]) => key === 'rembg' || key.startsWith('rembg_'))
    await this.deleteStored(
      row,
      previous.map(([, file]) => file),
      Object.values(formats),
    )
    const kept = Object.fromEntries(
      Object.entries(row.formats ?? {}).filter(([key]) => !previous.some(([k]) => k === key)),
    )
    return { formats: { ...kept, ...formats } }
  }

  /**
   * Replace mode: the cutout becomes the main file (its own hash, ext, mime, size, url) with its own thumbnail and
   * sizes, and the original stays whole as `formats.original`. The original's old sizes are deleted.
   */
  private async storeReplacement(row: FileRow, cutout: Cutout): Promise<Partial<FileRow>> {
    const original = row.formats?.original ?? (await this.originalOf(row))
    const main = cutoutEntity(cutout, {
      name: renameExtension(original.name, cutout.extension),
      hash: cutoutHash(original.hash),
      path: row.path ?? null,
    })
    const stored = await this.storeWithSizes(main, cutout.data)
    const previous = [
      ...(row.formats?.original ? [mainFileOf(row)] : []),
      ...Object.entries(row.formats ?? {})
        .filter(([key]) => key !== 'original')
        .map(([, file]) => file),
    ]
    await this.deleteStored(row, previous, [stored.main, original, ...Object.values(stored.sizes)])
    return { ...mainFileFields(stored.main), formats: { original, ...stored.sizes } }
  }

  /** The row's main file as a stored file, with the stored bytes' true length (Strapi may have re-encoded them). */
  private async originalOf(row: FileRow): Promise<StoredFile> {
    const length = await this.read(mainFileOf(row)).then(
      (bytes) => bytes.length,
      () => undefined,
    )
    return mainFileOf(row, length)
  }

  /** Stores a file and the thumbnail and responsive sizes Strapi makes for an image of its kind. */
  private async storeWithSizes(
    main: UploadEntity,
    data: Buffer,
  ): Promise<{ main: StoredFile; sizes: Record<string, StoredFile> }> {
    const workDir = await mkdtemp(join(tmpdir(), 'rembg-kit-'))
    try {
      const sizes = await this.makeSizes(main, data, workDir)
      const provider = this.strapi.plugin('upload').service('provider')
      await Promise.all([main, ...sizes.map(({ file }) => file)].map((file) => provider.upload(file)))
      const storedSizes = Object.fromEntries(sizes.map(({ key, file }) => [key, toStoredFile(file)]))
      return { main: toStoredFile(main), sizes: storedSizes }
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }

  /** Strapi's own resizer: the same thumbnail and breakpoints (and settings) as for any upload. */
  private async makeSizes(
    main: UploadEntity,
    data: Buffer,
    workDir: string,
  ): Promise<{ key: string; file: UploadEntity }[]> {
    const images = this.strapi.plugin('upload').service('image-manipulation')
    const filepath = join(workDir, `${main.hash}${main.ext}`)
    await writeFile(filepath, data)
    const source = { ...main, filepath, tmpWorkingDirectory: workDir }
    if (!(await images.isResizableImage(source))) return []
    const thumbnail = (await images.generateThumbnail(source)) as UploadEntity | null
    const breakpoints = ((await images.generateResponsiveFormats(source)) ?? []) as ({
      key: string
      file: UploadEntity
    } | null)[]
    const sizes = breakpoints.filter((format) => format !== null)
    return thumbnail ? [{ key: 'thumbnail', file: thumbnail }, ...sizes] : sizes
  }

  /** Deletes stored files a new result no longer uses (never one the new result reuses, by provider key). */
  private async deleteStored(row: FileRow, old: StoredFile[], kept: StoredFile[]): Promise<void> {
    const uploadConfig = this.strapi.config.get('plugin::upload') as { provider?: string }
    if (row.provider !== undefined && row.provider !== uploadConfig.provider) return
    const keep = new Set(kept.map(storageKey))
    const provider = this.strapi.plugin('upload').provider
    const obsolete = old.filter((file) => !keep.has(storageKey(file)))
    await Promise.all(
      obsolete.map((file) =>
        Promise.resolve(provider.delete(file)).catch((error: unknown) => {
          this.strapi.log.warn(`rembg: could not delete the old file ${file.name}: ${this.describe(error)}`)
        }),
      ),
    )
  }
}
