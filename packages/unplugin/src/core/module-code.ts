import type { OutputFormat, RemoveResult } from '@rembg-kit/core'
import type { RenderedCutout } from './cutouts.js'
import type { CutoutRequest } from './query.js'

/** The default export of an `&as=meta` import (the client types declare the same shape). */
export interface RembgImageMeta {
  /** URL of the widest size (a data URL with `&inline`). */
  src: string
  width: number
  height: number
  /** Never `bmp`: `as=meta` refuses it. */
  format: Exclude<OutputFormat, 'bmp'>
  /** `url 320w, url 640w`: present when several sizes were asked for. */
  srcset?: string
  /** A 20 px wide webp data URL of the cutout; present when several sizes were asked for. */
  placeholder?: string
}

/** How a bundler refers to one emitted file in code: an expression giving its URL, or a module whose default is it. */
export type AssetUrl = { expression: string } | { importFrom: string }

/** The data URL of a result (`&inline`, placeholders). */
export function dataUrl(result: RemoveResult): string {
  return `data:${result.mime};base64,${result.data.toString('base64')}`
}

/**
 * How a cutout module is written: ES (Vite, Rollup, esbuild), or CommonJS for webpack and Rspack, whose `new URL()`
 * and `require()` of a module (css-loader's url() references) give its `module.exports`, not an ES default export.
 */
export type ModuleFormat = 'esm' | 'commonjs'

/**
 * The JS module of one cutout import: imports of the bundler's asset modules, then the default export the query
 * asked for (URL string, srcset string, or meta object).
 *
 * @example
 * cutoutModule(request, rendered, [{ expression: '"/assets/a-1b2c.webp"' }])
 * // 'export default "/assets/a-1b2c.webp"\n'
 */
export function cutoutModule(
  request: CutoutRequest,
  rendered: RenderedCutout,
  urls: AssetUrl[],
  format: ModuleFormat = 'esm',
): string {
  const imports: string[] = []
  const expressions = urls.map((url, index) => {
    if ('expression' in url) return url.expression
    const name = `__rembg_${index}`
    const from = JSON.stringify(url.importFrom)
    imports.push(format === 'esm' ? `import ${name} from ${from}` : `const ${name} = require(${from})`)
    return name
  })
  const exported = format === 'esm' ? 'export default' : 'module.exports ='
  return `${imports.map((line) => `${line}\n`).join('')}${exported} ${defaultExport(request, rendered, expressions)}\n`
}

function defaultExport(request: CutoutRequest, rendered: RenderedCutout, urls: string[]): string {
  const srcset = () =>
    rendered.variants.map((result, index) => `${urls[index]} + " ${result.width}w"`).join(' + ", " + ')
  if (request.as === 'srcset') return srcset()
  if (request.as === 'url') return urls[0] as string
  const largest = largestIndex(rendered.variants)
  const main = rendered.variants[largest] as RemoveResult
  const fields = [
    `src: ${urls[largest]}`,
    `width: ${main.width}`,
    `height: ${main.height}`,
    `format: ${JSON.stringify(main.format)}`,
  ]
  if (rendered.variants.length > 1) fields.push(`srcset: ${srcset()}`)
  if (rendered.placeholder) fields.push(`placeholder: ${JSON.stringify(dataUrl(rendered.placeholder))}`)
  return `{ ${fields.join(', ')} }`
}

/** The widest variant is the `src` of a meta object: the one a browser without srcset support should get. */
function largestIndex(results: RemoveResult[]): number {
  return results.reduce((best, result, index) => (result.width > (results[best]?.width ?? 0) ? index : best), 0)
}
