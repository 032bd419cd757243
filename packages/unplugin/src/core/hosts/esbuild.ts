import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type { RemoveResult } from '@rembg-kit/core'
import type { PluginBuild } from 'esbuild'
import type { EmitAsset } from '../load.js'
import { type AssetFiles, assetIdPattern } from './assets.js'

const namespace = 'rembg-kit-asset'

/** esbuild: a cutout import imports each file, which esbuild's `file` loader writes next to the bundle, hashed. */
export function esbuildEmitter(files: AssetFiles): EmitAsset {
  return (result, file) => ({ importFrom: files.add(result, file).id })
}

/**
 * Resolves asset imports to a path ending in the output's extension (esbuild names files `[name]-[hash][ext]` from
 * it) and loads their bytes with the `file` loader, so `assetNames`, `outdir` and `publicPath` apply.
 */
export function setupEsbuildAssets(
  build: PluginBuild,
  files: AssetFiles,
  remake: (id: string) => Promise<RemoveResult>,
): void {
  build.onResolve({ filter: assetIdPattern }, (args) => {
    // One module per file: a folder named by the id's hash keeps them apart (a suffix would end up in the URL).
    const named = files.namedAs(args.path)
    const folder = `rembg-${createHash('sha256').update(args.path).digest('hex').slice(0, 12)}`
    return { path: join(dirname(named), folder, basename(named)), namespace, pluginData: args.path }
  })
  build.onLoad({ filter: /.*/, namespace }, async (args) => {
    const id = args.pluginData as string
    const result = files.get(id) ?? (await remake(id))
    return { contents: result.data, loader: 'file' }
  })
}
