import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { RemoveResult } from '@rembg-kit/core'
import type { UnpluginContextMeta, UnpluginFactory, UnpluginOptions } from 'unplugin'
import { Cutouts } from './cutouts.js'
import { cutoutError, excludedReason, type ImportOrigin } from './errors.js'
import { createIdFilter } from './filter.js'
import { AssetFiles, readAssetId } from './hosts/assets.js'
import { esbuildEmitter, setupEsbuildAssets } from './hosts/esbuild.js'
import { type EmitFileContext, rollupEmitter } from './hosts/rollup.js'
import { DevAssets } from './hosts/vite-dev.js'
import { webpackEmitter, webpackRules } from './hosts/webpack.js'
import { type EmitAsset, loadCutout, loadCutoutUrl } from './load.js'
import type { ModuleFormat } from './module-code.js'
import { type Options, type ResolvedOptions, resolveOptions } from './options.js'
import { isRembgId, rembgIdPattern, splitId } from './query.js'
import { formatSummary } from './summary.js'

/** The state of one plugin instance: its options, its one Remover and the imports it has seen. */
class RembgPlugin {
  options: ResolvedOptions
  private cutoutsOfRoot: Cutouts | undefined
  /** Resolved id → where it was imported, for error messages (bundlers' load hooks do not know the importer). */
  readonly origins = new Map<string, ImportOrigin>()
  readonly files = new AssetFiles()
  log: (line: string) => void = (line) => console.log(line)

  private root: string

  constructor(private readonly userOptions: Options) {
    this.root = projectRoot(process.cwd())
    this.options = resolveOptions(userOptions, this.root)
  }

  /**
   * The bundler's root (Vite's `root` once its config is resolved, webpack's `context`, esbuild's `absWorkingDir`).
   * The project's root is the nearest folder at or above it with a package.json: the default cache folder and
   * relative globs belong to the project, not to a framework's Vite root (Nuxt's is `app/`).
   */
  setRoot(bundlerRoot: string): void {
    const root = projectRoot(bundlerRoot)
    if (root === this.root) return
    this.root = root
    this.options = resolveOptions(this.userOptions, root)
    this.cutoutsOfRoot = undefined
  }

  get cutouts(): Cutouts {
    this.cutoutsOfRoot ??= new Cutouts(this.options, this.root, (line) => this.log(line))
    return this.cutoutsOfRoot
  }

  /** The module of a cutout import; an import whose file include/exclude leave out fails (never the original). */
  load(id: string, emit: EmitAsset, origin?: ImportOrigin, format?: ModuleFormat): Promise<string> {
    const from = origin ?? this.origins.get(id)
    if (!this.includes(id)) return Promise.reject(this.excluded(id, from))
    return loadCutout(id, from, { options: this.options, cutouts: this.cutouts, emit, format })
  }

  /** The URL of a cutout referenced by a stylesheet's `url()`. */
  cssUrl(id: string, emit: EmitAsset, origin: ImportOrigin): Promise<string> {
    if (!this.includes(id)) return Promise.reject(this.excluded(id, origin))
    return loadCutoutUrl(id, origin, { options: this.options, cutouts: this.cutouts, emit })
  }

  private includesOfRoot: { root: string; test: (id: string) => boolean } | undefined

  includes(id: string): boolean {
    if (this.includesOfRoot?.root !== this.root) {
      this.includesOfRoot = { root: this.root, test: createIdFilter(this.options, this.root) }
    }
    return this.includesOfRoot.test(id)
  }

  private excluded(id: string, origin: ImportOrigin | undefined): Error {
    return cutoutError(new Error(excludedReason(splitId(id).file, this.root)), id, origin)
  }

  /** An asset module's bytes: made by its cutout import in this build, or remade from the parameters its id carries. */
  async asset(id: string): Promise<RemoveResult> {
    const made = this.files.get(id)
    if (made) return made
    const { file, params } = readAssetId(id)
    return this.cutouts.remove(file, params)
  }

  printSummary(): void {
    const counts = this.cutouts.stats.current
    if (this.options.logLevel !== 'silent' && counts.images > 0) this.log(formatSummary(counts))
  }
}

/** The nearest folder at or above `dir` holding a package.json (else `dir`): where a project's node_modules is. */
export function projectRoot(dir: string): string {
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder
    if (dirname(folder) === folder) return resolve(dir)
  }
}

/** Resolves the file part of a cutout import with the bundler's resolver when it has one (aliases, Vite's root). */
async function resolveFile(context: object, file: string, importer: string | undefined): Promise<string | null> {
  const resolver = context as Partial<{ resolve(source: string, importer?: string, options?: object): unknown }>
  if (typeof resolver.resolve === 'function') {
    const resolved = (await resolver.resolve(file, importer, { skipSelf: true })) as { id: string } | null
    return resolved?.id ?? null
  }
  if (isAbsolute(file)) return file
  return importer ? resolve(dirname(importer), file) : resolve(file)
}

interface WebpackLikeCompiler {
  options: { context?: string; module: { rules: unknown[] } }
  hooks: { normalModuleFactory: { tap(name: string, callback: (factory: ModuleFactory) => void): void } }
}

interface ModuleFactory {
  hooks: { afterResolve: { tap(name: string, callback: (data: ResolveData) => void): void } }
}

interface ResolveData {
  request: string
  contextInfo?: { issuer?: string }
  createData?: { resource?: string }
}

function webpackLike(plugin: RembgPlugin): (compiler: WebpackLikeCompiler) => void {
  const emit = webpackEmitter(plugin.files)
  return (compiler) => {
    // Relative globs and the default cache folder belong to the project webpack builds (`context`).
    if (compiler.options.context) plugin.setRoot(compiler.options.context)
    // The importer and the import string are known when a request is resolved (Rspack's loaders cannot ask).
    compiler.hooks.normalModuleFactory.tap('rembg-kit', (factory) => {
      factory.hooks.afterResolve.tap('rembg-kit', (data) => {
        const resource = data.createData?.resource
        if (resource && isRembgId(resource)) {
          plugin.origins.set(resource, { importer: data.contextInfo?.issuer || undefined, source: data.request })
        }
      })
    })
    compiler.options.module.rules.push(
      ...webpackRules({
        cutoutCode: (id, origin) => plugin.load(id, emit, plugin.origins.get(id) ?? origin, 'commonjs'),
        assetBytes: async (id) => (await plugin.asset(id)).data,
      }),
    )
  }
}

/**
 * The one implementation behind every bundler entry. Rollup, Vite and esbuild use unplugin's resolveId and load
 * hooks; webpack and Rspack get two module rules and a loader (their rule conditions see a query, unplugin's load
 * filter does not).
 */
export const unpluginFactory: UnpluginFactory<Options | undefined, false> = (
  userOptions = {},
  meta: UnpluginContextMeta,
) => {
  const plugin = new RembgPlugin(userOptions)
  const common: UnpluginOptions = {
    name: 'rembg-kit',
    enforce: 'pre',
    buildStart() {
      plugin.cutouts.stats.reset()
    },
    buildEnd() {
      plugin.printSummary()
    },
  }
  if (meta.framework === 'webpack' || meta.framework === 'rspack') {
    return {
      ...common,
      webpack: webpackLike(plugin) as UnpluginOptions['webpack'],
      rspack: webpackLike(plugin) as UnpluginOptions['rspack'],
    }
  }
  let viteCommand: 'build' | 'serve' | undefined
  let viteBase = '/'
  const dev = new DevAssets(() => viteBase)
  const emitterFor = (context: object): EmitAsset => {
    if (meta.framework === 'esbuild') return esbuildEmitter(plugin.files)
    if (viteCommand === 'serve') return dev.emit
    return rollupEmitter(context as EmitFileContext, viteCommand ? 'vite' : 'rollup')
  }
  /**
   * `url(./hero.jpg?rembg&w=800)` in stylesheets (CSS, CSS modules, preprocessors, Vue/Svelte/Astro style blocks):
   * Vite resolves url() itself and would copy the original file, so the plugin writes the cutout's URL in first.
   * Rollup has no CSS of its own: its CSS plugins do not pass url() through the module graph, so it warns.
   */
  const stylesheetUrls = async function (
    this: { warn(message: string): void } & object,
    code: string,
    id: string,
  ): Promise<{ code: string; map: null } | null> {
    if (!cssIdPattern.test(id)) {
      // Scripts: Vite copies the file a `new URL('./a.jpg?rembg', import.meta.url)` names as it is.
      const source = viteCommand === undefined ? undefined : findNewUrlCutoutReference(code)
      if (source !== undefined) throw new Error(newUrlNotSupported(source, splitId(id).file))
      return null
    }
    const references = findCssCutoutUrls(code)
    if (references.length === 0) return null
    const stylesheet = splitId(id).file
    if (viteCommand === undefined) {
      this.warn(cssNotSupported(references[0]?.source ?? '', stylesheet, 'Rollup'))
      return null
    }
    let rewritten = ''
    let copied = 0
    for (const { source, start, end } of references) {
      const { file, query } = splitId(source)
      const resolved = await resolveFile(this, file, stylesheet)
      if (resolved === null)
        throw cutoutError(new Error(`cannot resolve '${file}'`), source, { importer: stylesheet, source })
      const cutoutId = `${resolved}?${query}`
      const url = await plugin.cssUrl(cutoutId, emitterFor(this), { importer: stylesheet, source })
      rewritten += `${code.slice(copied, start)}url(${url})`
      copied = end
    }
    return { code: rewritten + code.slice(copied), map: null }
  }
  return {
    ...common,
    resolveId: {
      filter: { id: rembgIdPattern },
      async handler(source, importer) {
        const { file, query } = splitId(source)
        const resolved = await resolveFile(this, file, importer)
        if (resolved === null) return null
        const id = `${resolved}?${query}`
        plugin.origins.set(id, { importer, source })
        return id
      },
    },
    load: {
      // Natively every `rembg` id: include/exclude match the file without its query, in the handler (see filter.ts).
      filter: { id: rembgIdPattern },
      handler(id) {
        if (!isRembgId(id)) return null
        this.addWatchFile(splitId(id).file)
        return plugin.load(id, emitterFor(this))
      },
    },
    // Not in esbuild: unplugin's esbuild transform gives every file it sees the `js` loader, stylesheets too.
    ...(meta.framework === 'esbuild'
      ? {}
      : { transform: { filter: { id: { exclude: rembgIdPattern }, code: /rembg/ }, handler: stylesheetUrls } }),
    esbuild: {
      loader: 'js',
      setup: (build) => {
        plugin.setRoot(build.initialOptions.absWorkingDir ?? process.cwd())
        setupEsbuildAssets(build, plugin.files, (id) => plugin.asset(id))
      },
    },
    vite: {
      configResolved(config) {
        viteCommand = config.command
        viteBase = config.base
        plugin.setRoot(config.root)
        plugin.log = (line) => config.logger.info(line)
      },
      // Vite copies files an HTML attribute names as they are: a ?rembg there would ship the original photo.
      // 'pre': before Vite rewrites the page's URLs to its own asset placeholders.
      transformIndexHtml: {
        order: 'pre',
        handler(html, context) {
          const source = findHtmlCutoutReference(html)
          if (source !== undefined) throw new Error(htmlNotSupported(source, context.filename))
        },
      },
      configureServer(server) {
        server.middlewares.use(dev.middleware)
      },
    },
  }
}

/** Stylesheet ids, as Vite recognises them (`/x.css`, `/App.vue?vue&type=style&index=0&lang.css`). */
const cssIdPattern = /\.(?:css|less|sass|scss|styl|stylus|pcss|postcss|sss)(?:$|\?)/

/** `url(x)`, `url('x')` or `url("x")` in a stylesheet. */
const cssUrlPattern = /url\(\s*(["']?)([^"')\s]+)\1\s*\)/g

/** The `url()` references of a stylesheet that ask for a cutout, with where each stands. */
export function findCssCutoutUrls(code: string): { source: string; start: number; end: number }[] {
  return [...code.matchAll(cssUrlPattern)]
    .filter((match) => isRembgId(match[2] ?? ''))
    .map((match) => ({ source: match[2] ?? '', start: match.index, end: match.index + match[0].length }))
}

/** The warning of a bundler whose stylesheets' url() references do not reach the plugin. */
export function cssNotSupported(source: string, stylesheet: string, bundler: string): string {
  return (
    `rembg-kit: url(${source}) in ${stylesheet} is not cut out: ${bundler} does not pass url() in CSS through ` +
    `the plugin, so the stylesheet keeps the original image. Import the image from JS instead`
  )
}

/** The first attribute value of an HTML page that asks for a cutout (`<img src="./hero.jpg?rembg">`). */
export function findHtmlCutoutReference(html: string): string | undefined {
  for (const match of html.matchAll(/\s(?:src|srcset|href|content)\s*=\s*(["'])(.*?)\1/gs)) {
    const candidate = (match[2] ?? '').split(/[\s,]+/).find((part) => isRembgId(part))
    if (candidate !== undefined) return candidate
  }
  return undefined
}

/** The error of a `?rembg` URL in an HTML page, which Vite copies as it is. */
export function htmlNotSupported(source: string, page: string): string {
  return (
    `rembg-kit: ${source} in ${page} is not cut out: Vite copies the files HTML names as they are. ` +
    'Import the image from a script, or use it in CSS url(), instead'
  )
}

/** `new URL('./a.jpg?rembg…', import.meta.url)` in a script: the URL string, when there is one. */
export function findNewUrlCutoutReference(code: string): string | undefined {
  for (const match of code.matchAll(/new\s+URL\s*\(\s*(["'`])([^"'`]*)\1\s*,\s*import\.meta\.url\s*\)/g)) {
    if (isRembgId(match[2] ?? '')) return match[2]
  }
  return undefined
}

/** The error of a `new URL(…?rembg…, import.meta.url)`, whose file Vite copies as it is. */
export function newUrlNotSupported(source: string, script: string): string {
  return (
    `rembg-kit: new URL('${source}', import.meta.url) in ${script} is not cut out: Vite copies the file it names as ` +
    `it is. Import the image instead: import url from '${source}'`
  )
}
