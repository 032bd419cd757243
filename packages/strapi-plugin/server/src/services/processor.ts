/**
 * The plugin's one piece of state per Strapi process: the resolved config, core's Remover (created on first use) and
 * the queues. It turns an upload row plus the original bytes into a processed row; it never throws for a failed
 * removal: the failure is logged and recorded on the row instead.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Limiter, Remover } from '@rembg-kit/core'
import type { Core as Strapi } from '@strapi/strapi'
import type { Core } from '../core'
import type { ResolvedConfig } from '../options'
import { createSelector, folderPathIds, namedFolderPath, type Selection, type UploadFacts } from '../selection'
import { type RembgStatus, statusRecord } from '../status'
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
} from '../stored-file'

const fileUid = 'plugin::upload.file'
const folderUid = 'plugin::upload.folder'

/** A file as the upload service receives it (formidable's fields; programmatic callers pass the same). */
export interface UploadedFile {
  filepath?: string
  size?: number
  originalFilename?: string
}

/** The reprocess route was asked for a file whose bytes are not an image core accepts. */
export class NotAnImageError extends Error {
  constructor(row: FileRow) {
    super(`File ${row.id} (${row.name}) is not an image rembg-kit accepts (PNG, JPEG, WebP or BMP)`)
  }
}

export class Processor {
  private state: { config: ResolvedConfig; core: Core; select: (facts: UploadFacts) => Selection } | undefined
  private remover: Remover | undefined
  // Core's semaphore, made in init() once core is loaded (an ES module this CommonJS build imports asynchronously).
  private foreground: Limiter | undefined
  private background: Limiter | undefined

  constructor(private readonly strapi: Strapi.Strapi) {}

  init(config: ResolvedConfig, core: Core): void {
    this.state = { config, core, select: createSelector(config, core) }
    this.foreground = new core.Limiter(config.concurrency)
    this.background = new core.Limiter(config.concurrency)
  }

  private queue(name: 'foreground' | 'background'): Limiter {
    const limiter = this[name]
    if (!limiter) throw new Error('rembg: the plugin was used before its register phase loaded core')
    return limiter
  }

  get config(): ResolvedConfig {
    return this.loaded().config
  }

  /** Resolves when no background processing (async uploads, folder jobs) is left. */
  idle(): Promise<void> {
    return this.background?.idle() ?? Promise.resolve()
  }

  /** Runs work on the background queue (bounded by `concurrency`). */
  inBackground<T>(task: () => Promise<T>): Promise<T> {
    return this.queue('background').run(task)
  }

  /**
   * Processes the rows an upload or replace just made. Sync mode answers the updated rows; async mode records
   * `pending`, queues the work with a copy of the bytes, and answers at once.
   */
  async afterUpload(rows: FileRow[], files: (UploadedFile | undefined)[], infos: unknown[]): Promise<FileRow[]> {
    const sources = await Promise.all(rows.map((row, i) => this.originalBytes(row, files[i], infos[i])))
    const each = (row: FileRow, i: number): Promise<FileRow> => {
      const bytes = sources[i]
      if (!bytes) return Promise.resolve(row)
      if (this.config.async) return this.schedule(row, bytes)
      return this.queue('foreground').run(() => this.process(row, bytes))
    }
    return Promise.all(rows.map(each))
  }

  /** The reprocess route: the original's bytes read back from the provider, then processed like an upload. */
  async reprocess(row: FileRow): Promise<FileRow> {
    const source = row.formats?.original ?? mainFileOf(row)
    const bytes = await this.readStored(source)
    if (this.loaded().core.sniffFormat(bytes) === null) throw new NotAnImageError(row)
    return this.process(row, bytes)
  }

  /** Removes the background and stores the result; a failure is logged and recorded, never thrown. */
  async process(row: FileRow, bytes: Buffer): Promise<FileRow> {
    const started = performance.now()
    try {
      const cutout = await this.getRemover().remove(bytes, this.config.params)
      const fields =
        this.config.mode === 'replace' ? await this.storeReplacement(row, cutout) : await this.storeVariant(row, cutout)
      return await this.update(row, { ...fields, rembg: this.status('done', { ms: performance.now() - started }) })
    } catch (error) {
      const reason = this.loaded().core.describeError(error)
      this.strapi.log.warn(`rembg: could not remove the background of '${row.name}' (file ${row.id}): ${reason}`)
      return this.update(row, {
        rembg: this.status('failed', { ms: performance.now() - started, error: reason }),
      }).catch(() => row)
    }
  }

  private loaded(): NonNullable<Processor['state']> {
    if (!this.state) throw new Error('rembg: the plugin was used before its register phase ran')
    return this.state
  }

  private getRemover(): Remover {
    const { core, config } = this.loaded()
    this.remover ??= core.createRemover({
      engine: config.engine,
      model: config.model,
      cacheDir: config.cacheDir,
      cacheMaxSize: config.cacheMaxSize,
      ...(config.apiKey === null ? {} : { apiKey: config.apiKey }),
      ...(config.baseUrl === null ? {} : { baseUrl: config.baseUrl }),
    })
    return this.remover
  }

  private status(status: RembgStatus['status'], extra: { ms?: number; error?: string } = {}): RembgStatus {
    return statusRecord(status, { engine: this.config.engine, model: this.config.model }, extra)
  }

  /**
   * The bytes of an upload that qualifies, read from its temp file now: Strapi deletes that file when the request
   * ends, and the stored file may be Strapi's re-encode. Null when the upload is left alone.
   */
  private async originalBytes(row: FileRow, file: UploadedFile | undefined, info: unknown): Promise<Buffer | null> {
    if (!row || !file?.filepath) return null
    const { select, core } = this.loaded()
    const facts: UploadFacts = {
      name: row.name,
      size: file.size ?? row.sizeInBytes,
      // Folder names cost a query; only the `folders` rule reads them.
      folderPath: this.config.folders.length === 0 ? '/' : await this.folderNames(row.folderPath),
      optOut: optOutOf(info),
    }
    const selection = select(facts)
    if (!selection.selected) {
      this.strapi.log.debug(`rembg: '${row.name}' left as uploaded: ${selection.reason}`)
      return null
    }
    const bytes = await readFile(file.filepath)
    return core.sniffFormat(bytes) === null ? null : bytes
  }

  private async schedule(row: FileRow, bytes: Buffer): Promise<FileRow> {
    const pending = await this.update(row, { rembg: this.status('pending') })
    void this.queue('background').run(() => this.process(pending, bytes))
    return pending
  }

  private async folderNames(idPath: string | null | undefined): Promise<string> {
    const ids = folderPathIds(idPath)
    if (ids.length === 0) return '/'
    const folders = (await this.strapi.db
      .query(folderUid)
      .findMany({ where: { pathId: { $in: ids } }, select: ['pathId', 'name'] })) as { pathId: number; name: string }[]
    return namedFolderPath(idPath, new Map(folders.map((folder) => [folder.pathId, folder.name])))
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
    const length = await this.readStored(mainFileOf(row)).then(
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
          this.strapi.log.warn(
            `rembg: could not delete the old file ${file.name}: ${this.loaded().core.describeError(error)}`,
          )
        }),
      ),
    )
  }

  /** A stored file's bytes: the local provider's from the public folder, any other's through its URL. */
  private async readStored(file: StoredFile): Promise<Buffer> {
    if (/^https?:\/\//i.test(file.url)) {
      const response = await fetch(file.url)
      if (!response.ok) throw new Error(`could not read ${file.url}: HTTP ${response.status}`)
      return Buffer.from(await response.arrayBuffer())
    }
    // The local provider's URLs are paths under the public folder (`/uploads/a.png`).
    return readFile(join(this.strapi.dirs.static.public, file.url.split('?')[0] ?? file.url))
  }

  private async update(row: FileRow, data: Partial<FileRow>): Promise<FileRow> {
    const updated = await this.strapi.db.query(fileUid).update({ where: { id: row.id }, data })
    return (updated ?? { ...row, ...data }) as FileRow
  }
}

/** `fileInfo.rembg` of one upload. */
function optOutOf(info: unknown): unknown {
  return typeof info === 'object' && info !== null ? (info as { rembg?: unknown }).rembg : undefined
}

export default ({ strapi }: { strapi: Strapi.Strapi }): Processor => new Processor(strapi)
