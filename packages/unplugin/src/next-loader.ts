/**
 * The Next.js loader of @rembg-kit/unplugin (added by `withRembg`, never by hand). It needs nothing but its options
 * (plain JSON) and core, because Turbopack runs loaders in workers that share no state with the config:
 * - Turbopack (`kind: 'image'`): returns the cutout's bytes; the rule's `as: '*.webp'` (or png, jpeg) makes Next treat
 *   them as a static image, emitted to `.next/static/media` and imported as `{ src, width, height, blurDataURL }`.
 * - webpack (`kind: 'module'`): does what Next's own `next-image-loader` does with the cutout: emits it to
 *   `static/media` from the client and the server compilations alike and returns the static image module.
 */
import { createHash } from 'node:crypto'
import { basename, extname, join, relative } from 'node:path'
import { createRemover, type OutputFormat, type RemoveResult, type Remover, type ResolvedParams } from '@rembg-kit/core'
import { cutoutError } from './core/errors.js'
import { createIdFilter } from './core/filter.js'
import { dataUrl } from './core/module-code.js'
import { type CutoutRequest, parseCutoutId } from './core/query.js'
import { type NextLoaderOptions, readPatterns } from './next/options.js'

interface LoaderContext {
  async(): (error: Error | null, result?: string | Buffer) => void
  getOptions(): NextLoaderOptions
  resourcePath: string
  resourceQuery: string
  rootContext?: string
  emitFile?(name: string, content: Buffer): void
  addDependency?(file: string): void
  _module?: { rawRequest?: string }
  _compilation?: { moduleGraph?: { getIssuer(module: unknown): { resource?: string } | null } }
}

export const raw = true

/** The output formats Next serves as static images. */
const staticFormats: readonly OutputFormat[] = ['webp', 'png', 'jpeg']

/** Next's blur placeholders are 8 px on their longer side. */
const blurSize = 8

export default function rembgNextLoader(this: LoaderContext): void {
  const callback = this.async()
  const id = `${this.resourcePath}${this.resourceQuery}`
  run(this, id).then(
    (result) => callback(null, result),
    (error: unknown) => callback(cutoutError(error, id, originOf(this, id))),
  )
}

async function run(context: LoaderContext, id: string): Promise<string | Buffer> {
  const options = context.getOptions()
  const root = context.rootContext || process.cwd()
  if (!createIdFilter(readPatterns(options), root)(id)) {
    throw new Error(`'${relative(root, id)}' asks for rembg but is excluded by the plugin's include/exclude options`)
  }
  const request = parseCutoutId(id, options.defaults)
  const params = staticImageParams(request)
  const remover = removerFor({ ...options, preset: request.preset ?? options.preset }, root)
  const result = await remover.remove(context.resourcePath, params)
  if (options.logLevel === 'verbose') console.log(describe(root, context.resourcePath, result))
  if (options.kind === 'image') return checkedBytes(result, options.format)
  return staticImageModule(context, options, result, await remover.remove(context.resourcePath, blurParams(result)))
}

/**
 * In Next a cutout import is a static image (`StaticImageData`), one file: next/image makes the other sizes from it.
 */
function staticImageParams(request: CutoutRequest): ResolvedParams {
  const asked = [
    request.as === 'url' ? undefined : `as=${request.as}`,
    request.inline ? 'inline' : undefined,
    request.variants.length > 1 ? 'several sizes' : undefined,
  ].filter((item) => item !== undefined)
  if (asked.length > 0) {
    throw new Error(
      `In Next.js a ?rembg import is a static image ({ src, width, height }), one file: ${asked.join(', ')} is not ` +
        `supported (next/image makes the other sizes and the placeholder)`,
    )
  }
  const params = request.variants[0] as ResolvedParams
  if (!staticFormats.includes(params.format)) {
    throw new Error(`format=${params.format} is not a static image format of Next.js: use webp, png or jpeg`)
  }
  return params
}

/** Turbopack's rule names the output's type (`as: '*.png'`) from the query: the bytes must be of that format. */
function checkedBytes(result: RemoveResult, expected: NextLoaderOptions['format']): Buffer {
  if (result.format === expected) return result.data
  // A format the rules' patterns did not see, e.g. `format=PNG`.
  throw new Error(`write the format in lower case for Next.js: format=${result.format}`)
}

/** The module `next-image-loader` writes for an image, with the cutout emitted where Next serves static media. */
function staticImageModule(
  context: LoaderContext,
  options: NextLoaderOptions,
  result: RemoveResult,
  blur: RemoveResult,
): string {
  const hash = createHash('sha256').update(result.data).digest('hex').slice(0, 8)
  const name = `/static/media/${basename(context.resourcePath, extname(context.resourcePath))}.${hash}.${result.extension}`
  // The same paths as next-image-loader: the server compilations write from their own output folder.
  const upward =
    options.compilerType === 'client' ? '' : options.dev || options.compilerType === 'edge-server' ? '..' : '../..'
  context.emitFile?.(join(upward, name).replace(/^\/+/, ''), result.data)
  const image = {
    src: `${options.assetPrefix}/_next${name}`,
    height: result.height,
    width: result.width,
    blurDataURL: dataUrl(blur),
    blurWidth: blur.width,
    blurHeight: blur.height,
  }
  return `export default ${JSON.stringify(image)};\n`
}

/** The same cutout, 8 px on its longer side, as webp: Next's `blurDataURL`. */
function blurParams(result: RemoveResult): ResolvedParams {
  const wide = result.width >= result.height
  return {
    ...result.params,
    format: 'webp',
    w: wide ? blurSize : null,
    h: wide ? null : blurSize,
    exact_resize: false,
  }
}

// One Remover per set of options in each loader process (a Turbopack worker, or the webpack compiler's process).
const removers = new Map<string, Remover>()

function removerFor(options: NextLoaderOptions, root: string): Remover {
  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'rembg-kit')
  const key = JSON.stringify([
    options.engine,
    options.model,
    options.preset,
    options.baseUrl,
    cacheDir,
    options.concurrency,
  ])
  let remover = removers.get(key)
  if (!remover) {
    remover = createRemover({
      engine: options.engine,
      cacheDir,
      concurrency: options.concurrency,
      preset: options.preset,
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      // The remote engine's key comes from REMBG_API_KEY: loader options are written to Next's caches.
      log: options.logLevel === 'silent' ? () => {} : (line) => console.log(line),
    })
    removers.set(key, remover)
  }
  return remover
}

function describe(root: string, file: string, result: RemoveResult): string {
  const source = result.cache.output ? 'from cache' : result.cache.matte ? 'matte reused' : 'inference'
  return `rembg-kit: ${relative(root, file)} -> ${result.width}x${result.height} ${result.format} (${source})`
}

/** The importing module and the import string, where webpack knows them (Turbopack names the module itself). */
function originOf(context: LoaderContext, id: string): { importer: string | undefined; source: string } {
  const module = context._module
  let importer: string | undefined
  try {
    importer = module && context._compilation?.moduleGraph?.getIssuer(module)?.resource
  } catch {
    importer = undefined
  }
  return { importer, source: module?.rawRequest ?? id }
}
