import { describe, expect, it } from 'vitest'
import { finishedJobsKept, JobStore } from '../server/src/services/jobs'

type Row = Record<string, unknown> & { id: number }

/**
 * The few `strapi.db.query` calls the job store makes, on an array (the real table is checked by the example's
 * queue tests on a real Strapi; here the bound is checked over hundreds of jobs in milliseconds).
 */
function tableStrapi() {
  const rows: Row[] = []
  let nextId = 1
  const matches = (row: Row, where: Record<string, unknown> = {}): boolean =>
    Object.entries(where).every(([key, cond]) => {
      if (cond && typeof cond === 'object' && '$ne' in cond) return row[key] !== (cond as { $ne: unknown }).$ne
      if (cond && typeof cond === 'object' && '$in' in cond) return (cond as { $in: unknown[] }).$in.includes(row[key])
      return row[key] === cond
    })
  const query = {
    create: async ({ data }: { data: object }) => {
      const row = { ...data, id: nextId++, createdAt: new Date() }
      rows.push(row)
      return { ...row }
    },
    findOne: async ({ where }: { where: object }) => rows.find((row) => matches(row, where as never)) ?? null,
    findMany: async ({ where, offset = 0 }: { where?: object; offset?: number }) =>
      rows
        .filter((row) => matches(row, where as never))
        .sort((a, b) => Number(b.finishedAt ?? 0) - Number(a.finishedAt ?? 0) || b.id - a.id)
        .slice(offset),
    update: async ({ where, data }: { where: { id: number }; data: object }) => {
      const row = rows.find((each) => each.id === where.id) as Row
      Object.assign(row, data)
      return { ...row }
    },
    deleteMany: async ({ where }: { where: object }) => {
      const gone = rows.filter((row) => matches(row, where as never))
      for (const row of gone) rows.splice(rows.indexOf(row), 1)
    },
  }
  return { strapi: { db: { query: () => query } }, rows }
}

describe('backfill job records', () => {
  it(`keeps every running job and the last ${finishedJobsKept} finished ones, never more`, async () => {
    const { strapi, rows } = tableStrapi()
    const jobs = new JobStore(strapi as never)
    const running = await jobs.create({ type: 'library' }, 1)
    const ids: number[] = []
    for (let i = 0; i < finishedJobsKept * 3; i++) {
      const job = await jobs.create({ type: 'folder', folderId: 4, path: '/Products' }, 0)
      ids.push(job.id)
      expect(rows.length).toBeLessThanOrEqual(finishedJobsKept + 1)
    }
    expect(rows.length).toBe(finishedJobsKept + 1)
    expect(await jobs.get(ids[0] as number)).toBeNull()
    expect(await jobs.get(ids.at(-1) as number)).toMatchObject({ total: 0, state: 'finished' })
    expect(await jobs.get(running.id)).toMatchObject({ total: 1, done: 0, state: 'running', finishedAt: null })
    await jobs.count(running.id, 'done')
    expect(await jobs.get(running.id)).toMatchObject({ total: 1, done: 1, failed: 0, skipped: 0, state: 'finished' })
    expect(rows.length).toBe(finishedJobsKept)
  })

  it('counts outcomes arriving together exactly once each, and a cancelled job stays cancelled', async () => {
    const { strapi } = tableStrapi()
    const jobs = new JobStore(strapi as never)
    const job = await jobs.create({ type: 'library' }, 5)
    await Promise.all([jobs.count(job.id, 'done'), jobs.count(job.id, 'failed'), jobs.count(job.id, 'skipped')])
    expect(await jobs.cancel(job.id)).toMatchObject({ done: 1, failed: 1, skipped: 1, state: 'cancelled' })
    await jobs.count(job.id, 'done')
    await jobs.count(job.id, 'done')
    expect(await jobs.get(job.id)).toMatchObject({ done: 3, state: 'cancelled' })
    expect(await jobs.cancel(999)).toBeNull()
  })
})
