/**
 * @rembg-kit/unplugin: `import hero from './hero.jpg?rembg&w=800'` gives the URL of an emitted cutout, in Vite,
 * webpack, Rollup, esbuild and Rspack. Import the entry of your bundler (`@rembg-kit/unplugin/vite`, ...); this entry
 * holds the unplugin instance for other hosts, the option types and `resolveOptions`.
 */
import { createUnplugin, type UnpluginInstance } from 'unplugin'
import type { Options } from './core/options.js'
import { unpluginFactory } from './core/plugin.js'

export type { RembgImageMeta } from './core/module-code.js'
export type { EngineName, LogLevel, Options, ResolvedOptions } from './core/options.js'
export { resolveOptions } from './core/options.js'
export type { CutoutRequest, OutputKind } from './core/query.js'
export { parseCutoutId } from './core/query.js'
export type { SummaryCounts } from './core/summary.js'
export { formatSummary } from './core/summary.js'
export { unpluginFactory }

/**
 * The plugin for every bundler unplugin supports: `rembg.vite(options)`, `rembg.webpack(options)`, ...
 *
 * @example
 * import { rembg } from '@rembg-kit/unplugin'
 * export default { plugins: [rembg.rollup({ model: 'isnet-imgly' })] }
 */
export const rembg: UnpluginInstance<Options | undefined, false> = /* #__PURE__ */ createUnplugin(unpluginFactory)

export default rembg
