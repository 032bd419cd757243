import { existsSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { RembgError } from '../errors.js'
import { rememberedSha256 } from '../file-facts.js'
import { sha256 } from '../hash.js'
import { imglyDataDir, readImglyResource } from '../models/imgly.js'
import { customModelSpec, type ModelSpec, models } from '../models/registry.js'
import { ensureModel, modelDirs } from '../models/store.js'
import { checkRuntimeInstalled, defaultThreads, type SessionOptions } from '../onnx/session.js'
import { parseIntegerOption, parsePreset } from '../option-checks.js'
import { modelPresets, presetInput } from '../presets.js'
import type { CallCallbacks, Engine, RawImage } from '../types.js'
import type { Preset } from '../values.js'
import { Limiter } from './limit.js'
import type { LoadedModel, LoadedSession } from './local-session.js'

export type { LoadedModel } from './local-session.js'

export interface LocalEngineOptions extends SessionOptions {
  /**
   * A model name from the registry (`rembg-kit models`) or a path to an `.onnx` file.
   * @default 'isnet-general-use'
   */
  model?: string
  /** Input spec of a custom `.onnx` model (size, mean, std, scale); ignored for registry models. */
  modelInput?: Partial<ModelSpec['input']>
  /** Post-processing of a custom model's first output. @default 'minmax' */
  modelOutput?: ModelSpec['output']
  /** Allow a model whose licence forbids commercial use (BRIA RMBG). @default false */
  allowNonCommercial?: boolean
  /** Base URL to download registry models from instead of their release URL (also `REMBG_KIT_MODEL_MIRROR`). */
  mirror?: string
  /** Inferences run at once by this engine; the threads are divided between them. @default 1 */
  concurrency?: number
  /**
   * Run the model's large 3x3 convolutions in Winograd form on the CPU: about 18 % faster for IS-Net, at about 0.5 GB
   * more memory and a converted model file three times as large. Ignored for other providers.
   * @default false
   */
  winograd?: boolean
  /**
   * `'quality'` runs the model at the input size it was trained at; `'fast'` at a smaller one (640x640 for IS-Net,
   * about 0.45x the time per image; what it costs is in the README and `rembg-kit models`). IS-Net models only.
   * @default 'quality'
   */
  preset?: Preset
}

// One session per model file and options per process: creating and releasing sessions leaks native memory
// (onnxruntime #25325), and loading costs about half a second.
const sessions = new Map<string, Promise<LoadedSession>>()

/** Resolves `model` (registry name or `.onnx` path) to its spec, refusing unknown names and unlicensed models. */
export function resolveModelSpec(options: LocalEngineOptions): ModelSpec {
  const name = options.model ?? 'isnet-general-use'
  const registered = models[name]
  if (registered) {
    if (registered.nonCommercial && !options.allowNonCommercial) {
      throw new RembgError(
        `Model '${name}' is licensed ${registered.license} (non-commercial use only). Pass allowNonCommercial: true (CLI: --allow-non-commercial) if your use is non-commercial.`,
        { status: 400, code: 'MODEL_NON_COMMERCIAL', field: 'model' },
      )
    }
    return registered
  }
  if (name.endsWith('.onnx') || existsSync(name)) {
    return customModelSpec(resolvePath(name), options.modelInput, options.modelOutput)
  }
  throw new RembgError(
    `Unknown model '${name}'. Known models: ${Object.keys(models).join(', ')}; or pass a path to an .onnx file.`,
    { status: 400, code: 'UNKNOWN_MODEL', field: 'model' },
  )
}

/**
 * The local engine: an ONNX model run by onnxruntime-node. The model file is found or fetched, converted once to the
 * fastest form for this CPU (fp32, pruned to the output we read), and loaded once per process; nothing of this
 * happens until the first matte is needed, so a build whose results are all cached never loads a model.
 *
 * @example
 * const engine = createLocalEngine({ model: 'isnet-general-use' })
 * const matte = await engine.matte(image)
 */
export function createLocalEngine(options: LocalEngineOptions = {}): LocalEngine {
  return new LocalEngine(options)
}

export class LocalEngine implements Engine {
  readonly id = 'local'
  readonly spec: ModelSpec
  readonly preset: Preset
  /** The model's input as this preset runs it. */
  private readonly input: ModelSpec['input']
  private readonly limiter: Limiter
  private fingerprintPromise: Promise<string> | undefined
  /** The execution provider in use, known once the session is loaded. */
  provider: string | undefined

  constructor(private readonly options: LocalEngineOptions) {
    // Found (not loaded) now: without the runtime the engine fails here with the install command, before any download.
    checkRuntimeInstalled()
    this.spec = resolveModelSpec(options)
    this.preset = parsePreset(options.preset)
    this.input = presetInput(this.spec, this.preset) ?? noPreset(this.spec, this.preset)
    // Checked here, so a bad count fails at creation with core's message instead of a queue that never starts.
    this.limiter = new Limiter(parseIntegerOption('concurrency', options.concurrency ?? 1))
    if (options.threads !== undefined) parseIntegerOption('threads', options.threads)
  }

  /** Model name + a checksum of its weights; computed without loading the model (cache hits must stay cheap). */
  fingerprint(): Promise<string> {
    // `quality` keeps the fingerprint it had before presets existed, so caches made then still answer; any other
    // preset names itself and its input size, so its mattes are never served for another preset's request.
    const preset = this.preset === 'quality' ? '' : `:${this.preset}-${this.input.width}`
    this.fingerprintPromise ??= modelChecksum(this.spec).then((sum) => `local:${this.spec.name}:${sum}${preset}`)
    return this.fingerprintPromise
  }

  /**
   * Loads the model (download, conversion and session creation as needed) without running it. `log` (else the
   * engine's own) hears the notes of the load, when this call is the one that loads.
   */
  load(log = this.options.log): Promise<LoadedModel> {
    return this.open(log)
  }

  private async open(log: ((line: string) => void) | undefined): Promise<LoadedSession> {
    const { spec, options } = this
    // Inferences running side by side share the cores instead of each taking all of them.
    const threads = options.threads ?? defaultThreads(options.concurrency ?? 1)
    const size = this.input === spec.input ? undefined : this.input.width
    const key = [spec.name, threads, options.provider, options.requireProvider, options.winograd, size].join('\0')
    let loading = sessions.get(key)
    if (!loading) {
      const request = { ...options, threads, ...(log ? { log } : {}) }
      loading = import('./local-session.js').then(({ openSession }) => openSession(spec, request, size))
      sessions.set(key, loading)
      loading.catch(() => sessions.delete(key))
    }
    const loaded = await loading
    this.provider = loaded.provider
    return loaded
  }

  async matte(image: RawImage, signal?: AbortSignal, callbacks?: CallCallbacks): Promise<Uint8Array> {
    const loaded = await this.open(callbacks?.log ?? this.options.log)
    return this.limiter.run(async () => {
      signal?.throwIfAborted()
      return loaded.run(image, this.input)
    })
  }
}

/** The error for a preset the model does not have (only the IS-Net models have `fast`). */
function noPreset(spec: ModelSpec, preset: Preset): never {
  const withIt = Object.values(models)
    .filter((model) => modelPresets(model).includes(preset))
    .map((model) => model.name)
  throw new RembgError(
    `Model '${spec.name}' has no '${preset}' preset (it has: ${modelPresets(spec).join(', ')}). Models with it: ${withIt.join(', ')}.`,
    { status: 400, code: 'PRESET_UNSUPPORTED', field: 'preset' },
  )
}

const fileChecksums = new Map<string, Promise<string>>()

/** A checksum that identifies the weights: the registry's where it has one, else the file's sha256 (once). */
async function modelChecksum(spec: ModelSpec): Promise<string> {
  const source = spec.source
  if (source.kind === 'url' && (source.sha256 || source.md5)) return (source.sha256 ?? source.md5) as string
  const imglyDir = source.kind === 'imgly' ? imglyDataDir() : null
  if (source.kind === 'imgly' && imglyDir) {
    // The chunk hashes in resources.json identify the weights without reading 88 MB.
    const { chunks } = await readImglyResource(source.variant, imglyDir)
    return sha256(...chunks.map((chunk) => chunk.hash))
  }
  const path = source.kind === 'file' ? source.path : await ensureModel(spec)
  let sum = fileChecksums.get(path)
  if (!sum) {
    sum = rememberedSha256(path, modelDirs().home)
    fileChecksums.set(path, sum)
  }
  return sum
}
