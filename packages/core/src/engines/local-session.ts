/**
 * The local engine's heavy half, loaded by engines/local.ts on the first matte it makes: finding or fetching the
 * model, converting it, creating its onnxruntime session, and running it. A process whose results all come from the
 * cache (a warm build, a re-run action) never loads this module, the ONNX conversion code or the runtime.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import type { ModelSpec } from '../models/registry.js'
import { ensureModel, modelDirs } from '../models/store.js'
import { optimizeModel } from '../onnx/optimize.js'
import type { SessionForm } from '../onnx/saved-form.js'
import { createSession, loadRuntime, logLine, type SessionOptions } from '../onnx/session.js'
import { loadSharp } from '../sharp.js'
import type { RawImage } from '../types.js'

/** A loaded model: the provider running it and where its session came from. */
export interface LoadedModel {
  provider: string
  /** Whether the session came from its saved form (see onnx/saved-form.ts). */
  form: SessionForm
  spec: ModelSpec
}

// The session stays out of the public types: they must compile where the optional onnxruntime-node is not installed.
export interface LoadedSession extends LoadedModel {
  session: ort.InferenceSession
  /** The matte of one image, the model run at `input` (its size for the engine's preset). */
  run(image: RawImage, input: ModelSpec['input']): Promise<Uint8Array>
}

/** What opening a session needs of the engine's options, `threads` decided. */
export interface OpenOptions extends SessionOptions {
  threads: number
  mirror?: string | undefined
  winograd?: boolean | undefined
}

export async function openSession(
  spec: ModelSpec,
  options: OpenOptions,
  inputSize: number | undefined,
): Promise<LoadedSession> {
  const source = await ensureModel(spec, options.mirror ? { mirror: options.mirror } : {})
  // Converted files go to our model folder: a user's own .onnx may sit where we cannot write.
  const winograd = options.winograd === true && (options.provider ?? 'cpu') === 'cpu'
  const sized = inputSize === undefined ? {} : { inputSize }
  const optimized = await optimizeModel(source, { cacheDir: modelDirs().home, winograd, ...sized })
  const created = await createSession(optimized.path, options, savedFormDir())
  // Once per model and process: which provider really runs it (a fallback to cpu has already said why).
  const preset = inputSize === undefined ? '' : `, preset fast (${inputSize}x${inputSize})`
  logLine(
    options,
    `rembg-kit: model ${spec.name} on ${created.provider}, ${options.threads} threads${preset}${formNotes[created.form]}`,
  )
  return { ...created, spec, run: (image, input) => runModel(created.session, spec, image, input) }
}

const formNotes: Record<SessionForm, string> = {
  saved: ', saved session form',
  built: ', session form saved for the next runs',
  unsaved: '',
}

/** Where the engine keeps the saved session forms of its models (see onnx/saved-form.ts). */
function savedFormDir(): string {
  return join(modelDirs().home, 'sessions')
}

/** Resizes to the model's input and normalises: value = (pixel * scale - mean) / std, planar RGB (NCHW). */
async function toTensorData(image: RawImage, spec: ModelSpec['input']): Promise<Float32Array> {
  const rgb = await loadSharp()(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .removeAlpha()
    .resize(spec.width, spec.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer()
  const plane = spec.width * spec.height
  const data = new Float32Array(3 * plane)
  for (let channel = 0; channel < 3; channel++) {
    const mean = spec.mean[channel] as number
    const factor = spec.scale / (spec.std[channel] as number)
    const offset = mean / (spec.std[channel] as number)
    const out = channel * plane
    for (let i = 0; i < plane; i++) data[out + i] = (rgb[i * 3 + channel] as number) * factor - offset
  }
  return data
}

/** The first `count` values of the model's output as an 8-bit matte, by the model's own post-processing. */
export function toMatte(values: Float32Array, count: number, kind: ModelSpec['output']): Uint8Array {
  const matte = new Uint8Array(count)
  let min = 0
  let range = 1
  if (kind === 'minmax') {
    min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    for (let i = 0; i < count; i++) {
      const v = values[i] as number
      if (v < min) min = v
      if (v > max) max = v
    }
    range = max - min || 1
  }
  for (let i = 0; i < count; i++) {
    let v = values[i] as number
    v = kind === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : (v - min) / range
    matte[i] = Math.round(Math.min(1, Math.max(0, v)) * 255)
  }
  return matte
}

async function resizeMatte(matte: Uint8Array, width: number, height: number, toWidth: number, toHeight: number) {
  if (width === toWidth && height === toHeight) return matte
  const data = await loadSharp()(matte, { raw: { width, height, channels: 1 } })
    .resize(toWidth, toHeight, { fit: 'fill', kernel: 'lanczos3' })
    .extractChannel(0)
    .raw()
    .toBuffer()
  return new Uint8Array(data.buffer, data.byteOffset, data.length)
}

/** Resizes the image to the model's input, runs the model and scales its matte back to the image's size. */
async function runModel(
  session: ort.InferenceSession,
  spec: ModelSpec,
  image: RawImage,
  input: ModelSpec['input'],
): Promise<Uint8Array> {
  const data = await toTensorData(image, input)
  const { Tensor } = loadRuntime()
  const { width, height } = input
  const feeds = { [session.inputNames[0] as string]: new Tensor('float32', data, [1, 3, height, width]) }
  const results = await session.run(feeds)
  const output = results[session.outputNames[0] as string] as ort.Tensor
  const small = toMatte(output.data as Float32Array, width * height, spec.output)
  output.dispose?.()
  return resizeMatte(small, width, height, image.width, image.height)
}
