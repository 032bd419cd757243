/**
 * Makes an ONNX model cheap to run on a CPU, once per model file: fp16 weights become fp32 (onnxruntime's CPU kernels
 * are fp32, so an fp16 graph runs a Cast around nearly every node), the Casts this makes identities are removed, and
 * the graph is pruned to the outputs that are read (IS-Net computes 11 side outputs nobody uses). The result is
 * written beside the source (or in `cacheDir`) under a name derived from the source's hash, and reused from then on.
 * This file is the driver; the passes are graph.ts (pruning, order), fp16.ts (conversion) and casts.ts (identity
 * Casts), and winograd.ts.
 */
import { access, readdir, readFile, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { RembgError } from '../errors.js'
import { fileIdentity, rememberedSha256 } from '../file-facts.js'
import { writeFileAtomic } from '../fs-atomic.js'
import { sha256, sha256File } from '../hash.js'
import { removeIdentityCasts } from './casts.js'
import { convertModel } from './fp16.js'
import { dropUnused, neededNames, pruneGraph, subgraphs } from './graph.js'
import { InputSizeUnsupported, rewriteInputSize } from './input-size.js'
import { EXTERNAL_DATA, type GraphProto, type ModelProto, type TensorProto, toNumber } from './messages.js'
import { decodeModel, encodeModel } from './proto.js'
import { rewriteWinograd } from './winograd.js'

export interface OptimizeOptions {
  /** Graph outputs to keep; every node they do not need is removed. @default the first graph output */
  keepOutputs?: string[]
  /** Folder of the optimized file. @default the source's folder */
  cacheDir?: string
  /**
   * Rewrite the 3x3 convolutions that gain from it in Winograd form (fewer multiplications; the same result within
   * float32 rounding), for onnxruntime's CPU provider (GPU providers have their own convolution algorithms). Faster
   * but larger: see winograd.ts.
   * @default false
   */
  winograd?: boolean
  /**
   * Run the model at this square input side instead of the one it declares (the `fast` preset): see input-size.ts.
   * The file made is checked against the checksum recorded beside it each time it is reused.
   */
  inputSize?: number
}

export interface OptimizeResult {
  /** The model to load: the optimized file, or the source itself when there was nothing to change. */
  path: string
  /** This call converted fp16 content to fp32. */
  converted: boolean
  /** The optimized file was already there (written by an earlier call for the same source bytes). */
  reused: boolean
}

/**
 * Converts fp16 weights to fp32, removes the Casts that become identities, prunes the graph to `keepOutputs` and
 * rewrites the large 3x3 convolutions in Winograd form (`winograd`), writing `<cacheDir>/<name>.<sha256 of the source, 16 hex>.opt.onnx` atomically. An existing file of that name is
 * reused without reading the model. A model with nothing to change is returned as it is.
 *
 * @example
 * const { path } = await optimizeModel('/models/isnet.onnx', {})
 * const session = await ort.InferenceSession.create(path)
 */
export async function optimizeModel(sourcePath: string, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  // The source's hash names the converted file: with a cache folder of ours, it is read once per version of the
  // source instead of on every run (nothing is written beside a user's own model).
  const hash = options.cacheDir ? await rememberedSha256(sourcePath, options.cacheDir) : await sha256File(sourcePath)
  const target = optimizedPath(sourcePath, hash, options)
  if (options.inputSize === undefined ? await exists(target) : await verifiedDerived(target, hash, options)) {
    return { path: target, converted: false, reused: true }
  }
  const model = parseModel(await readFile(sourcePath), sourcePath)
  // Tensors stored in side files are addressed relative to the model: a rewritten copy elsewhere would lose them.
  if (usesExternalData(model)) return { path: sourcePath, converted: false, reused: false }
  const { changed, converted } = rewriteModel(model, options, sourcePath)
  if (!changed) return { path: sourcePath, converted: false, reused: false }
  await writeFileAtomic(target, encodeModel(model))
  if (options.inputSize !== undefined) await recordDerived(target, hash, options)
  await removePreviousVersions(target, sourcePath, hash)
  return { path: target, converted, reused: false }
}

/** What a resized model is checked against when it is reused: written beside it as `<file>.json`. */
interface DerivedRecord {
  /** sha256 of the source model it was made from. */
  source: string
  inputSize: number
  size: number
  sha256: string
}

// A resized model is a generated file whose wrong bytes would run without an error and give wrong mattes (a file
// cut short by a full disk before the rename, a copy from another version): so it carries its checksum, and is
// made again when it does not match. Its sha256 is remembered per file version, so a warm run only stats it.
async function recordDerived(target: string, source: string, options: OptimizeOptions): Promise<void> {
  const folder = options.cacheDir ?? dirname(target)
  const identity = await fileIdentity(target)
  const record: DerivedRecord = {
    source,
    inputSize: options.inputSize ?? 0,
    size: identity?.size ?? 0,
    sha256: await rememberedSha256(target, folder),
  }
  await writeFileAtomic(`${target}.json`, Buffer.from(`${JSON.stringify(record, null, 2)}\n`))
}

async function verifiedDerived(target: string, source: string, options: OptimizeOptions): Promise<boolean> {
  const identity = await fileIdentity(target)
  if (!identity) return false
  const record = await readFile(`${target}.json`, 'utf8')
    .then((text) => JSON.parse(text) as DerivedRecord)
    .catch(() => null)
  const valid =
    record !== null &&
    record.source === source &&
    record.inputSize === options.inputSize &&
    record.size === identity.size &&
    record.sha256 === (await rememberedSha256(target, options.cacheDir ?? dirname(target)))
  if (!valid) await Promise.all([rm(target, { force: true }), rm(`${target}.json`, { force: true })])
  return valid
}

/**
 * The optimized file's path: keyed by the source's bytes (a changed source gives a new file) and, when outputs other
 * than the default are kept, by their names.
 */
function optimizedPath(sourcePath: string, hash: string, options: OptimizeOptions): string {
  const name = basename(sourcePath, extname(sourcePath))
  const outputs = options.keepOutputs ? `-${sha256(...options.keepOutputs).slice(0, 8)}` : ''
  const variant = `${options.winograd === true ? '.winograd' : ''}${options.inputSize === undefined ? '' : `.s${options.inputSize}`}`
  const key = sha256(hash, optimizerVersion).slice(0, 16)
  return join(options.cacheDir ?? dirname(sourcePath), `${name}.${key}${outputs}${variant}.opt.onnx`)
}

// Part of the optimized file's name: a file written by an older optimizer is not reused (2: Winograd convolutions;
// 3: Winograd opt-in, so an unsuffixed name means direct convolutions again).
const optimizerVersion = 'rembg-kit-optimize-3'

/** The name keys earlier optimizers gave files made from the same source: once replaced, they are only disk space. */
function previousKeys(hash: string): string[] {
  return [hash.slice(0, 16), sha256(hash, 'rembg-kit-optimize-2').slice(0, 16)]
}

/** Removes the files earlier optimizer versions wrote for this same source (never another source's). */
async function removePreviousVersions(target: string, sourcePath: string, hash: string): Promise<void> {
  const folder = dirname(target)
  const prefixes = previousKeys(hash).map((key) => `${basename(sourcePath, extname(sourcePath))}.${key}`)
  for (const entry of await readdir(folder)) {
    if (
      entry.endsWith('.opt.onnx') &&
      prefixes.some((prefix) => entry.startsWith(`${prefix}.`) || entry.startsWith(`${prefix}-`))
    ) {
      await rm(join(folder, entry), { force: true })
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/** The error for bytes that are not a usable ONNX model: a truncated download, an HTML error page, another file. */
export function modelInvalid(path: string, cause?: unknown): RembgError {
  return new RembgError(
    `The file '${path}' is not a valid ONNX model (it is truncated or is not an ONNX file). ` +
      'If it was downloaded, delete it and download it again.',
    { status: 500, code: 'MODEL_INVALID', file: path, cause },
  )
}

/** Decodes a model, refusing what decodes by chance but lacks what every ONNX model has (a graph, an opset). */
function parseModel(bytes: Uint8Array, path: string): ModelProto {
  let model: ModelProto
  try {
    model = decodeModel(bytes)
  } catch (error) {
    throw modelInvalid(path, error)
  }
  const graph = model.graph
  const valid = toNumber(model.ir_version) > 0 && (model.opset_import?.length ?? 0) > 0 && graph?.output?.length
  if (!valid) throw modelInvalid(path)
  return model
}

/** Rewrites the model in place; `changed` is false when the bytes to write would mean the same model. */
function rewriteModel(
  model: ModelProto,
  options: OptimizeOptions,
  label = 'model',
): { changed: boolean; converted: boolean } {
  const graph = model.graph ?? {}
  const keep = options.keepOutputs ?? [graph.output?.[0]?.name ?? '']
  checkOutputs(graph, keep, label)
  const pruned = pruneGraph(graph, keep)
  const converted = convertModel(model) > 0
  const casts = removeIdentityCasts(graph, new Map())
  if (options.inputSize !== undefined) resizeInput(graph, options.inputSize, label)
  // After the conversion: the rewrite reads the weights as float32.
  const winograd = options.winograd === true ? rewriteWinograd(graph) : 0
  if (winograd > 0) dropUnused(graph, neededNames(graph))
  const resized = options.inputSize !== undefined
  return { changed: pruned || converted || casts > 0 || winograd > 0 || resized, converted }
}

function resizeInput(graph: GraphProto, size: number, label: string): void {
  try {
    rewriteInputSize(graph, size)
  } catch (error) {
    if (!(error instanceof InputSizeUnsupported)) throw error
    throw new RembgError(`The model '${label}' cannot run at ${size}x${size}: ${error.message}.`, {
      status: 500,
      code: 'MODEL_INPUT_SIZE',
      file: label,
    })
  }
}

function checkOutputs(graph: GraphProto, keep: string[], label: string): void {
  const names = (graph.output ?? []).map((output) => output.name ?? '')
  const missing = keep.find((name) => !names.includes(name))
  if (missing === undefined) return
  throw new RembgError(`The model '${label}' has no output '${missing}'. Its outputs are: ${names.join(', ')}.`, {
    status: 500,
    code: 'MODEL_OUTPUT_UNKNOWN',
    file: label,
  })
}

function usesExternalData(model: ModelProto): boolean {
  const external = (tensor: TensorProto | undefined): boolean => tensor?.data_location === EXTERNAL_DATA
  const inGraph = (graph: GraphProto): boolean =>
    (graph.initializer ?? []).some(external) ||
    (graph.sparse_initializer ?? []).some((sparse) => external(sparse.values)) ||
    (graph.node ?? []).some(
      (node) =>
        (node.attribute ?? []).some((a) => external(a.t) || (a.tensors ?? []).some(external)) ||
        subgraphs(node).some(inGraph),
    )
  return model.graph ? inGraph(model.graph) : false
}
