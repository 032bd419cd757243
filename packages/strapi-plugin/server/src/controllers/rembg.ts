/** The admin routes: reprocess one file, reprocess a folder as a job, read a job, read the effective settings. */
import type { Core as Strapi } from '@strapi/strapi'
import { publicSettings } from '../options'
import type { FolderJobs } from '../services/jobs'
import { NotAnImageError, type Processor } from '../services/processor'
import type { FileRow } from '../stored-file'

/** The Koa context fields the routes use. */
export interface Context {
  params: Record<string, string>
  body: unknown
  notFound(message: string): void
  badRequest(message: string): void
}

export interface RembgController {
  processFile(ctx: Context): Promise<void>
  processFolder(ctx: Context): Promise<void>
  job(ctx: Context): void
  settings(ctx: Context): void
}

export default ({ strapi }: { strapi: Strapi.Strapi }): RembgController => {
  const processor = (): Processor => strapi.plugin('rembg').service('processor')
  const jobs = (): FolderJobs => strapi.plugin('rembg').service('jobs')
  const idParam = (ctx: Context): number | null => {
    const id = Number(ctx.params.id)
    return Number.isInteger(id) && id > 0 ? id : null
  }

  return {
    async processFile(ctx: Context): Promise<void> {
      const id = idParam(ctx)
      const row =
        id === null
          ? null
          : ((await strapi.db.query('plugin::upload.file').findOne({ where: { id } })) as FileRow | null)
      if (!row) return ctx.notFound(`File ${ctx.params.id} not found`)
      try {
        ctx.body = await processor().reprocess(row)
      } catch (error) {
        if (error instanceof NotAnImageError) return ctx.badRequest(error.message)
        throw error
      }
    },

    async processFolder(ctx: Context): Promise<void> {
      const id = idParam(ctx)
      const job = id === null ? null : await jobs().start(id, processor())
      if (!job) return ctx.notFound(`Folder ${ctx.params.id} not found`)
      ctx.body = { job }
    },

    job(ctx: Context): void {
      const job = jobs().get(ctx.params.id ?? '')
      if (job) ctx.body = { job }
      else ctx.notFound(`Job ${ctx.params.id} not found`)
    },

    settings(ctx: Context): void {
      ctx.body = publicSettings(processor().config)
    },
  }
}
