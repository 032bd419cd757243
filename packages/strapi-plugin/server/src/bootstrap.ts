import type { Core as Strapi } from '@strapi/strapi'
import { registerPermissions } from './permissions'
import type { Queue } from './services/queue'
import type { Settings } from './services/settings'

/**
 * Registers the permission actions (Strapi refuses them later), reads the stored settings, and starts the queue: work
 * the last run left `pending` or `running` (a crash, a stop past `shutdownTimeout`) is picked up again.
 */
export default async function bootstrap({ strapi }: { strapi: Strapi.Strapi }): Promise<void> {
  await registerPermissions(strapi)
  const settings: Settings = strapi.plugin('rembg').service('settings')
  await settings.load()
  const queue: Queue = strapi.plugin('rembg').service('queue')
  // A file deleted from the Media Library takes its queue record (and a waiting spool copy) with it.
  strapi.db.lifecycles.subscribe({
    models: ['plugin::upload.file'],
    async afterDelete(event: { result?: { id?: number } | null }) {
      if (typeof event.result?.id === 'number') await queue.forget(event.result.id)
    },
  })
  await queue.start()
}
