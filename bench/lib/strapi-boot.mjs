// The example Strapi app booted as `strapi start` would, without the admin panel, listening on a free loopback port:
// the Strapi bench children (upload, backfill) start it the same way.
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** Strapi from the app's own dependencies, loaded, its routes mounted, listening on 127.0.0.1 (port 0). */
export async function bootStrapi(appDir) {
  const { createStrapi } = createRequire(join(appDir, 'package.json'))('@strapi/strapi')
  const strapi = createStrapi({ appDir, distDir: join(appDir, 'dist'), autoReload: false, serveAdminPanel: false })
  await strapi.load()
  strapi.server.mount()
  await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve))
  return strapi
}
