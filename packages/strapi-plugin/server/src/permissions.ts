/**
 * The plugin's permission actions, shown in the role editor (Settings > Roles): `plugin::rembg.read`,
 * `plugin::rembg.process`, `plugin::rembg.settings.read`, `plugin::rembg.settings.update`. Strapi gives every
 * registered action to the Super Admin role; Editor, Author and custom roles get them only when an admin ticks them.
 */
import type { Core as Strapi } from '@strapi/strapi'

export const actions = {
  read: 'plugin::rembg.read',
  process: 'plugin::rembg.process',
  settingsRead: 'plugin::rembg.settings.read',
  settingsUpdate: 'plugin::rembg.settings.update',
} as const

/** The Media Library's own action: processing a file rewrites it, so the caller must be allowed to update it. */
export const updateAssets = 'plugin::upload.assets.update'

const pluginName = 'rembg'
const category = 'background removal'

/** Called from the plugin's bootstrap (Strapi refuses actions registered later). */
export async function registerPermissions(strapi: Strapi.Strapi): Promise<void> {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', pluginName, uid: 'read', displayName: 'See processed files and jobs' },
    { section: 'plugins', pluginName, uid: 'process', displayName: 'Process files, folders and the library' },
    { section: 'settings', pluginName, category, uid: 'settings.read', displayName: 'Read the settings' },
    { section: 'settings', pluginName, category, uid: 'settings.update', displayName: 'Change the settings' },
  ])
}
