// Runs a prepared copy of the example (./strapi.ts prepareCopy) in a process of its own, as `strapi start` would: the
// queue tests kill it (SIGKILL, as an out-of-memory kill would) or stop it (SIGTERM, as a container stop does) and
// boot it again on the same database. Strapi's own signal handler runs the plugins' destroy on SIGTERM, then exits.
// Usage: node queue-child.cjs <app copy> [fresh] [ports to avoid, comma-separated]. Prints one JSON line, { url, apiToken }, once it serves requests
// (apiToken only when `fresh`: a full-access token stays valid across restarts).
const { join } = require('node:path')
const { createStrapi } = require('@strapi/strapi')

/** Also in ./queue-process.ts, which logs in with it. */
const admin = { email: 'queue@example.com', password: 'Queue1234', firstname: 'Queue', lastname: 'Tests' }

async function main() {
  const [dir, fresh, avoid = ''] = process.argv.slice(2)
  const strapi = createStrapi({ appDir: dir, distDir: join(dir, 'dist'), autoReload: false, serveAdminPanel: false })
  await strapi.load()
  strapi.server.mount()
  const server = strapi.server.httpServer
  // Never the port of an earlier run: the test's fetch may still hold a kept-alive socket to the killed one.
  const avoided = new Set(avoid.split(',').filter(Boolean).map(Number))
  do {
    if (server.listening) await new Promise((resolve) => server.close(resolve))
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  } while (avoided.has(server.address().port))
  const url = `http://127.0.0.1:${server.address().port}`
  let apiToken = null
  if (fresh === 'fresh') {
    const token = await strapi
      .service('admin::api-token')
      .create({ name: 'queue-tests', description: '', type: 'full-access', lifespan: null })
    apiToken = token.accessKey
    // The super admin the tests log in as (POST /admin/login) for the plugin's admin routes, on every boot.
    const superAdmin = await strapi.service('admin::role').getSuperAdmin()
    await strapi
      .service('admin::user')
      .create({ ...admin, registrationToken: null, isActive: true, roles: [superAdmin.id] })
  }
  process.stdout.write(`${JSON.stringify({ url, apiToken })}\n`)
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`)
  process.exit(1)
})
