import { basename, extname } from 'node:path'
import type { EmitAsset } from '../load.js'

/** The part of Rollup's (and Vite's) plugin context that emits files. */
export interface EmitFileContext {
  emitFile(file: { type: 'asset'; name: string; source: Uint8Array }): string
}

/** `hero.jpg` cut out as webp is named `hero.webp`; the bundler adds the content hash (`assets/hero-[hash].webp`). */
export function assetName(file: string, extension: string): string {
  return `${basename(file, extname(file))}.${extension}`
}

/**
 * Rollup and Vite builds: the cutout becomes an emitted asset, named by `output.assetFileNames`. Rollup resolves
 * `import.meta.ROLLUP_FILE_URL_` relative to the chunk; Vite's `__VITE_ASSET__` placeholder gives a URL under `base`
 * (SSR builds included), as Vite's own asset imports do.
 */
export function rollupEmitter(context: EmitFileContext, style: 'rollup' | 'vite'): EmitAsset {
  return (result, file) => {
    const reference = context.emitFile({ type: 'asset', name: assetName(file, result.extension), source: result.data })
    return style === 'vite'
      ? { expression: JSON.stringify(`__VITE_ASSET__${reference}__`) }
      : { expression: `import.meta.ROLLUP_FILE_URL_${reference}` }
  }
}
