import { createHmac, randomBytes } from 'node:crypto'
import { JPG } from 'image-size/types/jpg'
import { PNG } from 'image-size/types/png'
import { WEBP } from 'image-size/types/webp'
import { readBmpSize } from './bmp.js'
import { defaultCacheDir, ResultCache } from './cache.js'
import { type CropOutcome, planCrop } from './crop.js'
import { createLocalEngine, type LocalEngineOptions } from './engines/local.js'
import { createRemoteEngine, type RemoteEngineOptions } from './engines/remote.js'
import { withFile } from './errors.js'
import { sha256 } from './hash.js'
import { checkDimensions, decodeInput, type ImageInput, inputName, type ReadInput, readInput } from './input.js'
import { parsePreset } from './option-checks.js'
import { canonicalParams, type RemoveParams, resolveParams } from './params.js'
import { SharedWork } from './shared-work.js'
import type { CallCallbacks, Engine, ResolvedParams } from './types.js'
import { type EngineName, fileExtensions, mimeTypes, type OutputFormat } from './values.js'

export interface RemoverOptions extends LocalEngineOptions, RemoteEngineOptions {
  /**
   * The engine that computes mattes: `'local'` (an ONNX model on this machine, built from the model options),
   * `'remote'` (the rembg.com API or a compatible server, built from `apiKey`, `baseUrl` and the retry options), or
   * an {@link Engine} of your own.
   * @default 'local'
   */
  engine?: EngineName | Engine
  /** Inferences (local) or requests (remote) in flight at once. @default 1 local, 4 remote */
  concurrency?: number
  /**
   * Where results are cached; `false` turns the cache off.
   * @default '<project>/node_modules/.cache/rembg-kit'
   */
  cacheDir?: string | false
  /**
   * The most the cache folder may hold, in bytes or as `'2GB'` (units of 1024); past it, the least recently used
   * entries are removed (a hit counts as a use).
   * @default unbounded
   */
  cacheMaxSize?: number | string
}

/**
 * One call's options: the output parameters, and this call's own callbacks (`log`, `onUploadProgress`,
 * `onDownloadProgress`, used instead of the remover's). A call that joins identical work already in flight shares its
 * result and hears nothing of that work: its events go to the call that started it.
 */
export interface RemoveOptions extends RemoveParams, CallCallbacks {
  /** Name used in error messages and for the extension check when the input is not a path. */
  fileName?: string
  signal?: AbortSignal
}

export interface RemoveResult {
  /** The encoded output file. */
  data: Buffer
  width: number
  height: number
  format: OutputFormat
  mime: string
  /** The file extension for `format` (`jpg` for jpeg). */
  extension: string
  /** Which cache levels answered: an output hit needed no decode and no inference; a matte hit needed no inference. */
  cache: { output: boolean; matte: boolean }
  /** The parameters as applied, defaults filled. */
  params: ResolvedParams
  /** Engine id and, for the local engine, the execution provider used (known once the model has run). */
  engine: { id: string; provider?: string }
  /**
   * Present when `crop` was asked for: `{ subject, box }`, the subject's bounding box and the box cut (margin
   * included; in the input's pixels, before resize and rotation; `left`/`top` negative where the canvas grew), or
   * `{ skipped }`, why the image was left whole (no pixel of the matte above `crop_threshold`). The same on a cache
   * hit: the box is recomputed from the cached matte, which costs a matte decode but no inference.
   */
  crop?: CropOutcome
}

/**
 * Holds one engine, one cache and the work in flight. Create one per process (or per plugin instance) and reuse it:
 * identical requests in flight share one promise, and every variant of an image (`w=400`, `format=png`, ...) costs
 * one inference.
 *
 * @example
 * const remover = createRemover({ model: 'isnet-general-use' })
 * const { data } = await remover.remove('photo.jpg', { format: 'png', w: 800 })
 */
export function createRemover(options: RemoverOptions = {}): Remover {
  return new Remover(options)
}

export class Remover {
  readonly engine: Engine
  readonly cache: ResultCache | null
  private readonly outputsInFlight = new SharedWork<RemoveResult>()
  private readonly mattesInFlight = new SharedWork<Uint8Array>()

  constructor(options: RemoverOptions = {}) {
    this.engine = createEngine(options)
    const { cacheDir = defaultCacheDir() } = options
    this.cache =
      cacheDir === false
        ? null
        : new ResultCache(cacheDir, {
            ...(options.log ? { log: options.log } : {}),
            ...(options.cacheMaxSize === undefined ? {} : { maxSize: options.cacheMaxSize }),
          })
  }

  async remove(input: ImageInput, options: RemoveOptions = {}): Promise<RemoveResult> {
    const fileName = inputName(input, options.fileName)
    try {
      const params = resolveParams(pickParams(options))
      const read = await readInput(input, { fileName })
      const matteKey = ResultCache.matteKey(sha256(read.bytes), await this.engine.fingerprint())
      const outputKey = ResultCache.outputKey(matteKey, canonicalParams(params))
      const callbacks = pick(options, callbackKeys) as CallCallbacks
      return await this.outputsInFlight.run(outputKey, options.signal, (signal) =>
        this.produce(read, params, matteKey, outputKey, signal, callbacks),
      )
    } catch (error) {
      throw withFile(error, fileName)
    }
  }

  private async produce(
    read: ReadInput,
    params: ResolvedParams,
    matteKey: string,
    outputKey: string,
    signal: AbortSignal,
    callbacks: CallCallbacks,
  ): Promise<RemoveResult> {
    const extension = fileExtensions[params.format]
    const cached = await this.cache?.readOutput(outputKey, extension)
    // The output cache holds bytes only; a crop's box is read again from the cached matte. Without that matte
    // (removed by hand) the output is made again, so the result never lacks the box it was cut with.
    const cachedCrop = cached && params.crop ? await this.cropFromCachedMatte(read, params, matteKey) : undefined
    if (cached && (!params.crop || cachedCrop)) {
      const size = readOutputSize(cached, params.format)
      return this.result(cached, size, params, { output: true, matte: true }, cachedCrop)
    }
    const image = await decodeInput(await checkDimensions(read))
    let matteHit = true
    const matte = await this.mattesInFlight.run(matteKey, signal, async (matteSignal) => {
      const stored = await this.cache?.readMatte(matteKey, image.width, image.height)
      if (stored) return stored
      matteHit = false
      const source = { bytes: read.bytes, format: read.format, ...(read.fileName ? { fileName: read.fileName } : {}) }
      const computed = await this.engine.matte({ ...image, source }, matteSignal, callbacks)
      await this.cache?.writeMatte(matteKey, computed, image.width, image.height, callbacks.log)
      return computed
    })
    // Loaded on the first miss: a process answered from the cache never composes.
    const { compose } = await import('./compose.js')
    const composed = await compose(image, matte, params)
    await this.cache?.writeOutput(outputKey, extension, composed.data, callbacks.log)
    return this.result(composed.data, composed, params, { output: false, matte: matteHit }, composed.crop)
  }

  private async cropFromCachedMatte(
    read: ReadInput,
    params: ResolvedParams,
    matteKey: string,
  ): Promise<CropOutcome | undefined> {
    const { width, height } = await checkDimensions(read)
    const matte = await this.cache?.readMatte(matteKey, width, height)
    return matte ? planCrop(matte, width, height, params) : undefined
  }

  private result(
    data: Buffer,
    size: { width: number; height: number },
    params: ResolvedParams,
    cache: RemoveResult['cache'],
    crop?: CropOutcome,
  ): RemoveResult {
    const provider = (this.engine as { provider?: string }).provider
    return {
      data,
      width: size.width,
      height: size.height,
      format: params.format,
      mime: mimeTypes[params.format],
      extension: fileExtensions[params.format],
      cache,
      params,
      engine: provider ? { id: this.engine.id, provider } : { id: this.engine.id },
      ...(crop === undefined ? {} : { crop }),
    }
  }
}

function createEngine(options: RemoverOptions): Engine {
  const { engine = 'local' } = options
  // Checked for every engine, so a typo fails the same way whatever the engine; only the local engine has presets
  // other than its one quality, and another engine asked for `fast` must not silently give the other.
  parsePreset(options.preset, engine)
  if (engine === 'remote') return createRemoteEngine(options)
  if (engine === 'local') return createLocalEngine(options)
  return engine
}

const callOnlyKeys: readonly string[] = ['fileName', 'signal', 'log', 'onUploadProgress', 'onDownloadProgress']

function pickParams(options: RemoveOptions): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (callOnlyKeys.includes(key)) continue
    params[key] = value
  }
  return params
}

/**
 * Reads the size of an encoded output from its header: a cache hit decodes nothing and loads no image library. The
 * format is known, so only its reader is loaded (image-size's index loads the readers of all its 20 formats).
 */
function readOutputSize(data: Buffer, format: OutputFormat): { width: number; height: number } {
  if (format === 'bmp') return readBmpSize(data)
  const { width, height } = outputSizeReaders[format].calculate(data)
  return { width, height }
}

const outputSizeReaders = { png: PNG, webp: WEBP, jpeg: JPG } as const

export interface RemoveBackgroundOptions extends RemoveOptions, RemoverOptions {}

// The options that decide what a remover is (its engine, model, cache...). The callbacks are not among them: they
// belong to each call, so calls with inline callbacks share one remover.
const removerOptionKeys = [
  'engine',
  'cacheDir',
  'cacheMaxSize',
  'model',
  'modelInput',
  'modelOutput',
  'allowNonCommercial',
  'mirror',
  'concurrency',
  'threads',
  'provider',
  'requireProvider',
  'winograd',
  'preset',
  'apiKey',
  'baseUrl',
  'retries',
  'retryBudgetMs',
  'retryBaseMs',
  'timeoutMs',
] as const satisfies readonly (keyof RemoverOptions)[]
const callbackKeys = [
  'log',
  'onUploadProgress',
  'onDownloadProgress',
] as const satisfies readonly (keyof CallCallbacks)[]
// Fails to compile when a remover option is added but not to one of these lists (it would be taken as a parameter).
const everyRemoverOption: Exclude<
  keyof RemoverOptions,
  (typeof removerOptionKeys)[number] | (typeof callbackKeys)[number]
> extends never
  ? true
  : never = true
void everyRemoverOption

/**
 * How many removers `removeBackground` keeps, the least recently used dropped first. A dropped remover's calls in
 * flight finish; its engine's model session stays loaded for the next remover of that model (sessions are one per
 * model and process, see engines/local.ts), so a dropped remover costs its result cache's counters and nothing else.
 */
export const removerPoolLimit = 8
// Most recently used last (a Map keeps insertion order).
const removerPool = new Map<string, Remover>()

/**
 * The remover `removeBackground` uses for these options: one per distinct engine configuration, shared by every call
 * with that configuration whatever its callbacks, and at most {@link removerPoolLimit} of them.
 *
 * @internal exported for tests and diagnostics; not part of the public API.
 * @example
 * pooledRemover({ model: 'u2net' }) === pooledRemover({ model: 'u2net', log: console.log }) // true
 */
export function pooledRemover(options: RemoverOptions): Remover {
  const key = removerPoolKey(options)
  let remover = removerPool.get(key)
  if (remover) removerPool.delete(key)
  else remover = new Remover(pick(options, removerOptionKeys) as RemoverOptions)
  removerPool.set(key, remover)
  if (removerPool.size > removerPoolLimit) removerPool.delete(removerPool.keys().next().value as string)
  return remover
}

/** How many removers `removeBackground` holds now. @internal for tests and diagnostics. */
export function pooledRemoverCount(): number {
  return removerPool.size
}

// A per-process secret, so that a pool key carries which API key was used without the key or a hash that could be
// checked against a guess.
const apiKeySalt = randomBytes(16)

/** The remover options as one canonical string (keys sorted); an engine object by its identity, the API key by an HMAC. */
function removerPoolKey(options: RemoverOptions): string {
  const chosen = pick(options, removerOptionKeys)
  if (typeof options.engine === 'object') chosen.engine = `engine #${objectId(options.engine)}`
  // The key may come from the environment, which can change between calls.
  const apiKey = options.apiKey || process.env.REMBG_API_KEY
  chosen.apiKey = apiKey ? createHmac('sha256', apiKeySalt).update(apiKey).digest('hex') : undefined
  return JSON.stringify(chosen, sortedKeys)
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const objectIds = new WeakMap<object, number>()
let objectCount = 0
function objectId(value: object): number {
  let id = objectIds.get(value)
  if (id === undefined) {
    id = ++objectCount
    objectIds.set(value, id)
  }
  return id
}

function pick(options: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => keys.includes(key) && value !== undefined))
}

/**
 * Removes the background of one image. Input: a path, a Buffer/Uint8Array/ArrayBuffer, or `{ base64 }` (a data URL
 * too); the format is sniffed from the bytes, no MIME type needed. Output parameters are the rembg.com API's
 * (`format, w, h, exact_resize, mask, bg_color, angle, expand`); engine options (`model`, `cacheDir`, `threads`...)
 * choose how the matte is made. Calls with the same engine options share one remover (loaded model, cache, work in
 * flight), whatever their callbacks (`log`, progress), which each call keeps for itself.
 *
 * @example
 * import { writeFile } from 'node:fs/promises'
 * const { data, extension } = await removeBackground('hero.jpg', { format: 'png', w: 800 })
 * await writeFile(`hero.${extension}`, data)
 */
export function removeBackground(input: ImageInput, options: RemoveBackgroundOptions = {}): Promise<RemoveResult> {
  const remover = pooledRemover(options)
  const callOptions = Object.fromEntries(
    Object.entries(options).filter(([key]) => !(removerOptionKeys as readonly string[]).includes(key)),
  ) as RemoveOptions
  return remover.remove(input, callOptions)
}
