/**
 * Where files go and come from: an upload's original read from its temp file or read back from storage (through the
 * upload provider: signed when it is private, within a time and a size limit), a cutout stored through the upload
 * plugin's provider (with the thumbnail and sizes Strapi makes for any image) as a variant or as the main file, and
 * the files a new result no longer uses deleted. Nothing here removes a background: the processor hands over a
 * finished cutout.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
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

/** Bounds on reading a stored file back from the upload provider. */
interface ReadLimits {
  /** Milliseconds the provider has to deliver the whole file (config `readTimeout`). */
  timeout: number
  /** Bytes; a larger stored file is not read (config `maxSize`, the bound uploads have too). */
  maxSize: number
}

/** The config's defaults, for a storage made before the config is resolved. */
const defaultReadLimits: ReadLimits = { timeout: 30_000, maxSize: 20_000_000 }

/**
 * A stored file could not be read back. The message names the file and the cause (an HTTP status, the time limit,
 * the size limit, the network error) and never the URL: a signed URL is a credential until it expires.
 */
class StoredFileReadError extends Error {
  override readonly name = 'StoredFileReadError'
  constructor(
    file: { id?: number; name: string },
    /** The cause alone: `the upload provider answered HTTP 403`. */
    readonly reason: string,
  ) {
    super(
      `could not read the stored file '${file.name}'${file.id === undefined ? '' : ` (file ${file.id})`}: ${reason}`,
    )
  }
}

export class CutoutStorage {
  /**
   * `describe` turns a failed deletion into the words of the log line (core's error description); `limits` gives the
   * read limits of the resolved config (asked on every read, so a storage can exist before the config does).
   */
  constructor(
    private readonly strapi: Strapi.Strapi,
    private readonly describe: (error: unknown) => string,
    private readonly limits: () => ReadLimits = () => defaultReadLimits,
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

  /** The original of a row as stored: `formats.original` in replace mode, else the main file. */
  readOriginal(row: FileRow): Promise<Buffer> {
    return this.read(row.formats?.original ?? mainFileOf(row), row)
  }

  /**
   * A stored file's bytes, within the read limits: the local provider's from the public folder, any other's through
   * its URL, signed by Strapi's own `signFileUrls` when the provider is private. `owner` is the row the file belongs
   * to: its provider decides the signing (a file of a former provider is read unsigned, as Strapi serves it) and its
   * name and id go into the error. Throws {@link StoredFileReadError}.
   */
  async read(file: StoredFile, owner?: Pick<FileRow, 'id' | 'name' | 'provider'>): Promise<Buffer> {
    const limits = this.limits()
    const named = owner ?? file
    try {
      if (/^https?:\/\//i.test(file.url)) return await readUrl(await this.readableUrl(file, owner?.provider), limits)
      return await this.readPublic(file.url, limits)
    } catch (error) {
      if (error instanceof ReadFailure) throw new StoredFileReadError(named, error.message)
      throw new StoredFileReadError(named, this.describe(error))
    }
  }

  /** The URL to read `file` from: Strapi signs it when the upload provider is private and the file is its own. */
  private async readableUrl(file: StoredFile, provider: string | undefined): Promise<string> {
    const current = (this.strapi.config.get('plugin::upload') as { provider?: string }).provider
    const signed = (await this.strapi
      .plugin('upload')
      .service('file')
      .signFileUrls({ ...file, provider: provider ?? current })) as { url: string }
    return signed.url
  }

  /** The local provider's URLs are paths under the public folder (`/uploads/a.png`). */
  private async readPublic(url: string, limits: ReadLimits): Promise<Buffer> {
    const path = join(this.strapi.dirs.static.public, url.split('?')[0] ?? url)
    const size = await stat(path).then(
      (stats) => stats.size,
      () => {
        throw new ReadFailure(`it is not in the public folder (${url.split('?')[0]})`)
      },
    )
    if (size > limits.maxSize) throw tooLarge(limits, size)
    return readFile(path)
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
    const length = await this.read(mainFileOf(row), row).then(
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
    // Side by side: each decodes the cutout on a thread of its own, and the model waits for this to end.
    const [thumbnail, breakpoints] = (await Promise.all([
      images.generateThumbnail(source),
      images.generateResponsiveFormats(source).then((formats: unknown) => formats ?? []),
    ])) as [UploadEntity | null, ({ key: string; file: UploadEntity } | null)[]]
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

/** Why a read failed, before the file's name is put in front (see {@link StoredFileReadError}). */
class ReadFailure extends Error {}

const tooLarge = (limits: ReadLimits, size?: number): ReadFailure =>
  new ReadFailure(
    `it is ${size === undefined ? 'larger than' : `${size} bytes, above`} maxSize (${limits.maxSize} bytes)`,
  )

/**
 * GETs `url` within the limits: the whole exchange (answer and body) must end within `limits.timeout`, and the body
 * is counted as it arrives, so a provider that sends more than `limits.maxSize` (or says it will) is cut off without
 * the rest being held in memory.
 */
async function readUrl(url: string, limits: ReadLimits): Promise<Buffer> {
  const signal = AbortSignal.timeout(limits.timeout)
  try {
    const response = await fetch(url, { signal })
    if (!response.ok || !response.body) {
      await response.body?.cancel()
      throw new ReadFailure(`the upload provider answered HTTP ${response.status}`)
    }
    const declared = Number(response.headers.get('content-length'))
    if (declared > limits.maxSize) {
      await response.body.cancel()
      throw tooLarge(limits, declared)
    }
    const chunks: Uint8Array[] = []
    let length = 0
    for await (const chunk of response.body) {
      length += chunk.length
      // Leaving the loop cancels the stream, and with it the download.
      if (length > limits.maxSize) throw tooLarge(limits)
      chunks.push(chunk)
    }
    return Buffer.concat(chunks, length)
  } catch (error) {
    if (error instanceof ReadFailure) throw error
    if (signal.aborted)
      throw new ReadFailure(`the upload provider did not deliver it within ${limits.timeout} ms (readTimeout)`)
    // fetch's own message is "fetch failed"; the cause says what failed (ECONNREFUSED, a TLS error...).
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
    throw new ReadFailure(`the upload provider could not be reached: ${cause}`)
  }
}
