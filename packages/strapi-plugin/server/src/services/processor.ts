/**
 * The plugin's processing of one file: the resolved config, core's Remover (created on first use) and the one
 * concurrency limit every processing shares (synchronous uploads, async uploads, reprocessing and backfills alike).
 * It turns an upload row plus the original bytes into a processed row; it never throws for a failed removal: the
 * failure is logged and recorded on the row instead. Reading and storing files is the storage's (../storage.ts); what
 * waits, in which order, and what survives a restart is the queue's (./queue.ts).
 */
import { open } from 'node:fs/promises'
import type { Limiter, Remover, ResolvedParams } from '@rembg-kit/core'
import type { Core as Strapi } from '@strapi/strapi'
import type { RembgStatus } from '../contract'
import type { Core } from '../core'
import type { ResolvedConfig } from '../options'
import { createSelector, folderPathIds, namedFolderPath, type Selection, type UploadFacts } from '../selection'
import { statusFields, statusRecord } from '../status'
import { CutoutStorage } from '../storage'
import type { FileRow } from '../stored-file'
import type { Settings } from './settings'

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
  constructor(row: Pick<FileRow, 'id' | 'name'>) {
    super(`File ${row.id} (${row.name}) is not an image rembg-kit accepts (PNG, JPEG, WebP or BMP)`)
  }
}

/** Why a backfill left a file alone when its bytes are no image core reads (recorded as `skipped`). */
export const notAnImageReason = 'not an image rembg-kit accepts (PNG, JPEG, WebP or BMP)'

export class Processor {
  private state: { config: ResolvedConfig; core: Core; limiter: Limiter } | undefined
  private selector: { config: ResolvedConfig; select: (facts: UploadFacts) => Selection } | undefined
  private remover: Remover | undefined
  private readonly storage: CutoutStorage

  constructor(private readonly strapi: Strapi.Strapi) {
    this.storage = new CutoutStorage(
      strapi,
      (error) => this.loaded().core.describeError(error),
      () => ({ timeout: this.config.readTimeout, maxSize: this.config.maxSize }),
    )
  }

  /** Core's semaphore is made here, once core is loaded (an ES module this CommonJS build imports asynchronously). */
  init(config: ResolvedConfig, core: Core): void {
    this.state = { config, core, limiter: new core.Limiter(config.concurrency) }
  }

  /** The effective config: the config file's, with the settings stored from the admin (enabled, mode, folders, params). */
  get config(): ResolvedConfig {
    const settings = this.strapi.plugin?.('rembg')?.service('settings') as Settings | undefined
    return settings?.effective ?? this.loaded().config
  }

  get core(): Core {
    return this.loaded().core
  }

  /**
   * The one limit of `concurrency` processings at once. A `signal` that aborts while the task still waits takes it
   * out of the line (it never runs).
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.loaded().limiter.run(task, signal)
  }

  /** Whether the config's rules (opt-out, size, name, folder) select this upload; the folder costs a query. */
  async selectUpload(row: FileRow, file: UploadedFile, info: unknown): Promise<Selection> {
    if (!this.config.enabled) return { selected: false, reason: 'the plugin is disabled (enabled: false)' }
    return this.select(row, { size: file.size ?? row.sizeInBytes, optOut: optOutOf(info) })
  }

  /** The config's rules for a stored file (a backfill): no per-upload opt-out; `folders` unless the job named one. */
  select(row: FileRow, facts: { size?: number; optOut?: unknown; anyFolder?: boolean }): Promise<Selection> {
    const config = this.config
    if (this.selector?.config !== config) this.selector = { config, select: createSelector(config, this.core) }
    const { select } = this.selector
    const size = facts.size ?? row.sizeInBytes ?? Math.round(Number(row.size) * 1000)
    const known = { name: row.name, size, optOut: facts.optOut }
    // Folder names cost a query; only the `folders` rule reads them.
    if (facts.anyFolder || config.folders.length === 0) return Promise.resolve(select({ ...known, folderPath: '/' }))
    return this.folderNames(row.folderPath).then((folderPath) => select({ ...known, folderPath }))
  }

  /** Whether a file's first bytes are those of an image core accepts (its signature: no need to read it all). */
  async isImageFile(filepath: string): Promise<boolean> {
    const handle = await open(filepath, 'r')
    try {
      const head = Buffer.alloc(64)
      const { bytesRead } = await handle.read(head, 0, head.length, 0)
      return this.core.sniffFormat(head.subarray(0, bytesRead)) !== null
    } finally {
      await handle.close()
    }
  }

  isImage(bytes: Buffer): boolean {
    return this.core.sniffFormat(bytes) !== null
  }

  /** The stored original: `formats.original` in replace mode once processed, the main file otherwise. */
  readOriginal(row: FileRow): Promise<Buffer> {
    return this.storage.readOriginal(row)
  }

  readUpload(filepath: string): Promise<Buffer> {
    return this.storage.readUpload(filepath)
  }

  /**
   * Removes the background and stores the result; a failure is logged and recorded, never thrown. `params` replace
   * the config's output parameters for this one file (a reprocess with other parameters).
   */
  async process(row: FileRow, bytes: Buffer, params?: ResolvedParams | null): Promise<FileRow> {
    const started = performance.now()
    const config = this.config
    try {
      const cutout = await this.getRemover().remove(bytes, params ?? config.params)
      const fields = await this.storage.store(row, cutout, config.mode)
      return await this.update(row, { ...fields, ...this.statusOf('done', { ms: performance.now() - started }) })
    } catch (error) {
      const reason = this.core.describeError(error)
      this.strapi.log.warn(`rembg: could not remove the background of '${row.name}' (file ${row.id}): ${reason}`)
      return this.update(row, this.statusOf('failed', { ms: performance.now() - started, error: reason })).catch(
        () => row,
      )
    }
  }

  /** Records `status` on the row (and its query column); answers the updated row. */
  setStatus(
    row: FileRow,
    status: RembgStatus['status'],
    extra: { ms?: number; error?: string } = {},
  ): Promise<FileRow> {
    return this.update(row, this.statusOf(status, extra))
  }

  /** A Strapi folder id path (`/1/3`) by names (`/Products/Shoes`). */
  async folderNames(idPath: string | null | undefined): Promise<string> {
    const ids = folderPathIds(idPath)
    if (ids.length === 0) return '/'
    const folders = (await this.strapi.db
      .query(folderUid)
      .findMany({ where: { pathId: { $in: ids } }, select: ['pathId', 'name'] })) as { pathId: number; name: string }[]
    return namedFolderPath(idPath, new Map(folders.map((folder) => [folder.pathId, folder.name])))
  }

  private loaded(): NonNullable<Processor['state']> {
    if (!this.state) throw new Error('rembg: the plugin was used before its register phase loaded core')
    return this.state
  }

  private getRemover(): Remover {
    const { core, config } = this.loaded()
    this.remover ??= core.createRemover({
      engine: config.engine,
      model: config.model,
      ...(config.preset === 'quality' ? {} : { preset: config.preset }),
      // Core's own limit (1 inference local, 4 requests remote by default) must not cap the plugin's: with a fleet
      // of servers, `concurrency` requests are in flight at once.
      concurrency: config.concurrency,
      cacheDir: config.cacheDir,
      cacheMaxSize: config.cacheMaxSize,
      ...(config.apiKey === null ? {} : { apiKey: config.apiKey }),
      ...(config.baseUrl === null ? {} : { baseUrl: config.baseUrl }),
    })
    return this.remover
  }

  private statusOf(status: RembgStatus['status'], extra: { ms?: number; error?: string } = {}): Partial<FileRow> {
    const { engine, model } = this.config
    return statusFields(statusRecord(status, { engine, model }, extra))
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
