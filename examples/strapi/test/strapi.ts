/**
 * Boots the example app in this process, as `strapi start` would, on a fresh copy: each call copies the app's sources
 * into `examples/strapi/.tmp-test-*` (under the example, so the copy resolves the example's node_modules and the
 * plugin), compiles its TypeScript server files there, and starts Strapi on a free loopback port with an empty SQLite
 * database and an empty `public/uploads`. The example's own `build` is not needed: `vitest run` does not run it.
 */
import { randomBytes } from 'node:crypto'
import { access, cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { dirname, join, relative } from 'node:path'
import type * as StrapiModule from '@strapi/strapi'
import ts from 'typescript'
import { exampleDir, modelHome } from '../../test-support.ts'

export const appDir = exampleDir('strapi')
export const fixture = (name: string): string => join(appDir, 'test', 'fixtures', name)

// Strapi's ESM build imports `lodash/fp` as a directory, which Node's ESM loader refuses: load the CommonJS build.
const { createStrapi } = createRequire(import.meta.url)('@strapi/strapi') as typeof StrapiModule
type Strapi = ReturnType<typeof createStrapi>

export interface StrapiOptions {
  /** Merged over the app's `config/plugins.ts` (lodash merge, as Strapi merges `config/env/<env>/`). */
  plugins?: Record<string, unknown>
  /** A built admin panel (./admin-build.ts) to serve at `/admin`; without it the app serves no admin panel. */
  adminBuild?: string
}

export interface RunningStrapi {
  strapi: Strapi
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** The copy of the app this instance runs from. */
  dir: string
  /** A full-access API token for the content API (`Authorization: Bearer <token>`). */
  apiToken: string
  /** A super admin's JWT for the admin routes (`POST /upload`, `/rembg/...`). */
  adminJwt: string
  /** Stops Strapi and deletes the copy. */
  close(): Promise<void>
  /** Stops Strapi and boots it again on the same copy (same database and uploads), as a restart of the server would. */
  restart(): Promise<RunningStrapi>
}

// favicon.png: Strapi's favicon middleware reads it on every browser visit (the admin panel tests).
const appSources = ['package.json', 'tsconfig.json', 'config', 'src', 'favicon.png']
const pluginBuild = '`npx -y pnpm@10.34.8 --filter @rembg-kit/strapi-plugin run build`, or `pnpm test`'

/** Copies the app (without its build, database and uploads) and compiles its server files into `<copy>/dist`. */
export async function prepareCopy(name: string, options: StrapiOptions): Promise<string> {
  const dir = join(appDir, `.tmp-test-${name}-${randomBytes(4).toString('hex')}`)
  for (const entry of appSources) await cp(join(appDir, entry), join(dir, entry), { recursive: true })
  await mkdir(join(dir, 'public', 'uploads'), { recursive: true })
  for (const file of await listTypeScript(dir)) await transpile(dir, file)
  // Content-type schemas are JSON, which `strapi build` copies to dist as they are.
  for (const file of await listSchemas(dir)) await cp(file, join(dir, 'dist', relative(dir, file)))
  if (options.plugins) await writeEnvConfig(dir, 'plugins', options.plugins)
  // Strapi serves the admin panel from `<distDir>/build`, where `strapi build` writes it.
  if (options.adminBuild) await symlink(options.adminBuild, join(dir, 'dist', 'build'), 'dir')
  // Warnings (the plugin's failure lines among them) and errors only; STRAPI_TEST_LOG_LEVEL=http shows every request.
  await writeEnvConfig(dir, 'logger', { level: process.env.STRAPI_TEST_LOG_LEVEL ?? 'warn' })
  return dir
}

async function listTypeScript(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => /^(config|src)\//.test(relative(dir, file)) && !relative(dir, file).startsWith('src/admin/'))
}

async function listSchemas(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'src'), { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name))
}

/** What `strapi build` does to the server files (tsc, CommonJS), without type checking: a few ms a file. */
async function transpile(dir: string, file: string): Promise<void> {
  const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2019,
      esModuleInterop: true,
    },
    fileName: file,
  })
  const out = join(dir, 'dist', relative(dir, file)).replace(/\.ts$/, '.js')
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, outputText)
}

/** Strapi merges `config/env/<NODE_ENV>/<name>.js` over `config/<name>.js`: the overrides of one test file go there. */
async function writeEnvConfig(dir: string, name: string, values: Record<string, unknown>): Promise<void> {
  const envDir = join(dir, 'dist', 'config', 'env', process.env.NODE_ENV || 'development')
  await mkdir(envDir, { recursive: true })
  await writeFile(join(envDir, `${name}.js`), `module.exports = ${JSON.stringify(values, null, 2)}\n`)
}

/**
 * Boots a fresh copy of the example. `strapi.destroy()` removes every process listener (vitest's included), so
 * `close()` puts back the ones that existed before the boot: several boots in one test file then work.
 */
export async function startStrapi(name: string, options: StrapiOptions = {}): Promise<RunningStrapi> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true'
  process.env.REMBG_KIT_HOME = modelHome
  return boot(await prepareCopy(name, options), true)
}

async function boot(dir: string, fresh: boolean): Promise<RunningStrapi> {
  const listeners = process.eventNames().map((event) => [event, process.rawListeners(event)] as const)
  // The admin panel is served when the copy has one (StrapiOptions.adminBuild).
  const serveAdminPanel = await access(join(dir, 'dist', 'build')).then(
    () => true,
    () => false,
  )
  const strapi = createStrapi({ appDir: dir, distDir: join(dir, 'dist'), autoReload: false, serveAdminPanel })
  const stop = async (): Promise<void> => {
    try {
      await strapi.destroy()
    } finally {
      for (const [event, fns] of listeners)
        for (const fn of fns) if (!process.rawListeners(event).includes(fn)) process.on(event, fn as () => void)
    }
  }
  const close = async (): Promise<void> => {
    try {
      await stop()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  const restart = async (): Promise<RunningStrapi> => {
    await stop()
    return boot(dir, false)
  }
  try {
    await strapi.load()
    // Strapi skips a plugin whose dist is missing without a word: say it, instead of failing every test on formats.
    if (!strapi.plugin('rembg')) throw new Error(`the rembg plugin did not load: build it (${pluginBuild})`)
    strapi.server.mount()
    const server = strapi.server.httpServer
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const apiToken = await createApiToken(strapi)
    return { strapi, url, dir, apiToken, adminJwt: await loginAdmin(strapi, url, fresh), close, restart }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}

async function createApiToken(strapi: Strapi): Promise<string> {
  const token = await strapi
    .service('admin::api-token')
    .create({ name: `tests-${randomBytes(4).toString('hex')}`, description: '', type: 'full-access', lifespan: null })
  return token.accessKey
}

const admin = { email: 'admin@example.com', password: 'Admin1234', firstname: 'Ada', lastname: 'Admin' }

/** Creates a super admin directly (no registration form; on a restart it exists) and logs in through HTTP for a JWT. */
async function loginAdmin(strapi: Strapi, url: string, create: boolean): Promise<string> {
  if (create) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin()
    await strapi
      .service('admin::user')
      .create({ ...admin, registrationToken: null, isActive: true, roles: [superAdmin.id] })
  }
  const response = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  })
  const body = (await response.json()) as { data?: { token?: string; accessToken?: string } }
  const jwt = body.data?.token ?? body.data?.accessToken
  if (!jwt) throw new Error(`admin login failed (${response.status}): ${JSON.stringify(body)}`)
  return jwt
}
