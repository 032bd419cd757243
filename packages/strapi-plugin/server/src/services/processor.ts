/**
 * The plugin's one piece of state per Strapi process: the resolved config, core's Remover (created on first use) and
 * the queues. It turns an upload row plus the original bytes into a processed row; it never throws for a failed
 * removal: the failure is logged and recorded on the row instead. Reading and storing files is the storage's
 * (../storage.ts): this file decides what is processed, when, and what the row records.
 */
import type { Limiter, Remover } from '@rembg-kit/core'
import type { Core as Strapi } from '@strapi/strapi'
import type { Core } from '../core'
import type { ResolvedConfig } from '../options'
import { createSelector, folderPathIds, namedFolderPath, type Selection, type UploadFacts } from '../selection'
import { type RembgStatus, statusRecord } from '../status'
import { CutoutStorage } from '../storage'
import type { FileRow } from '../stored-file'

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
  private readonly storage: CutoutStorage

  constructor(private readonly strapi: Strapi.Strapi) {
    this.storage = new CutoutStorage(
      strapi,
      (error) => this.loaded().core.describeError(error),
      () => ({ timeout: this.config.readTimeout, maxSize: this.config.maxSize }),
    )
  }

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
    const bytes = await this.storage.readOriginal(row)
    if (this.loaded().core.sniffFormat(bytes) === null) throw new NotAnImageError(row)
    return this.process(row, bytes)
  }

  /** Removes the background and stores the result; a failure is logged and recorded, never thrown. */
  async process(row: FileRow, bytes: Buffer): Promise<FileRow> {
    const started = performance.now()
    try {
      const cutout = await this.getRemover().remove(bytes, this.config.params)
      const fields = await this.storage.store(row, cutout, this.config.mode)
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
    const bytes = await this.storage.readUpload(file.filepath)
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
