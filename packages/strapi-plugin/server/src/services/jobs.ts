/**
 * Backfill jobs (a folder with its subfolders, or the whole library), as records of the plugin's `job` table: their
 * progress survives a page reload and a restart. Running jobs are kept, and the last {@link finishedJobsKept}
 * finished or cancelled ones (their files keep their own status), so a Strapi that runs for months does not pile
 * them up. The files themselves wait in the queue (./queue.ts); this file only keeps the counts.
 */
import type { Core as Strapi } from '@strapi/strapi'
import type { Job, JobScope, JobState } from '../contract'

export const jobUid = 'plugin::rembg.job'

export type Outcome = 'done' | 'failed' | 'skipped'

interface JobRecord {
  id: number
  scope: string
  folderId: number | null
  folderPath: string | null
  total: number
  done: number
  failed: number
  skipped: number
  state: JobState
  createdAt: string | Date
  finishedAt: string | Date | null
}

/** Finished jobs whose result stays readable; the oldest is deleted when one more finishes past it. */
export const finishedJobsKept = 100

const iso = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString())

export class JobStore {
  /** Counter updates of one job, one after the other (a read-modify-write each). */
  private readonly chains = new Map<number, Promise<unknown>>()

  constructor(private readonly strapi: Strapi.Strapi) {}

  async create(scope: JobScope, total: number): Promise<Job> {
    const record = (await this.query().create({
      data: {
        scope: scope.type,
        folderId: scope.type === 'folder' ? scope.folderId : null,
        folderPath: scope.type === 'folder' ? scope.path : null,
        total,
        done: 0,
        failed: 0,
        skipped: 0,
        state: total === 0 ? 'finished' : 'running',
        finishedAt: total === 0 ? new Date() : null,
      },
    })) as JobRecord
    if (total === 0) await this.prune()
    return toJob(record)
  }

  async get(id: number): Promise<Job | null> {
    const record = (await this.query().findOne({ where: { id } })) as JobRecord | null
    return record && toJob(record)
  }

  /** Running jobs and the kept finished ones, newest first. */
  async list(): Promise<Job[]> {
    const records = (await this.query().findMany({ orderBy: { id: 'desc' } })) as JobRecord[]
    return records.map(toJob)
  }

  async running(): Promise<Job[]> {
    const records = (await this.query().findMany({ where: { state: 'running' } })) as JobRecord[]
    return records.map(toJob)
  }

  /** Counts one file's outcome; the job finishes when every file is counted. */
  count(id: number, outcome: Outcome): Promise<void> {
    return this.serial(id, async () => {
      const record = (await this.query().findOne({ where: { id } })) as JobRecord | null
      if (!record) return
      const counts = { done: record.done, failed: record.failed, skipped: record.skipped }
      counts[outcome]++
      const complete = counts.done + counts.failed + counts.skipped >= record.total
      const finishing = complete && record.state === 'running'
      await this.query().update({
        where: { id },
        data: { ...counts, ...(finishing ? { state: 'finished', finishedAt: new Date() } : {}) },
      })
      if (finishing) await this.prune()
    })
  }

  /** Marks a running job cancelled; null when there is no such job. */
  cancel(id: number): Promise<Job | null> {
    return this.serial(id, async () => {
      const record = (await this.query().findOne({ where: { id } })) as JobRecord | null
      if (!record) return null
      if (record.state !== 'running') return toJob(record)
      const updated = (await this.query().update({
        where: { id },
        data: { state: 'cancelled', finishedAt: new Date() },
      })) as JobRecord
      await this.prune()
      return toJob(updated)
    })
  }

  private serial<T>(id: number, step: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(step, step)
    const settled = next.catch(() => {})
    this.chains.set(id, settled)
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id)
    })
    return next
  }

  /** Deletes finished and cancelled jobs past the newest {@link finishedJobsKept}. */
  private async prune(): Promise<void> {
    const old = (await this.query().findMany({
      where: { state: { $ne: 'running' } },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      offset: finishedJobsKept,
      select: ['id'],
    })) as { id: number }[]
    if (old.length > 0) await this.query().deleteMany({ where: { id: { $in: old.map((job) => job.id) } } })
  }

  private query(): ReturnType<Strapi.Strapi['db']['query']> {
    return this.strapi.db.query(jobUid)
  }
}

function toJob(record: JobRecord): Job {
  const scope: JobScope =
    record.scope === 'folder'
      ? { type: 'folder', folderId: record.folderId ?? 0, path: record.folderPath ?? '/' }
      : { type: 'library' }
  return {
    id: record.id,
    scope,
    total: record.total,
    done: record.done,
    failed: record.failed,
    skipped: record.skipped,
    state: record.state,
    createdAt: iso(record.createdAt) ?? '',
    finishedAt: iso(record.finishedAt),
  }
}
