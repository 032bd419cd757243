import type { Core as Strapi } from '@strapi/strapi'
import type { Processor } from './services/processor'
import type { Queue } from './services/queue'

/**
 * A graceful stop (Strapi calls this on SIGTERM and SIGINT, before it closes the database): no new work starts,
 * running work gets `shutdownTimeout` to finish, the rest stays `pending` in the database for the next boot.
 */
export default async function destroy({ strapi }: { strapi: Strapi.Strapi }): Promise<void> {
  const processor: Processor = strapi.plugin('rembg').service('processor')
  const queue: Queue = strapi.plugin('rembg').service('queue')
  await queue.stop(processor.config.shutdownTimeout)
}
