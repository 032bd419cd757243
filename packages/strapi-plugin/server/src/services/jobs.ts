/**
 * Folder reprocessing jobs: every image of a Media Library folder (subfolders included) processed again on the
 * background queue, with progress readable by id while it runs. Jobs live in memory: a running job stays readable
 * until it ends, and only the last {@link finishedJobsKept} finished ones are kept after that (their files keep their
 * own status), so a Strapi that runs for months does not pile them up.
 */
import { randomUUID } from 'node:crypto'
import type { Core as Strapi } from '@strapi/strapi'
import type { FileRow } from '../stored-file'
import type { Processor } from './processor'

export interface FolderJob {
  id: string
  total: number
  /** Files processed with status `done`. */
  done: number
  /** Files whose processing failed (status `failed`, or unreadable). */
  failed: number
  state: 'running' | 'finished'
}

/** The image types core accepts, as Strapi records them. */
const imageMimes = ['image/png', 'image/jpeg', 'image/webp', 'image/bmp', 'image/x-ms-bmp']

/** Finished jobs whose result stays readable; the oldest is forgotten when one more finishes past it. */
export const finishedJobsKept = 100

export class FolderJobs {
  private readonly jobs = new Map<string, FolderJob>()

  constructor(private readonly strapi: Strapi.Strapi) {}

  get(id: string): FolderJob | undefined {
    const job = this.jobs.get(id)
    return job && { ...job }
  }

  /** Starts a job; null when the folder does not exist. */
  async start(folderId: number, processor: Processor): Promise<FolderJob | null> {
    const folder = (await this.strapi.db.query('plugin::upload.folder').findOne({ where: { id: folderId } })) as {
      path: string
    } | null
    if (!folder) return null
    const files = (await this.strapi.db.query('plugin::upload.file').findMany({
      where: {
        mime: { $in: imageMimes },
        $or: [{ folderPath: folder.path }, { folderPath: { $startsWith: `${folder.path}/` } }],
      },
      orderBy: { id: 'asc' },
    })) as FileRow[]
    const job: FolderJob = { id: randomUUID(), total: files.length, done: 0, failed: 0, state: 'running' }
    this.jobs.set(job.id, job)
    if (files.length === 0) this.finish(job)
    for (const file of files) void processor.inBackground(() => this.step(job, file, processor))
    return { ...job }
  }

  private async step(job: FolderJob, file: FileRow, processor: Processor): Promise<void> {
    try {
      const row = await processor.reprocess(file)
      const ok = (row.rembg as { status?: string } | null)?.status === 'done'
      if (ok) job.done++
      else job.failed++
    } catch (error) {
      job.failed++
      this.strapi.log.warn(
        `rembg: folder job ${job.id} could not process '${file.name}' (file ${file.id}): ${String(error)}`,
      )
    }
    if (job.done + job.failed === job.total) this.finish(job)
  }

  /** Marks `job` finished and forgets the oldest finished jobs past {@link finishedJobsKept}. */
  private finish(job: FolderJob): void {
    job.state = 'finished'
    // A map keeps insertion order: moved to the end, the job counts as the newest finished one.
    this.jobs.delete(job.id)
    this.jobs.set(job.id, job)
    const finished = [...this.jobs.values()].filter((each) => each.state === 'finished')
    for (const old of finished.slice(0, -finishedJobsKept)) this.jobs.delete(old.id)
  }

  /** Jobs held in memory now (running ones and the last finished ones). */
  get size(): number {
    return this.jobs.size
  }
}

export default ({ strapi }: { strapi: Strapi.Strapi }): FolderJobs => new FolderJobs(strapi)
