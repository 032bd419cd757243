/** The plugin's id: `strapi.name` in package.json, the prefix of its routes, permissions and translation keys. */
export const pluginId = 'rembg'
