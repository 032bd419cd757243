import type { Core as Strapi } from '@strapi/strapi'
import { loadCore } from './core'
import { resolveConfig } from './options'
import type { Processor } from './services/processor'
import type { Queue } from './services/queue'
import { statusAttribute, statusColumnAttribute } from './status'
import { extendUploadService } from './upload-extension'

/**
 * Checks the config with core (a bad value stops the boot with core's message and the config key), adds the
 * `rembg` status attributes to upload files before the database schema is synced, and wraps the upload service.
 */
export default async function register({ strapi }: { strapi: Strapi.Strapi }): Promise<void> {
  const core = await loadCore()
  const config = resolveConfig(strapi.config.get('plugin::rembg'), { appRoot: strapi.dirs.app.root, core })
  const fileType = strapi.contentType('plugin::upload.file') as { attributes: Record<string, unknown> }
  fileType.attributes.rembg = { ...statusAttribute }
  fileType.attributes.rembgStatus = { ...statusColumnAttribute }
  const processor: Processor = strapi.plugin('rembg').service('processor')
  processor.init(config, core)
  const queue: Queue = strapi.plugin('rembg').service('queue')
  extendUploadService(strapi, queue)
}
