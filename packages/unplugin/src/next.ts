/**
 * @rembg-kit/unplugin for Next.js: `withRembg(nextConfig, options)` makes `import hero from './hero.jpg?rembg&w=800'`
 * a static image (`{ src, width, height, blurDataURL }`, as `import hero from './hero.jpg'`), with Turbopack
 * (`next dev`, `next build`) and webpack (`next build --webpack`).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileExtensions, type OutputFormat, resolveParams } from '@rembg-kit/core'
import { type Options, resolveOptions } from './core/options.js'
import { type NextLoaderOptions, writePatterns } from './next/options.js'

/** The options of `withRembg`: the plugin's, except `apiKey` (the remote engine reads `REMBG_API_KEY`). */
export type NextOptions = Omit<Options, 'apiKey'>

/** The part of Next's webpack hook context the plugin reads. */
interface WebpackContext {
  isServer: boolean
  dev: boolean
  nextRuntime?: 'nodejs' | 'edge' | undefined
  config: { assetPrefix?: string }
}

interface WebpackConfig {
  module?: { rules?: unknown[] }
}

type WebpackHook = (config: WebpackConfig, context: WebpackContext) => WebpackConfig

/** The part of a Next config the plugin sets: its webpack hook and its Turbopack rules. */
export interface NextConfigLike {
  // biome-ignore lint/suspicious/noExplicitAny: Next's own hook type is `(config: any, context: WebpackConfigContext) => any`
  webpack?: ((config: any, context: any) => any) | null
  turbopack?: { rules?: Record<string, unknown> }
}

/** `next.config.*` may export a function of the phase (`(phase, { defaultConfig }) => config`), async or not. */
export type NextConfigFunction<T> = (phase: string, context: { defaultConfig: unknown }) => T | Promise<T>

/**
 * The glob of the plugin's Turbopack rules: every file, since the query selects the imports (any file asking for
 * `rembg` reaches the loader, which refuses what is not an image rather than leave the original in place).
 */
const ruleGlob = '*'

/** Imports whose query has the `rembg` key, wherever it stands (`?rembg&w=800`, `?w=800&rembg`). */
const rembgQuery = /(?:^\?|&)rembg(?:[&=]|$)/

/** Output formats Next serves as static images, and how a query writes each. */
const staticFormats: { format: OutputFormat; query: RegExp }[] = [
  { format: 'webp', query: /(?:^\?|&)format=webp(?:&|$)/ },
  { format: 'png', query: /(?:^\?|&)format=png(?:&|$)/ },
  { format: 'jpeg', query: /(?:^\?|&)format=jpe?g(?:&|$)/ },
]
const anyFormat = /(?:^\?|&)format=/

/**
 * Adds background removal to a Next.js config: an import whose query has `rembg` becomes a static image of the
 * cutout, with Turbopack and with webpack. Returns a new config; the one given is not changed, its own `webpack`
 * function runs after the plugin's and its `turbopack.rules` are kept.
 *
 * @throws Error for an invalid option (core's message for a bad `defaults` parameter), or `apiKey` given.
 * @example
 * // next.config.ts
 * import { withRembg } from '@rembg-kit/unplugin/next'
 * export default withRembg({ reactStrictMode: true }, { model: 'isnet-imgly' })
 */
export function withRembg<T extends NextConfigLike>(nextConfig: T, options?: NextOptions): T
export function withRembg<T extends NextConfigLike>(
  nextConfig: NextConfigFunction<T>,
  options?: NextOptions,
): NextConfigFunction<T>
export function withRembg<T extends NextConfigLike>(
  nextConfig: T | NextConfigFunction<T>,
  options: NextOptions = {},
): T | NextConfigFunction<T> {
  const loaderOptions = nextLoaderOptions(options)
  if (typeof nextConfig === 'function') {
    return async (phase, context) => addRembg(await nextConfig(phase, context), loaderOptions)
  }
  return addRembg(nextConfig, loaderOptions)
}

/**
 * `withRembg` with the options first, for configs that compose plugins: `createRembg(options)(nextConfig)`.
 *
 * @example
 * const withRembgKit = createRembg({ model: 'isnet-imgly' })
 * export default withRembgKit(withMDX(nextConfig))
 */
export function createRembg(options: NextOptions = {}): <T extends NextConfigLike>(nextConfig: T) => T {
  const loaderOptions = nextLoaderOptions(options)
  return (nextConfig) => addRembg(nextConfig, loaderOptions)
}

type SharedLoaderOptions = Omit<NextLoaderOptions, 'kind' | 'format' | 'compilerType' | 'dev' | 'assetPrefix'>

function addRembg<T extends NextConfigLike>(nextConfig: T, options: SharedLoaderOptions): T {
  const turbopackRulesApply = checkTurbopackVersion()
  const userWebpack = nextConfig.webpack
  const webpack: WebpackHook = (config, context) => {
    addWebpackRule(config, context, options)
    return typeof userWebpack === 'function' ? userWebpack(config, context) : config
  }
  const turbopack = nextConfig.turbopack ?? {}
  // A Next before 16.2 (webpack mode, checked above) gets no rule its config schema does not know.
  if (!turbopackRulesApply) return { ...nextConfig, webpack, turbopack }
  return {
    ...nextConfig,
    webpack,
    turbopack: { ...turbopack, rules: { ...turbopack.rules, [ruleGlob]: withUserRules(turbopack.rules, options) } },
  }
}

/** The plugin's rules after the user's own rules for every file, if any. */
function withUserRules(rules: Record<string, unknown> | undefined, options: SharedLoaderOptions): unknown[] {
  const own = rules?.[ruleGlob]
  const kept = own === undefined ? [] : Array.isArray(own) ? own : [own]
  return [...kept, ...turbopackRules(options)]
}

/**
 * Turbopack selects `?rembg` imports by a rule condition on the query, which Next reads from 16.2 on; an older
 * Turbopack would apply no rule and serve the original photo, so the build stops instead. Next sets `TURBOPACK`
 * before it loads the config (`next dev`, `next build`, `--turbopack`).
 *
 * @returns whether the running Next takes the plugin's Turbopack rules (true outside Next, or when its version is unknown).
 */
function checkTurbopackVersion(): boolean {
  const version = runningNextVersion()
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number)
  if (version === undefined || major > 16 || (major === 16 && minor >= 2)) return true
  if (!process.env.TURBOPACK) return false
  const webpack =
    major < 16 ? 'next dev and next build without --turbopack' : 'next dev --webpack, next build --webpack'
  throw new Error(
    `rembg-kit: Turbopack in Next.js ${version} cannot select ?rembg imports (rule conditions on the query need ` +
      `Next.js 16.2): build and run with webpack (${webpack}) or upgrade Next.js`,
  )
}

/**
 * The version of the Next.js that is loading this config: the `next` package whose modules this process has loaded
 * (Next's CLI loads itself before it evaluates the config). Undefined outside Next. Resolving `next` from the working
 * folder instead could find another copy (`next build other/dir`, a parent folder's `node_modules`).
 */
function runningNextVersion(): string | undefined {
  const packageFolder = `${sep}node_modules${sep}next${sep}`
  const loaded = Object.keys(createRequire(fileURLToPath(import.meta.url)).cache).find((path) =>
    path.includes(`${packageFolder}dist${sep}`),
  )
  if (loaded === undefined) return undefined
  const manifest = `${loaded.slice(0, loaded.indexOf(packageFolder) + packageFolder.length)}package.json`
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
  } catch {
    return undefined
  }
}

/** Checks the options as every bundler does and turns them into the loader's plain JSON (no undefined values). */
function nextLoaderOptions(options: NextOptions): SharedLoaderOptions {
  if ('apiKey' in options) {
    throw new Error(
      "rembg-kit: withRembg has no 'apiKey' option: set REMBG_API_KEY in the build's environment " +
        '(Next writes loader options to its caches, and a key must not reach them)',
    )
  }
  // The root only places the default cache folder, which the loader derives from Next's project folder instead.
  const resolved = resolveOptions(options)
  return {
    defaults: resolved.defaults,
    engine: resolved.engine,
    preset: resolved.preset,
    concurrency: resolved.concurrency,
    logLevel: resolved.logLevel,
    include: resolved.include === undefined ? null : writePatterns(resolved.include),
    exclude: writePatterns(resolved.exclude),
    ...(resolved.model === undefined ? {} : { model: resolved.model }),
    ...(resolved.baseUrl === undefined ? {} : { baseUrl: resolved.baseUrl }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: resolved.cacheDir }),
  }
}

/** The format of an import without `format=`: one Next serves as a static image (not bmp). */
function defaultStaticFormat(options: SharedLoaderOptions): OutputFormat {
  const format = resolveParams({ ...options.defaults }).format
  if (!staticFormats.some((item) => item.format === format)) {
    throw new Error(
      `rembg-kit: defaults.format '${format}' is not a static image format of Next.js: use webp, png or jpeg`,
    )
  }
  return format
}

/** The Turbopack and webpack loader of Next: an entry of its own at dist's root, where every built file sits. */
function loaderPath(): string {
  return fileURLToPath(new URL('./next-loader.js', import.meta.url))
}

/**
 * Turbopack: one rule per output format, chosen by the query, so each rule can declare its output's type
 * (`as: '*.png'`); an import without `format=` gets the default format's rule, and an import with any other
 * `format=` gets a rule whose loader fails with core's message. Nothing with `rembg` reaches Next's image handling.
 */
function turbopackRules(options: SharedLoaderOptions): object[] {
  const loader = loaderPath()
  const defaultFormat = defaultStaticFormat(options)
  const rule = (format: OutputFormat | null, condition: object): object => ({
    condition: { all: [{ query: rembgQuery }, condition] },
    loaders: [{ loader, options: { ...options, kind: 'image', format } }],
    as: `*.${format ?? 'js'}`,
  })
  return [
    ...staticFormats.map(({ format, query }) => rule(format, { query })),
    rule(defaultFormat, { not: { query: anyFormat } }),
    rule(null, { all: [{ query: anyFormat }, ...staticFormats.map(({ query }) => ({ not: { query } }))] }),
  ]
}

/**
 * webpack: the plugin's loader makes the whole static image module (emitting the file where Next serves it), so
 * Next's own image rule must leave `?rembg` imports alone.
 */
function addWebpackRule(config: WebpackConfig, context: WebpackContext, options: SharedLoaderOptions): void {
  config.module ??= {}
  config.module.rules ??= []
  const rules = config.module.rules
  for (const [index, rule] of rules.entries()) {
    if (isNextImageRule(rule)) rules[index] = withoutRembgImports(rule)
  }
  const compilerType = !context.isServer ? 'client' : context.nextRuntime === 'edge' ? 'edge-server' : 'server'
  const loaderOptions: NextLoaderOptions = {
    ...options,
    kind: 'module',
    compilerType,
    dev: context.dev,
    assetPrefix: context.config.assetPrefix ?? '',
  }
  rules.push(
    {
      resourceQuery: rembgQuery,
      issuer: { not: stylesheet },
      type: 'javascript/auto',
      use: [{ loader: loaderPath(), options: loaderOptions }],
    },
    ...stylesheetRules(options),
  )
}

/** The stylesheets Next compiles with css-loader (its `regexLikeCss`): their `url()` takes a file's URL. */
const stylesheet = /\.(css|scss|sass)$/

/**
 * webpack: `url(./hero.jpg?rembg)` in a stylesheet becomes an emitted file, as Next's own CSS asset rule does, one rule
 * per output format (as for Turbopack) so the file name has the output's extension.
 */
function stylesheetRules(options: SharedLoaderOptions): object[] {
  const loader = loaderPath()
  const rule = (format: OutputFormat | null, query: object): object => ({
    issuer: stylesheet,
    resourceQuery: { and: [rembgQuery, query] },
    type: 'asset/resource',
    generator: { filename: `static/media/[name].[contenthash:8].${format ? fileExtensions[format] : 'bin'}` },
    use: [{ loader, options: { ...options, kind: 'image', format } }],
  })
  return [
    ...staticFormats.map(({ format, query }) => rule(format, query)),
    rule(defaultStaticFormat(options), { not: anyFormat }),
    rule(null, { and: [anyFormat, { not: staticFormats.map(({ query }) => query) }] }),
  ]
}

interface NextImageRule {
  loader: string
  resourceQuery?: { not?: unknown[] }
}

function isNextImageRule(rule: unknown): rule is NextImageRule {
  return typeof rule === 'object' && rule !== null && (rule as { loader?: unknown }).loader === 'next-image-loader'
}

function withoutRembgImports(rule: NextImageRule): NextImageRule {
  const not = rule.resourceQuery?.not ?? []
  return { ...rule, resourceQuery: { ...rule.resourceQuery, not: [...not, rembgQuery] } }
}

export default withRembg
