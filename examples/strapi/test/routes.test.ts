// The admin routes as a script or the admin panel calls them (Super Admin JWT): a file's own output parameters
// checked by core (its message word for word, nothing changed when refused), the file list's query checked, jobs
// listed, read and cancelled, unknown ids answered 404.
import { describeError, resolveParams } from '@rembg-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectUntouched, type FileRow, fetchStored, imageFacts, scene } from './media.ts'
import { call, ok, uploadAs } from './permissions-users.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

let app: RunningStrapi
let file: number
beforeAll(async () => {
  app = await startStrapi('routes')
  file = await uploadAs(app, app.adminJwt, await scene('vase', 'later.jpg'), { rembg: false })
})
afterAll(() => app?.close())

type ErrorBody = { error: { status: number; message: string; details?: unknown } }

function coreRefusal(params: Record<string, unknown>): string {
  try {
    resolveParams(params)
  } catch (error) {
    return describeError(error)
  }
  throw new Error(`core accepted ${JSON.stringify(params)}`)
}

const adminRow = (id: number): Promise<FileRow> => ok<FileRow>(app, app.adminJwt, 'GET', `/upload/files/${id}`)

describe('POST /rembg/files/:id/process with { params }', () => {
  it("refuses an invalid value with core's message, word for word, and changes nothing", async () => {
    const before = await adminRow(file)
    for (const params of [{ format: 'gif' }, { w: 'abc', bg_color: 'not-a-colour' }, { width: 300 }]) {
      const answer = await call<ErrorBody>(app, app.adminJwt, 'POST', `/rembg/files/${file}/process`, { params })
      expect({ params, status: answer.status, message: answer.body.error.message }).toEqual({
        params,
        status: 400,
        message: coreRefusal(params),
      })
    }
    const after = await adminRow(file)
    expect(after).toEqual(before)
    expectUntouched(after)
  })

  it('refuses params that are not an object', async () => {
    const answer = await call<ErrorBody>(app, app.adminJwt, 'POST', `/rembg/files/${file}/process`, {
      params: 'png',
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toBe("params: must be an object of core's output parameters")
    expectUntouched(await adminRow(file))
  })

  it('processes the file with them, over the configured params (format png in the example)', async () => {
    const row = await ok<FileRow>(app, app.adminJwt, 'POST', `/rembg/files/${file}/process`, { params: { w: 320 } })
    expect(row.rembg?.status).toBe('done')
    const stored = row.formats?.rembg
    if (!stored) throw new Error(`no formats.rembg: ${JSON.stringify(row.formats)}`)
    expect(stored).toMatchObject({ ext: '.png', width: 320, height: 240 })
    expect(await imageFacts(await fetchStored(app, stored.url))).toEqual({ format: 'png', width: 320, height: 240 })
  })

  it('answers 404 for a file that does not exist', async () => {
    const answer = await call<ErrorBody>(app, app.adminJwt, 'POST', '/rembg/files/999999/process')
    expect(answer).toMatchObject({ status: 404, body: { error: { message: 'File 999999 not found' } } })
  })
})

describe('GET /rembg/files', () => {
  it('lists the files asked for, with their status and the pagination', async () => {
    type List = { results: { id: number; rembg: { status: string } | null }[]; pagination: Record<string, number> }
    const list = await ok<List>(app, app.adminJwt, 'GET', `/rembg/files?ids=${file}`)
    expect(list.results.map((row) => [row.id, row.rembg?.status])).toEqual([[file, 'done']])
    expect(list.pagination).toMatchObject({ page: 1, total: 1 })
  })

  it('refuses a bad query, naming the field', async () => {
    const refusals: [string, string][] = [
      ['status=lost', "status: must be one of done, failed, pending, running, skipped, got 'lost'"],
      ['pageSize=500', 'pageSize: must be at most 100'],
      ['page=0', "page: must be a whole number above 0, got '0'"],
      ['ids=1,x', "ids: must be a whole number above 0, got 'x'"],
      ['folder=-2', "folder: must be a whole number above 0, got '-2'"],
    ]
    for (const [query, message] of refusals) {
      const answer = await call<ErrorBody>(app, app.adminJwt, 'GET', `/rembg/files?${query}`)
      expect({ query, status: answer.status, message: answer.body.error.message }).toEqual({
        query,
        status: 400,
        message,
      })
    }
  })
})

describe('jobs', () => {
  it('the library job is listed first, readable and cancellable by id', async () => {
    type Job = { id: string | number; scope: { type: string }; state: string }
    const { job } = await ok<{ job: Job }>(app, app.adminJwt, 'POST', '/rembg/library/process')
    expect(job.scope).toEqual({ type: 'library' })
    const { results } = await ok<{ results: Job[] }>(app, app.adminJwt, 'GET', '/rembg/jobs')
    expect(results[0]?.id).toBe(job.id)
    expect((await ok<{ job: Job }>(app, app.adminJwt, 'GET', `/rembg/jobs/${job.id}`)).job.id).toBe(job.id)
    const cancelled = await ok<{ job: Job }>(app, app.adminJwt, 'POST', `/rembg/jobs/${job.id}/cancel`)
    expect(cancelled.job.id).toBe(job.id)
    expect(['cancelled', 'finished']).toContain(cancelled.job.state)
  })

  it('answers 404 for an unknown job or folder', async () => {
    for (const [method, path, message] of [
      ['GET', '/rembg/jobs/424242', 'Job 424242 not found'],
      ['POST', '/rembg/jobs/424242/cancel', 'Job 424242 not found'],
      ['POST', '/rembg/folders/424242/process', 'Folder 424242 not found'],
    ] as const) {
      const answer = await call<ErrorBody>(app, app.adminJwt, method, path)
      expect({ path, status: answer.status, message: answer.body.error.message }).toEqual({
        path,
        status: 404,
        message,
      })
    }
  })
})
