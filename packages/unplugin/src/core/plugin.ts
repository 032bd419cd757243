import { dirname, isAbsolute, resolve } from 'node:path'
import type { RemoveResult } from '@rembg-kit/core'
import type { UnpluginContextMeta, UnpluginFactory, UnpluginOptions } from 'unplugin'
import { Cutouts } from './cutouts.js'
import type { ImportOrigin } from './errors.js'
import { createIdFilter } from './filter.js'
import { AssetFiles, readAssetId } from './hosts/assets.js'
import { esbuildEmitter, setupEsbuildAssets } from './hosts/esbuild.js'
import { type EmitFileContext, rollupEmitter } from './hosts/rollup.js'
import { DevAssets } from './hosts/vite-dev.js'
import { webpackEmitter, webpackRules } from './hosts/webpack.js'
import { type EmitAsset, loadCutout } from './load.js'
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

  constructor(
    private readonly userOptions: Options,
    private root: string = process.cwd(),
  ) {
    this.options = resolveOptions(userOptions, root)
  }

  /** Vite's root is known once its config is resolved; the cache folder sits under it. */
  setRoot(root: string): void {
    if (root === this.root) return
    this.root = root
    this.options = resolveOptions(this.userOptions, root)
    this.cutoutsOfRoot = undefined
  }

  get cutouts(): Cutouts {
    this.cutoutsOfRoot ??= new Cutouts(this.options, this.root, (line) => this.log(line))
    return this.cutoutsOfRoot
  }

  load(id: string, emit: EmitAsset, origin?: ImportOrigin): Promise<string> {
    return loadCutout(id, origin ?? this.origins.get(id), { options: this.options, cutouts: this.cutouts, emit })
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

  idFilter(): (id: string) => boolean {
    return createIdFilter(this.options, this.root)
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
  options: { module: { rules: unknown[] } }
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
  const include = plugin.idFilter()
  const emit = webpackEmitter(plugin.files)
  return (compiler) => {
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
        cutoutCode: (id, origin) =>
          include(id) ? plugin.load(id, emit, plugin.origins.get(id) ?? origin) : Promise.reject(excluded(id)),
        assetBytes: async (id) => (await plugin.asset(id)).data,
      }),
    )
  }
}

function excluded(id: string): Error {
  return new Error(`rembg-kit: '${id}' is excluded by the plugin's include/exclude options`)
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
      filter: { id: { include: plugin.options.include ?? rembgIdPattern, exclude: plugin.options.exclude } },
      handler(id) {
        if (!isRembgId(id)) return null
        this.addWatchFile(splitId(id).file)
        return plugin.load(id, emitterFor(this))
      },
    },
    esbuild: {
      loader: 'js',
      setup: (build) => setupEsbuildAssets(build, plugin.files, (id) => plugin.asset(id)),
    },
    vite: {
      configResolved(config) {
        viteCommand = config.command
        viteBase = config.base
        plugin.setRoot(config.root)
        plugin.log = (line) => config.logger.info(line)
      },
      configureServer(server) {
        server.middlewares.use(dev.middleware)
      },
    },
  }
}
