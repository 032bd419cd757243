/**
 * The one queue of the plugin: async uploads, reprocess requests and backfills (a folder, the whole library), kept in
 * Strapi's database so nothing is lost when the process stops. Each file has one record in the plugin's `task` table
 * (reused by every later processing of the file): `pending` until a slot of the one `concurrency` limit is free,
 * `running`, then how it ended. An async upload's temp file (Strapi deletes it when the request ends) is copied to a
 * spool folder on disk first, never held in memory; when that copy is gone (another machine, a cleaned disk) the
 * original is read back from the upload provider. At boot, work a crash left `pending` or `running` runs again; a
 * graceful stop lets running work finish within `shutdownTimeout` and leaves the rest `pending` for the next boot.
 *
 * Only the files being processed (at most `concurrency`) are in memory: the queue reads the next pending records from
 * the database when a slot frees, so a backfill of a large library costs no more memory than one upload.
 */
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { ResolvedParams } from '@rembg-kit/core'
import type { Core as Strapi } from '@strapi/strapi'
import { type FileList, type Job, type ListedFile, type RembgStatus, statuses } from '../contract'
import type { FileRow } from '../stored-file'
import { JobStore, type Outcome } from './jobs'
import { NotAnImageError, notAnImageReason, type Processor, type UploadedFile } from './processor'

const taskUid = 'plugin::rembg.task'
const fileUid = 'plugin::upload.file'
const folderUid = 'plugin::upload.folder'

/** The image types core accepts, as Strapi records them: what a backfill looks at. */
const imageMimes = ['image/png', 'image/jpeg', 'image/webp', 'image/bmp', 'image/x-ms-bmp']

/** Processings of one file interrupted by the process stopping (a crash, an out-of-memory kill) before it is failed. */
export const maxAttempts = 3

/** Records written per statement when a backfill queues its files. */
const batchSize = 200

interface TaskRecord {
  id: number
  fileId: number
  state: 'pending' | 'running' | Outcome
  generation: number
  spool: string | null
  job: number | null
  params: ResolvedParams | null
  attempts: number
  error: string | null
}

/** One file being processed (or waiting for a slot) in this process: nothing else starts on that file meanwhile. */
interface Claim {
  done: Promise<void>
  release(): void
  /** Takes a background processing still waiting for a slot out of the line (a graceful stop). */
  abort: AbortController
  started: boolean
  background: boolean
}

export interface FileQuery {
  status?: string
  folderId?: number
  ids?: number[]
  page: number
  pageSize: number
}

export type JobRequest = { folderId: number } | { library: true }

export class Queue {
  readonly jobs: JobStore
  private readonly claims = new Map<number, Claim>()
  /** Background processings claimed (waiting for a slot or running): at most `concurrency`. */
  private background = 0
  private readonly inFlight = new Set<Promise<unknown>>()
  private started = false
  private stopping = false
  private pumping = false
  private pumpAgain = false

  constructor(private readonly strapi: Strapi.Strapi) {
    this.jobs = new JobStore(strapi)
  }

  private get processor(): Processor {
    return this.strapi.plugin('rembg').service('processor')
  }

  /** Where async uploads' originals wait, under the app (`.tmp/rembg-queue`), each removed once processed. */
  get spoolDir(): string {
    return join(this.strapi.dirs.app.root, '.tmp', 'rembg-queue')
  }

  // ---------------------------------------------------------------- the contract (admin routes call these)

  /** Processes one file now (a reprocess request), `params` replacing the config's output parameters. */
  async processNow(row: FileRow, params?: ResolvedParams | null): Promise<FileRow> {
    const processed = await this.runClaimed(row.id, { params: params ?? null, throwNotImage: true })
    if (processed) return processed
    return ((await this.strapi.db.query(fileUid).findOne({ where: { id: row.id } })) as FileRow | null) ?? row
  }

  /** Starts a backfill of a folder (subfolders included) or the whole library; null when the folder does not exist. */
  async startJob(request: JobRequest): Promise<Job | null> {
    const where: Record<string, unknown> = { mime: { $in: imageMimes } }
    let scope: Parameters<JobStore['create']>[0] = { type: 'library' }
    if ('folderId' in request) {
      const folder = (await this.strapi.db.query(folderUid).findOne({ where: { id: request.folderId } })) as {
        id: number
        path: string
      } | null
      if (!folder) return null
      where.$or = [{ folderPath: folder.path }, { folderPath: { $startsWith: `${folder.path}/` } }]
      scope = { type: 'folder', folderId: folder.id, path: await this.processor.folderNames(folder.path) }
    }
    const files = (await this.strapi.db.query(fileUid).findMany({ where, select: ['id'], orderBy: { id: 'asc' } })) as {
      id: number
    }[]
    const job = await this.jobs.create(scope, files.length)
    for (let i = 0; i < files.length; i += batchSize) {
      await this.enqueueForJob(
        files.slice(i, i + batchSize).map((file) => file.id),
        job.id,
      )
    }
    this.pump()
    return job
  }

  getJob(id: string | number): Promise<Job | null> {
    const jobId = toId(id)
    return jobId === null ? Promise.resolve(null) : this.jobs.get(jobId)
  }

  /** Running jobs and the last finished ones, newest first. */
  listJobs(): Promise<Job[]> {
    return this.jobs.list()
  }

  /**
   * Cancels a running job: files already processed or running keep their result, files not started yet are left as
   * they were (no `pending` left behind for them; an async upload's own pending work stays queued).
   */
  async cancelJob(id: string | number): Promise<Job | null> {
    const jobId = toId(id)
    if (jobId === null) return null
    const job = await this.jobs.cancel(jobId)
    if (!job) return null
    // Background work still waiting for a slot leaves the line (what is not this job's is taken up again after).
    for (const claim of this.claims.values()) if (claim.background && !claim.started) claim.abort.abort()
    // A file already started here finishes, and keeps its record; its record may still say `pending` for a moment.
    const started = [...this.claims].filter(([, claim]) => claim.started).map(([fileId]) => fileId)
    const notStarted = { job: jobId, state: 'pending', ...(started.length > 0 ? { fileId: { $notIn: started } } : {}) }
    await this.tasks().deleteMany({ where: { ...notStarted, spool: { $null: true } } })
    await this.tasks().updateMany({ where: notStarted, data: { job: null } })
    return job
  }

  /**
   * The files the plugin handled (a `rembg` status), newest first; with `ids`, those files whatever their status.
   * URLs are signed when the upload provider is private.
   */
  async listFiles(query: FileQuery): Promise<FileList> {
    const page = Math.max(1, Math.floor(query.page))
    const pageSize = Math.max(1, Math.floor(query.pageSize))
    const where: Record<string, unknown> = {}
    if (query.status !== undefined) where.rembgStatus = query.status
    else if (query.ids === undefined) where.rembgStatus = { $notNull: true }
    if (query.ids !== undefined) where.id = { $in: query.ids }
    if (query.folderId !== undefined) {
      const folder = (await this.strapi.db.query(folderUid).findOne({ where: { id: query.folderId } })) as {
        path: string
      } | null
      if (!folder) return { results: [], pagination: { page, pageSize, total: 0, pageCount: 0 } }
      where.$or = [{ folderPath: folder.path }, { folderPath: { $startsWith: `${folder.path}/` } }]
    }
    const files = this.strapi.db.query(fileUid)
    const [rows, total] = await Promise.all([
      files.findMany({ where, orderBy: { id: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }) as Promise<
        FileRow[]
      >,
      files.count({ where }),
    ])
    const folderNames = new Map<string, Promise<string>>()
    const named = (idPath: string | null | undefined): Promise<string> => {
      const key = idPath ?? '/'
      if (!folderNames.has(key)) folderNames.set(key, this.processor.folderNames(idPath))
      return folderNames.get(key) as Promise<string>
    }
    const results = await Promise.all(
      rows.map(async (row) => listed(await this.signed(row), await named(row.folderPath))),
    )
    return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } }
  }

  // ---------------------------------------------------------------- uploads (the upload service's wrapper calls this)

  /**
   * Processes the rows an upload or replace just made. Sync mode answers the updated rows; async mode copies the
   * original to the spool folder, records `pending` and answers at once.
   */
  afterUpload(rows: FileRow[], files: (UploadedFile | undefined)[], infos: unknown[]): Promise<FileRow[]> {
    return Promise.all(rows.map((row, i) => this.afterOneUpload(row, files[i], infos[i])))
  }

  private async afterOneUpload(row: FileRow, file: UploadedFile | undefined, info: unknown): Promise<FileRow> {
    if (!row || !file?.filepath) return row
    const selection = await this.processor.selectUpload(row, file, info)
    if (!selection.selected) {
      this.strapi.log.debug(`rembg: '${row.name}' left as uploaded: ${selection.reason}`)
      return row
    }
    if (!(await this.processor.isImageFile(file.filepath))) return row
    if (this.processor.config.async) return this.enqueueUpload(row, file.filepath)
    return (await this.runClaimed(row.id, { filepath: file.filepath, params: null, throwNotImage: false })) ?? row
  }

  private async enqueueUpload(row: FileRow, filepath: string): Promise<FileRow> {
    await mkdir(this.spoolDir, { recursive: true })
    const spool = join(this.spoolDir, `${row.id}-${randomBytes(6).toString('hex')}${extname(filepath)}`)
    await copyFile(filepath, spool)
    // The row says pending before the record exists: the queue may start (and finish) the work right after.
    const pending = await this.processor.setStatus(row, 'pending')
    await this.upsert(row.id, { spool })
    this.pump()
    return pending
  }

  // ---------------------------------------------------------------- lifecycle (bootstrap and destroy)

  /**
   * Picks up what the last run left: `running` work (the process stopped under it) becomes `pending` again, or
   * `failed` after {@link maxAttempts} interruptions; rows marked pending without a record get one; spool files no
   * record uses are removed. Then the queue starts.
   */
  async start(): Promise<void> {
    const interrupted = (await this.tasks().findMany({ where: { state: 'running' } })) as TaskRecord[]
    for (const task of interrupted) {
      if (task.attempts >= maxAttempts) {
        const reason = `processing stopped the server ${task.attempts} times; the file is left as it is`
        await this.finish(task, 'failed', reason)
        await this.strapi.db
          .query(fileUid)
          .findOne({ where: { id: task.fileId } })
          .then((row: FileRow | null) => row && this.processor.setStatus(row, 'failed', { error: reason }))
        continue
      }
      await this.tasks().update({ where: { id: task.id }, data: { state: 'pending' } })
      const row = (await this.strapi.db.query(fileUid).findOne({ where: { id: task.fileId } })) as FileRow | null
      if (row) await this.processor.setStatus(row, 'pending')
    }
    await this.adoptStatusRows()
    await this.removeOrphanSpools()
    this.started = true
    this.pump()
  }

  /**
   * A graceful stop: no new work starts, background work still waiting for a slot stays `pending` in the database,
   * and running work gets `timeoutMs` to finish; what does not is picked up again at the next boot.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true
    for (const claim of this.claims.values()) if (claim.background && !claim.started) claim.abort.abort()
    const running = [...this.inFlight]
    if (running.length === 0) return
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([
      Promise.allSettled(running).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs)
      }),
    ])
    clearTimeout(timer)
    if (timedOut) {
      this.strapi.log.info(
        `rembg: ${this.inFlight.size} processing(s) did not finish within shutdownTimeout (${timeoutMs} ms): they run again at the next start`,
      )
    }
  }

  /** A deleted file's record goes with it (called from the file table's lifecycle). */
  async forget(fileId: number): Promise<void> {
    const tasks = (await this.tasks().findMany({ where: { fileId } })) as TaskRecord[]
    if (tasks.length === 0) return
    await this.tasks().deleteMany({ where: { fileId } })
    for (const task of tasks) if (task.spool) await rm(task.spool, { force: true })
  }

  // ---------------------------------------------------------------- the work

  /** Runs one file's processing in the caller's turn (a sync upload, a reprocess request), within the one limit. */
  private async runClaimed(
    fileId: number,
    options: { filepath?: string; params: ResolvedParams | null; throwNotImage: boolean },
  ): Promise<FileRow | null> {
    const claim = await this.claim(fileId, false)
    try {
      await this.upsert(fileId, { params: options.params })
      return await this.processor.run(() => {
        claim.started = true
        return this.execute(fileId, options)
      })
    } finally {
      claim.release()
      this.pump()
    }
  }

  /** Starts background processings of pending records while the limit has room (and the queue is not stopping). */
  private pump(): void {
    if (!this.started || this.stopping) return
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    this.fill()
      .catch((error: unknown) => this.strapi.log.warn(`rembg: the queue could not read its records: ${String(error)}`))
      .finally(() => {
        this.pumping = false
        if (this.pumpAgain) {
          this.pumpAgain = false
          this.pump()
        }
      })
  }

  private async fill(): Promise<void> {
    for (;;) {
      if (this.stopping) return
      const room = this.processor.config.concurrency - this.background
      if (room <= 0) return
      const claimed = [...this.claims.keys()]
      const tasks = (await this.tasks().findMany({
        where: { state: 'pending', ...(claimed.length > 0 ? { fileId: { $notIn: claimed } } : {}) },
        orderBy: { id: 'asc' },
        limit: room,
        select: ['id', 'fileId'],
      })) as Pick<TaskRecord, 'id' | 'fileId'>[]
      if (tasks.length === 0) return
      for (const task of tasks) if (!this.claims.has(task.fileId) && !this.stopping) this.startBackground(task.fileId)
    }
  }

  private startBackground(fileId: number): void {
    const claim = this.claimNow(fileId, true)
    this.background++
    const work = this.processor
      .run(() => {
        claim.started = true
        return this.execute(fileId, { params: null, throwNotImage: false })
      }, claim.abort.signal)
      .catch((error: unknown) => {
        if (claim.abort.signal.aborted && !claim.started) return
        this.strapi.log.warn(`rembg: the queue could not process file ${fileId}: ${String(error)}`)
      })
      .finally(() => {
        this.background--
        claim.release()
        this.inFlight.delete(work)
        this.pump()
      })
    this.inFlight.add(work)
  }

  /**
   * One processing of a file, from its record: the bytes from the given temp file, the spool copy or the provider;
   * the outcome recorded on the row (the user's record) and on the task (the queue's).
   */
  private async execute(
    fileId: number,
    options: { filepath?: string; params: ResolvedParams | null; throwNotImage: boolean },
  ): Promise<FileRow | null> {
    const task = (await this.tasks().findOne({ where: { fileId }, orderBy: { id: 'asc' } })) as TaskRecord | null
    if (!task || (task.state !== 'pending' && task.state !== 'running')) return null
    const row = (await this.strapi.db.query(fileUid).findOne({ where: { id: fileId } })) as FileRow | null
    if (!row) {
      await this.finish(task, 'skipped', 'the file was deleted')
      await this.forget(fileId)
      return null
    }
    const source = options.filepath ?? task.spool
    if (task.job !== null && !source) {
      const job = await this.jobs.get(task.job)
      const selection = await this.processor.select(row, { anyFolder: job?.scope.type === 'folder' })
      if (!selection.selected) return this.skip(task, row, selection.reason)
    }
    let bytes: Buffer
    try {
      bytes = source ? await this.readSpool(source, row) : await this.processor.readOriginal(row)
    } catch (error) {
      const reason = this.processor.core.describeError(error)
      this.strapi.log.warn(`rembg: ${reason}`)
      await this.finish(task, 'failed', reason)
      return this.processor.setStatus(row, 'failed', { error: reason })
    }
    if (!this.processor.isImage(bytes)) {
      if (options.throwNotImage) {
        await this.finish(task, 'skipped', notAnImageReason)
        throw new NotAnImageError(row)
      }
      return this.skip(task, row, notAnImageReason)
    }
    await this.tasks().updateMany({
      where: { id: task.id, generation: task.generation },
      data: { state: 'running', attempts: task.attempts + 1 },
    })
    const running = await this.processor.setStatus(row, 'running')
    const processed = await this.processor.process(running, bytes, options.params ?? task.params)
    const status = processed.rembg as RembgStatus | null
    await this.finish(task, status?.status === 'done' ? 'done' : 'failed', status?.error ?? null)
    return processed
  }

  private async skip(task: TaskRecord, row: FileRow, reason: string): Promise<FileRow> {
    await this.finish(task, 'skipped', reason)
    return this.processor.setStatus(row, 'skipped', { error: reason })
  }

  /** The spool copy, or the provider's original when the copy is gone. */
  private async readSpool(path: string, row: FileRow): Promise<Buffer> {
    try {
      return await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return this.processor.readOriginal(row)
    }
  }

  /**
   * Records how a processing ended, unless a new request for the file came meanwhile (then the record stays
   * `pending` and the file is processed again); removes the spool copy it used; counts the outcome for its job.
   */
  private async finish(task: TaskRecord, outcome: Outcome, error: string | null): Promise<void> {
    const { count } = (await this.tasks().updateMany({
      where: { id: task.id, generation: task.generation },
      data: { state: outcome, error, finishedAt: new Date(), spool: null, params: null, job: null, attempts: 0 },
    })) as { count: number }
    let countsForJob = task.job !== null
    if (count === 0) {
      const current = (await this.tasks().findOne({ where: { id: task.id } })) as TaskRecord | null
      if (task.spool && current?.spool !== task.spool) await rm(task.spool, { force: true })
      // Queued again for the same job: the next processing counts.
      if (current?.job === task.job) countsForJob = false
    } else if (task.spool) {
      await rm(task.spool, { force: true })
    }
    if (countsForJob && task.job !== null) await this.jobs.count(task.job, outcome)
  }

  /**
   * The file's record, made `pending` for a new request (created when the file has none). Given fields replace the
   * record's; the others are kept while the record is still waiting or running (an async upload's spool copy, the
   * job it counts for) and cleared once it had ended.
   */
  private async upsert(
    fileId: number,
    fields: { spool?: string; params?: ResolvedParams | null; job?: number },
  ): Promise<void> {
    const existing = (await this.tasks().findOne({ where: { fileId }, orderBy: { id: 'asc' } })) as TaskRecord | null
    if (!existing) {
      await this.tasks().create({
        data: {
          fileId,
          state: 'pending',
          generation: 0,
          attempts: 0,
          spool: fields.spool ?? null,
          params: fields.params ?? null,
          job: fields.job ?? null,
        },
      })
      return
    }
    const active = existing.state === 'pending' || existing.state === 'running'
    const claimed = this.claims.get(fileId)
    // A spool copy replaced while nothing reads it is removed now; one being read, by the processing that reads it.
    if (fields.spool && existing.spool && existing.spool !== fields.spool && !claimed?.started) {
      await rm(existing.spool, { force: true })
    }
    await this.tasks().update({
      where: { id: existing.id },
      data: {
        state: 'pending',
        generation: existing.generation + 1,
        attempts: 0,
        error: null,
        finishedAt: null,
        spool: fields.spool ?? (active ? existing.spool : null),
        params: fields.params !== undefined ? fields.params : active ? existing.params : null,
        job: fields.job ?? (active ? existing.job : null),
      },
    })
  }

  /** Queues a backfill's files: new records in one statement, ended ones reused, waiting ones joined to the job. */
  private async enqueueForJob(fileIds: number[], jobId: number): Promise<void> {
    const existing = (await this.tasks().findMany({ where: { fileId: { $in: fileIds } } })) as TaskRecord[]
    const byFile = new Map(existing.map((task) => [task.fileId, task]))
    const create: number[] = []
    const reuse: number[] = []
    const join: number[] = []
    for (const fileId of fileIds) {
      const task = byFile.get(fileId)
      if (!task) create.push(fileId)
      else if (task.state === 'running' || this.claims.has(fileId)) await this.upsert(fileId, { job: jobId })
      else if (task.state === 'pending') {
        // Another job counted this file: it counts here now, so that job may still finish.
        if (task.job !== null && task.job !== jobId) await this.jobs.count(task.job, 'skipped')
        join.push(task.id)
      } else reuse.push(task.id)
    }
    if (create.length > 0) {
      await this.tasks().createMany({
        data: create.map((fileId) => ({ fileId, state: 'pending', generation: 0, attempts: 0, job: jobId })),
      })
    }
    const ended = { state: 'pending', job: jobId, attempts: 0, error: null, params: null, finishedAt: null }
    if (reuse.length > 0) await this.tasks().updateMany({ where: { id: { $in: reuse } }, data: ended })
    if (join.length > 0) await this.tasks().updateMany({ where: { id: { $in: join } }, data: { job: jobId } })
  }

  private async claim(fileId: number, background: boolean): Promise<Claim> {
    for (;;) {
      const held = this.claims.get(fileId)
      if (!held) return this.claimNow(fileId, background)
      await held.done
    }
  }

  private claimNow(fileId: number, background: boolean): Claim {
    let resolve: () => void = () => {}
    const done = new Promise<void>((r) => {
      resolve = r
    })
    const claim: Claim = {
      done,
      abort: new AbortController(),
      started: false,
      background,
      release: () => {
        if (this.claims.get(fileId) === claim) this.claims.delete(fileId)
        resolve()
      },
    }
    this.claims.set(fileId, claim)
    return claim
  }

  /**
   * Rows whose status column is not filled yet (processed before the column existed) get it; rows left `pending` or
   * `running` without a record (an earlier version's in-memory queue) get one, read back from the provider.
   */
  private async adoptStatusRows(): Promise<void> {
    const files = this.strapi.db.query(fileUid)
    for (;;) {
      const rows = (await files.findMany({
        where: { rembg: { $notNull: true }, rembgStatus: { $null: true } },
        select: ['id', 'rembg'],
        limit: batchSize,
      })) as Pick<FileRow, 'id' | 'rembg'>[]
      if (rows.length === 0) break
      for (const row of rows) {
        const status = (row.rembg as Partial<RembgStatus> | null)?.status
        const known = (statuses as readonly string[]).includes(status ?? '') ? status : 'failed'
        await files.update({ where: { id: row.id }, data: { rembgStatus: known } })
      }
    }
    const waiting = (await files.findMany({
      where: { rembgStatus: { $in: ['pending', 'running'] } },
      select: ['id'],
    })) as { id: number }[]
    for (let i = 0; i < waiting.length; i += batchSize) {
      const ids = waiting.slice(i, i + batchSize).map((row) => row.id)
      const tasks = (await this.tasks().findMany({ where: { fileId: { $in: ids } }, select: ['fileId', 'state'] })) as {
        fileId: number
        state: string
      }[]
      const queued = new Set(tasks.filter((t) => t.state === 'pending' || t.state === 'running').map((t) => t.fileId))
      for (const id of ids) if (!queued.has(id)) await this.upsert(id, {})
    }
  }

  private async removeOrphanSpools(): Promise<void> {
    const names = await readdir(this.spoolDir).catch(() => [] as string[])
    if (names.length === 0) return
    const used = (await this.tasks().findMany({ where: { spool: { $notNull: true } }, select: ['spool'] })) as {
      spool: string
    }[]
    const kept = new Set(used.map((task) => task.spool))
    for (const name of names) {
      const path = join(this.spoolDir, name)
      if (!kept.has(path)) await rm(path, { force: true })
    }
  }

  /** The row with its URLs signed when the provider is private (the upload plugin's own signing). */
  private async signed(row: FileRow): Promise<FileRow> {
    const files = this.strapi.plugin('upload').service('file') as { signFileUrls?: (file: FileRow) => Promise<FileRow> }
    return files.signFileUrls ? files.signFileUrls(row) : row
  }

  private tasks(): ReturnType<Strapi.Strapi['db']['query']> {
    return this.strapi.db.query(taskUid)
  }
}

/** A row as the plugin page lists it. */
function listed(row: FileRow, folderPath: string): ListedFile {
  const rembg = (row.rembg as RembgStatus | null) ?? null
  const cutoutUrl = row.formats?.original ? row.url : (row.formats?.rembg?.url ?? null)
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    folderPath,
    url: row.formats?.original?.url ?? row.url,
    cutoutUrl: rembg?.status === 'done' || row.formats?.rembg ? cutoutUrl : null,
    width: row.width ?? null,
    height: row.height ?? null,
    rembg,
  }
}

function toId(id: string | number): number | null {
  const value = typeof id === 'number' ? id : Number(id)
  return Number.isInteger(value) && value > 0 ? value : null
}

export default ({ strapi }: { strapi: Strapi.Strapi }): Queue => new Queue(strapi)
