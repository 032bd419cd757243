/**
 * The example's admin panel, built once with `strapi build` (what a team runs before `strapi start`) and kept in
 * `node_modules/.cache/rembg-admin-build/<key>`: the key covers what the build reads from us (the plugin's built admin
 * bundle, the app's manifest and Strapi's version), so a change to the plugin's admin rebuilds it and anything else
 * reuses it. The build runs in a copy of the app, never in the example's own `dist/`.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { access, cp, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { appDir } from './strapi.ts'

const run = promisify(execFile)
const requireFromApp = createRequire(join(appDir, 'package.json'))
const pluginDir = dirname(requireFromApp.resolve('@rembg-kit/strapi-plugin/package.json'))
const strapiDir = dirname(requireFromApp.resolve('@strapi/strapi/package.json'))

async function buildKey(): Promise<string> {
  const hash = createHash('sha256')
  const adminDist = join(pluginDir, 'dist', 'admin')
  const files = (await readdir(adminDist, { recursive: true }).catch(() => [] as string[])).sort()
  if (files.length === 0) throw new Error(`${adminDist} is missing: build the plugin first (pnpm run build)`)
  for (const file of files) {
    if (!/\.(m?js|json)$/.test(file)) continue
    hash.update(file).update(await readFile(join(adminDist, file)))
  }
  hash.update(await readFile(join(appDir, 'package.json')))
  hash.update(await readFile(join(strapiDir, 'package.json')))
  return hash.digest('hex').slice(0, 16)
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  )

/**
 * The folder of a built admin panel (its `index.html` and assets) for the current plugin; builds it when missing
 * (about 1.5 minutes on two cores).
 */
export async function adminBuild(): Promise<string> {
  const out = join(appDir, 'node_modules', '.cache', 'rembg-admin-build', await buildKey())
  if (await exists(join(out, 'index.html'))) return out
  const copy = join(appDir, `.tmp-admin-build-${randomBytes(4).toString('hex')}`)
  try {
    for (const entry of ['package.json', 'tsconfig.json', 'config', 'src']) {
      await cp(join(appDir, entry), join(copy, entry), { recursive: true })
    }
    await run(process.execPath, [join(strapiDir, 'bin', 'strapi.js'), 'build'], {
      cwd: copy,
      env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    })
    await mkdir(dirname(out), { recursive: true })
    await rm(out, { recursive: true, force: true })
    await rename(join(copy, 'dist', 'build'), out)
    // Builds of earlier plugin versions are never read again: 12 MB each.
    for (const old of await readdir(dirname(out))) {
      if (old !== basename(out)) await rm(join(dirname(out), old), { recursive: true, force: true })
    }
  } finally {
    await rm(copy, { recursive: true, force: true })
  }
  return out
}
