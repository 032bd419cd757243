/**
 * The admin routes (../routes/index.ts lists them with the permission each needs; the policies have already refused
 * a caller without it when these run): translate the request, call the queue or the settings, answer.
 */
import type { ResolvedParams } from '@rembg-kit/core'
import type { Core as Strapi } from '@strapi/strapi'
import { statuses } from '../contract'
import { loadCore } from '../core'
import { NotAnImageError } from '../services/processor'
import type { FileQuery, Queue } from '../services/queue'
import { type Settings, SettingsError } from '../services/settings'
import type { FileRow } from '../stored-file'

/** The Koa context fields the routes use. */
export interface Context {
  params: Record<string, string>
  query: Record<string, unknown>
  request: { body?: unknown }
  body: unknown
  notFound(message: string): void
  badRequest(message: string, details?: Record<string, unknown>): void
}

export interface RembgController {
  files(ctx: Context): Promise<void>
  processFile(ctx: Context): Promise<void>
  processFolder(ctx: Context): Promise<void>
  processLibrary(ctx: Context): Promise<void>
  jobs(ctx: Context): Promise<void>
  job(ctx: Context): Promise<void>
  cancelJob(ctx: Context): Promise<void>
  settings(ctx: Context): Promise<void>
  updateSettings(ctx: Context): Promise<void>
}

/** The largest page `GET /rembg/files` serves (the Media Library's own list stops at 100 too). */
const maxPageSize = 100

/** A query value the route refuses: answered 400 with the field named. */
class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}

export default ({ strapi }: { strapi: Strapi.Strapi }): RembgController => {
  const queue = (): Queue => strapi.plugin('rembg').service('queue')
  const settings = (): Settings => strapi.plugin('rembg').service('settings')

  return {
    async files(ctx: Context): Promise<void> {
      try {
        ctx.body = await queue().listFiles(fileQuery(ctx.query))
      } catch (error) {
        if (error instanceof QueryError) return ctx.badRequest(error.message, { field: error.field })
        throw error
      }
    },

    async processFile(ctx: Context): Promise<void> {
      const id = idParam(ctx)
      const row =
        id === null
          ? null
          : ((await strapi.db.query('plugin::upload.file').findOne({ where: { id } })) as FileRow | null)
      if (!row) return ctx.notFound(`File ${ctx.params.id} not found`)
      const body = (ctx.request.body ?? {}) as { params?: unknown }
      let params: ResolvedParams | undefined
      if (body.params !== undefined && body.params !== null) {
        const checked = await checkParams(body.params, settings())
        if ('error' in checked) return ctx.badRequest(checked.error, checked.details)
        params = checked.params
      }
      try {
        ctx.body = await queue().processNow(row, params)
      } catch (error) {
        if (error instanceof NotAnImageError) return ctx.badRequest(error.message)
        throw error
      }
    },

    async processFolder(ctx: Context): Promise<void> {
      const id = idParam(ctx)
      const job = id === null ? null : await queue().startJob({ folderId: id })
      if (!job) return ctx.notFound(`Folder ${ctx.params.id} not found`)
      ctx.body = { job }
    },

    async processLibrary(ctx: Context): Promise<void> {
      ctx.body = { job: await queue().startJob({ library: true }) }
    },

    async jobs(ctx: Context): Promise<void> {
      ctx.body = { results: await queue().listJobs() }
    },

    async job(ctx: Context): Promise<void> {
      const job = await queue().getJob(ctx.params.id ?? '')
      if (job) ctx.body = { job }
      else ctx.notFound(`Job ${ctx.params.id} not found`)
    },

    async cancelJob(ctx: Context): Promise<void> {
      const job = await queue().cancelJob(ctx.params.id ?? '')
      if (job) ctx.body = { job }
      else ctx.notFound(`Job ${ctx.params.id} not found`)
    },

    async settings(ctx: Context): Promise<void> {
      ctx.body = await settings().view()
    },

    async updateSettings(ctx: Context): Promise<void> {
      try {
        await settings().update(ctx.request.body ?? {})
      } catch (error) {
        if (error instanceof SettingsError) return ctx.badRequest(error.message, { key: error.key })
        throw error
      }
      ctx.body = await settings().view()
    },
  }
}

function idParam(ctx: Context): number | null {
  const id = Number(ctx.params.id)
  return Number.isInteger(id) && id > 0 ? id : null
}

/**
 * A file's own output parameters, checked by core over the effective `params` (a field left out keeps the configured
 * value). Refused: core's message word for word, as the config file and core's other adapters print it.
 */
async function checkParams(
  given: unknown,
  settings: Settings,
): Promise<{ params: ResolvedParams } | { error: string; details: Record<string, unknown> }> {
  if (typeof given !== 'object' || Array.isArray(given)) {
    return { error: "params: must be an object of core's output parameters", details: { field: 'params' } }
  }
  const core = await loadCore()
  const config = settings.effective ?? (await settings.load())
  try {
    return { params: core.resolveParams(given as Record<string, unknown>, { defaults: config.params }) }
  } catch (error) {
    const { field, details } = error as { field?: string; details?: { field: string }[] }
    const fields = details?.map((detail) => detail.field) ?? (field === undefined ? [] : [field])
    return { error: core.describeError(error), details: { fields } }
  }
}

function fileQuery(query: Record<string, unknown>): FileQuery {
  const result: FileQuery = {
    page: positiveInteger('page', query.page ?? '1'),
    pageSize: positiveInteger('pageSize', query.pageSize ?? '20'),
  }
  if (result.pageSize > maxPageSize) throw new QueryError('pageSize', `must be at most ${maxPageSize}`)
  const status = query.status
  if (status !== undefined && status !== '') {
    const found = statuses.find((each) => each === status)
    if (found === undefined)
      throw new QueryError('status', `must be one of ${statuses.join(', ')}, got '${String(status)}'`)
    result.status = found
  }
  if (query.folder !== undefined && query.folder !== '') result.folderId = positiveInteger('folder', query.folder)
  if (query.ids !== undefined && query.ids !== '') {
    result.ids = String(query.ids)
      .split(',')
      .map((id) => positiveInteger('ids', id.trim()))
  }
  return result
}

function positiveInteger(field: string, value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new QueryError(field, `must be a whole number above 0, got '${String(value)}'`)
  }
  return number
}
