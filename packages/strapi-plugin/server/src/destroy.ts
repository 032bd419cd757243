import type { Core as Strapi } from '@strapi/strapi'
import type { Processor } from './services/processor'

/** Lets queued background work finish before Strapi closes the database under it. */
export default async function destroy({ strapi }: { strapi: Strapi.Strapi }): Promise<void> {
  const processor: Processor = strapi.plugin('rembg').service('processor')
  await processor.idle()
}
