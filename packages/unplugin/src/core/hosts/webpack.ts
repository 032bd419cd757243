import { fileURLToPath } from 'node:url'
import type { EmitAsset } from '../load.js'
import type { AssetFiles } from './assets.js'

/** What the loader needs from the plugin instance that added its rules. */
export interface WebpackHost {
  cutoutCode(id: string, origin: { importer: string | undefined; source: string }): Promise<string>
  assetBytes(id: string): Promise<Buffer>
}

// Loaders are loaded by the bundler, possibly as another copy of this module: the registry lives on globalThis.
const registryKey = Symbol.for('@rembg-kit/unplugin:webpack-hosts')
type Registry = Map<string, WebpackHost>

export function webpackHosts(): Registry {
  const global = globalThis as { [registryKey]?: Registry }
  global[registryKey] ??= new Map()
  return global[registryKey]
}

let nextHostId = 0

/**
 * Marks the match resource of an asset module (`/app/src/hero.webp#rembg-asset`). A fragment, because asset names
 * use the match resource's `[name]`, `[ext]` and `[query]` but not its fragment, so the file is `hero.<hash>.webp`.
 */
const assetFragment = '#rembg-asset'

/**
 * webpack 5 and Rspack: a cutout import is a JS module (our loader) importing one asset module per file; each asset
 * module is `type: 'asset/resource'` whose match resource carries the source's name and the output's extension, so
 * `output.assetModuleFilename` (`[name]`, `[contenthash]`, `[ext]`) and `publicPath` apply as to any image.
 */
export function webpackEmitter(files: AssetFiles): EmitAsset {
  return (result, file) => {
    const request = files.add(result, file)
    return { importFrom: `${request.namedAs}${assetFragment}!=!${request.id}` }
  }
}

/** The rules to add to `module.rules` for one plugin instance. */
export function webpackRules(host: WebpackHost): object[] {
  const hostId = String(nextHostId++)
  webpackHosts().set(hostId, host)
  // Relative to the built file this code is bundled into: every file of dist, entries and chunks, sits at its root,
  // beside the loader's own entry (tsdown.config.ts).
  const loader = fileURLToPath(new URL('./webpack-loader.js', import.meta.url))
  return [
    {
      resourceQuery: /(?:^\?|&)rembg(?:[&=]|$)/,
      type: 'javascript/auto',
      use: [{ loader, options: { host: hostId, kind: 'cutout' } }],
    },
    {
      resourceFragment: assetFragment,
      type: 'asset/resource',
      use: [{ loader, options: { host: hostId, kind: 'asset' } }],
    },
  ]
}
