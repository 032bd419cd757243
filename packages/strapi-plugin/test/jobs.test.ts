import { describe, expect, it } from 'vitest'
import { FolderJobs, finishedJobsKept } from '../server/src/services/jobs'
import type { Processor } from '../server/src/services/processor'
import type { FileRow } from '../server/src/stored-file'

/** A Strapi whose folders all exist and hold the files `filesNow()` answers at the time (none by default). */
function strapiWith(filesNow: () => Partial<FileRow>[] = () => []) {
  return {
    log: { warn: () => {} },
    db: {
      query: (uid: string) =>
        uid === 'plugin::upload.folder'
          ? { findOne: async () => ({ path: '/1' }) }
          : { findMany: async () => filesNow().map((file) => ({ ...file })) },
    },
  }
}

/** A processor whose work waits until the test releases it. */
function gatedProcessor() {
  const gates: (() => void)[] = []
  const processor = {
    inBackground: <T>(task: () => Promise<T>) => task(),
    reprocess: async (row: FileRow) => {
      await new Promise<void>((resolve) => gates.push(resolve))
      return { ...row, rembg: { status: 'done' } }
    },
  }
  const release = (): void => {
    for (const open of gates.splice(0)) open()
  }
  return { processor: processor as unknown as Processor, release }
}

describe('folder jobs in memory', () => {
  it(`keeps the last ${finishedJobsKept} finished jobs, never more, and the newest readable`, async () => {
    const jobs = new FolderJobs(strapiWith() as never)
    const { processor } = gatedProcessor()
    const ids: string[] = []
    for (let i = 0; i < finishedJobsKept * 3; i++) {
      const job = await jobs.start(1, processor)
      ids.push(job?.id as string)
      expect(jobs.size).toBeLessThanOrEqual(finishedJobsKept)
    }
    expect(jobs.size).toBe(finishedJobsKept)
    expect(jobs.get(ids[0] as string)).toBeUndefined()
    expect(jobs.get(ids.at(-1) as string)).toMatchObject({ total: 0, state: 'finished' })
  })

  it('never forgets a running job, and reports it once it finishes', async () => {
    let files: Partial<FileRow>[] = [{ id: 7, name: 'a.png' }]
    const busy = gatedProcessor()
    const jobs = new FolderJobs(strapiWith(() => files) as never)
    const running = await jobs.start(1, busy.processor)
    // Many jobs finish after it started (empty folders): the oldest finished ones go, the running one stays.
    files = []
    for (let i = 0; i < finishedJobsKept + 10; i++) await jobs.start(1, busy.processor)
    expect(jobs.size).toBe(finishedJobsKept + 1)
    expect(jobs.get(running?.id as string)).toMatchObject({ total: 1, done: 0, state: 'running' })
    busy.release()
    await new Promise((resolve) => setImmediate(resolve))
    expect(jobs.get(running?.id as string)).toMatchObject({ total: 1, done: 1, failed: 0, state: 'finished' })
  })
})
