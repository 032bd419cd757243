import type { Core as Strapi } from '@strapi/strapi'
import { registerPermissions } from './permissions'
import type { Settings } from './services/settings'

/** Registers the permission actions (Strapi refuses them later) and reads the settings stored from the admin. */
export default async function bootstrap({ strapi }: { strapi: Strapi.Strapi }): Promise<void> {
  await registerPermissions(strapi)
  const settings: Settings = strapi.plugin('rembg').service('settings')
  await settings.load()
}
