import type { RemoveResult } from '@rembg-kit/core'
import type { Cutouts } from './cutouts.js'
import { cutoutError, type ImportOrigin } from './errors.js'
import { type AssetUrl, cutoutModule, dataUrl, type ModuleFormat } from './module-code.js'
import type { ResolvedOptions } from './options.js'
import { parseCutoutId } from './query.js'

/** How one bundler publishes a cutout file: it returns the code that gives the file's public URL. */
export type EmitAsset = (result: RemoveResult, file: string) => AssetUrl | Promise<AssetUrl>

/**
 * The whole of a cutout import, for every bundler: parse the id, make the cutouts, publish each through the
 * bundler's asset pipeline (or inline it), and write the module. Any failure becomes one build error naming the
 * importing file and the import string.
 */
export async function loadCutout(
  id: string,
  origin: ImportOrigin | undefined,
  context: { options: ResolvedOptions; cutouts: Cutouts; emit: EmitAsset; format?: ModuleFormat },
): Promise<string> {
  try {
    const request = parseCutoutId(id, context.options.defaults)
    const rendered = await context.cutouts.render(request)
    const urls = await Promise.all(
      rendered.variants.map((result) =>
        request.inline ? { expression: JSON.stringify(dataUrl(result)) } : context.emit(result, request.file),
      ),
    )
    return cutoutModule(request, rendered, urls, context.format)
  } catch (error) {
    throw cutoutError(error, id, origin)
  }
}

/**
 * The URL of a cutout referenced from CSS (`url(./hero.jpg?rembg&w=800)`): one file, as a string the stylesheet can
 * hold. Vite's emitted-asset placeholder (`__VITE_ASSET__…__`) is resolved in CSS by Vite itself, under `base`.
 */
export async function loadCutoutUrl(
  id: string,
  origin: ImportOrigin,
  context: { options: ResolvedOptions; cutouts: Cutouts; emit: EmitAsset },
): Promise<string> {
  try {
    const request = parseCutoutId(id, context.options.defaults)
    if (request.as !== 'url' || request.variants.length > 1) {
      throw new Error(`url() in CSS takes one URL: as=${request.as} and several sizes are for imports from JS`)
    }
    const rendered = await context.cutouts.render(request)
    const result = rendered.variants[0] as RemoveResult
    if (request.inline) return dataUrl(result)
    const url = await context.emit(result, request.file)
    if (!('expression' in url)) throw new Error('this bundler gives no URL string for a cutout in CSS')
    return JSON.parse(url.expression) as string
  } catch (error) {
    throw cutoutError(error, id, origin)
  }
}
