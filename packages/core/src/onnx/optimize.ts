/**
 * Makes an ONNX model cheap to run on a CPU, once per model file: fp16 weights become fp32 (onnxruntime's CPU kernels
 * are fp32, so an fp16 graph runs a Cast around nearly every node), the Casts this makes identities are removed, and
 * the graph is pruned to the outputs that are read (IS-Net computes 11 side outputs nobody uses). The result is
 * written beside the source (or in `cacheDir`) under a name derived from the source's hash, and reused from then on.
 */
import { access, readdir, readFile, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { RembgError } from '../errors.js'
import { rememberedSha256 } from '../file-facts.js'
import { writeFileAtomic } from '../fs-atomic.js'
import { sha256, sha256File } from '../hash.js'
import {
  type AttributeProto,
  DataType,
  decodeModel,
  EXTERNAL_DATA,
  encodeModel,
  type GraphProto,
  isDefaultDomain,
  type ModelProto,
  type NodeProto,
  type SparseTensorProto,
  type TensorProto,
  type TypeProto,
  toNumber,
  type ValueInfoProto,
} from './proto.js'
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
  if (await exists(target)) return { path: target, converted: false, reused: true }
  const model = parseModel(await readFile(sourcePath), sourcePath)
  // Tensors stored in side files are addressed relative to the model: a rewritten copy elsewhere would lose them.
  if (usesExternalData(model)) return { path: sourcePath, converted: false, reused: false }
  const { changed, converted } = rewriteModel(model, options, sourcePath)
  if (!changed) return { path: sourcePath, converted: false, reused: false }
  await writeFileAtomic(target, encodeModel(model))
  await removePreviousVersions(target, sourcePath, hash)
  return { path: target, converted, reused: false }
}

/**
 * The optimized file's path: keyed by the source's bytes (a changed source gives a new file) and, when outputs other
 * than the default are kept, by their names.
 */
function optimizedPath(sourcePath: string, hash: string, options: OptimizeOptions): string {
  const name = basename(sourcePath, extname(sourcePath))
  const outputs = options.keepOutputs ? `-${sha256(...options.keepOutputs).slice(0, 8)}` : ''
  const variant = options.winograd === true ? '.winograd' : ''
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
  // After the conversion: the rewrite reads the weights as float32.
  const winograd = options.winograd === true ? rewriteWinograd(graph) : 0
  if (winograd > 0) dropUnused(graph, neededNames(graph))
  return { changed: pruned || converted || casts > 0 || winograd > 0, converted }
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

// Pruning ------------------------------------------------------------------------------------------------------------

/**
 * Keeps the nodes `keep` depends on and drops the other outputs, initializers and value infos. Once the nodes are in
 * topological order, one backward pass finds every dependency.
 */
function pruneGraph(graph: GraphProto, keep: string[]): boolean {
  sortNodes(graph)
  const nodes = graph.node ?? []
  const needed = new Set(keep)
  const kept: NodeProto[] = []
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index] as NodeProto
    if (!(node.output ?? []).some((name) => needed.has(name))) continue
    kept.push(node)
    for (const name of nodeReferences(node)) needed.add(name)
  }
  const before = sizes(graph)
  graph.node = kept.reverse()
  graph.output = (graph.output ?? []).filter((output) => keep.includes(output.name ?? ''))
  dropUnused(graph, needed)
  return sizes(graph) !== before
}

/**
 * Puts the nodes in topological order. ONNX requires it but converters do not always comply: onnxconverter-common's
 * fp16 conversion appends its Cast nodes at the end (the IS-Net model shipped by imgly has 91 of them there). A
 * depth-first walk in the original order places each node after what it reads and leaves a sorted graph as it is.
 */
function sortNodes(graph: GraphProto): void {
  const nodes = graph.node ?? []
  const producers = new Map<string, number>()
  nodes.forEach((node, index) => {
    for (const name of node.output ?? []) producers.set(name, index)
  })
  const dependencies = nodes.map((node, index) => {
    const found = new Set(nodeReferences(node).map((name) => producers.get(name) ?? index))
    found.delete(index)
    return [...found].sort((a, b) => a - b)
  })
  if (dependencies.every((list, index) => list.every((dependency) => dependency < index))) return
  const order = depthFirstOrder(dependencies)
  graph.node = order.map((index) => nodes[index] as NodeProto)
}

/** Post-order of a dependency list, iterative (graphs have thousands of nodes). A cycle's back edge is ignored. */
function depthFirstOrder(dependencies: number[][]): number[] {
  const state = new Uint8Array(dependencies.length) // 0 new, 1 on the stack, 2 placed
  const order: number[] = []
  for (let root = 0; root < dependencies.length; root++) {
    if (state[root] !== 0) continue
    state[root] = 1
    const stack: Array<{ index: number; next: number }> = [{ index: root, next: 0 }]
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const dependency = dependencies[top.index]?.[top.next++]
      if (dependency === undefined) {
        state[top.index] = 2
        order.push(top.index)
        stack.pop()
      } else if (state[dependency] === 0) {
        state[dependency] = 1
        stack.push({ index: dependency, next: 0 })
      }
    }
  }
  return order
}

/** Every name a node of the graph reads, and the graph's outputs. */
function neededNames(graph: GraphProto): Set<string> {
  const outputs = (graph.output ?? []).map((output) => output.name ?? '')
  return new Set([...(graph.node ?? []).flatMap(nodeReferences), ...outputs])
}

function dropUnused(graph: GraphProto, needed: Set<string>): void {
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name))
  graph.initializer = (graph.initializer ?? []).filter((tensor) => needed.has(tensor.name ?? ''))
  graph.sparse_initializer = (graph.sparse_initializer ?? []).filter((sparse) => needed.has(sparse.values?.name ?? ''))
  // Inputs that only declare an initializer (IR < 4 lists them) go with it; real inputs stay: they are the interface.
  graph.input = (graph.input ?? []).filter((input) => !initializers.has(input.name) || needed.has(input.name ?? ''))
  const produced = new Set((graph.node ?? []).flatMap((node) => node.output ?? []))
  graph.value_info = (graph.value_info ?? []).filter((info) => produced.has(info.name ?? ''))
}

function sizes(graph: GraphProto): string {
  const lists = [graph.node, graph.output, graph.initializer, graph.sparse_initializer, graph.input, graph.value_info]
  return lists.map((list) => list?.length ?? 0).join(',')
}

/** The names a node reads: its inputs and, for If/Loop/Scan, every name its subgraphs mention (a superset is safe). */
function nodeReferences(node: NodeProto): string[] {
  const names = [...(node.input ?? [])]
  for (const graph of subgraphs(node)) names.push(...graphNames(graph))
  return names
}

function graphNames(graph: GraphProto): string[] {
  const names = (graph.output ?? []).map((output) => output.name ?? '')
  for (const node of graph.node ?? []) names.push(...nodeReferences(node))
  return names
}

function subgraphs(node: NodeProto): GraphProto[] {
  return (node.attribute ?? []).flatMap((attribute) => [
    ...(attribute.g ? [attribute.g] : []),
    ...(attribute.graphs ?? []),
  ])
}

// fp16 → fp32 ------------------------------------------------------------------------------------------------------

/** Ops whose attribute names the element type they produce (default domain). */
const typeAttributes: Record<string, string> = {
  Cast: 'to',
  EyeLike: 'dtype',
  RandomNormal: 'dtype',
  RandomUniform: 'dtype',
  RandomNormalLike: 'dtype',
  RandomUniformLike: 'dtype',
  Bernoulli: 'dtype',
}

/** Converts every fp16 tensor, type and type attribute of the model to fp32; returns the number of changes. */
function convertModel(model: ModelProto): number {
  let changes = model.graph ? convertGraph(model.graph) : 0
  for (const fn of model.functions ?? []) {
    for (const node of fn.node ?? []) changes += convertNode(node)
    for (const info of fn.value_info ?? []) changes += convertValueInfo(info)
  }
  return changes
}

function convertGraph(graph: GraphProto): number {
  let changes = 0
  for (const tensor of graph.initializer ?? []) changes += convertTensor(tensor)
  for (const sparse of graph.sparse_initializer ?? []) changes += convertSparse(sparse)
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.value_info ?? [])]) {
    changes += convertValueInfo(info)
  }
  for (const node of graph.node ?? []) changes += convertNode(node)
  return changes
}

function convertNode(node: NodeProto): number {
  let changes = 0
  const typeAttribute = isDefaultDomain(node) ? typeAttributes[node.op_type ?? ''] : undefined
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === typeAttribute && toNumber(attribute.i) === DataType.FLOAT16) {
      attribute.i = DataType.FLOAT
      changes++
    }
    changes += convertAttribute(attribute)
  }
  return changes
}

function convertAttribute(attribute: AttributeProto): number {
  let changes = 0
  for (const tensor of [...(attribute.t ? [attribute.t] : []), ...(attribute.tensors ?? [])]) {
    changes += convertTensor(tensor)
  }
  const sparse = [...(attribute.sparse_tensor ? [attribute.sparse_tensor] : []), ...(attribute.sparse_tensors ?? [])]
  for (const tensor of sparse) changes += convertSparse(tensor)
  for (const type of [...(attribute.tp ? [attribute.tp] : []), ...(attribute.type_protos ?? [])]) {
    changes += convertType(type)
  }
  for (const graph of [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])])
    changes += convertGraph(graph)
  return changes
}

function convertValueInfo(info: ValueInfoProto): number {
  return info.type ? convertType(info.type) : 0
}

function convertType(type: TypeProto): number {
  let changes = 0
  for (const tensor of [type.tensor_type, type.sparse_tensor_type]) {
    if (tensor?.elem_type === DataType.FLOAT16) {
      tensor.elem_type = DataType.FLOAT
      changes++
    }
  }
  for (const inner of [type.sequence_type?.elem_type, type.optional_type?.elem_type, type.map_type?.value_type]) {
    if (inner) changes += convertType(inner)
  }
  return changes
}

function convertSparse(sparse: SparseTensorProto): number {
  return sparse.values ? convertTensor(sparse.values) : 0
}

/** fp16 data is in `raw_data` (little-endian) or in `int32_data` (one value's bits per int32). */
function convertTensor(tensor: TensorProto): number {
  if (tensor.data_type !== DataType.FLOAT16) return 0
  tensor.data_type = DataType.FLOAT
  if (tensor.raw_data?.length) {
    tensor.raw_data = halfBytesToFloat(tensor.raw_data)
  } else if (tensor.int32_data?.length) {
    tensor.raw_data = halfBitsToFloat(tensor.int32_data)
    tensor.int32_data = []
  }
  return 1
}

let halfTable: Float32Array | undefined

/** The value of each of the 65536 fp16 bit patterns: a lookup is much faster than decoding 40 million halves. */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable
  halfTable = new Float32Array(65536)
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1
    const exponent = (bits >> 10) & 0x1f
    const fraction = bits & 0x3ff
    if (exponent === 0) halfTable[bits] = sign * fraction * 2 ** -24
    else if (exponent === 31) halfTable[bits] = fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY
    else halfTable[bits] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
  }
  return halfTable
}

// Float32Array writes the platform's byte order; every platform onnxruntime-node ships for is little-endian.
function halfBytesToFloat(bytes: Uint8Array): Buffer {
  const table = halfToFloatTable()
  const values = new Float32Array(bytes.length >> 1)
  for (let index = 0; index < values.length; index++) {
    values[index] = table[(bytes[2 * index] as number) | ((bytes[2 * index + 1] as number) << 8)] as number
  }
  return Buffer.from(values.buffer)
}

function halfBitsToFloat(bits: number[]): Buffer {
  const table = halfToFloatTable()
  return Buffer.from(Float32Array.from(bits, (value) => table[value & 0xffff] as number).buffer)
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

// Identity Casts ---------------------------------------------------------------------------------------------------

/** Ops whose first output has the element type of their first input (enough to follow a float through a CNN). */
const sameTypeOps = new Set(
  (
    'Abs Add AveragePool BatchNormalization Ceil Celu Clip Concat Conv ConvTranspose Cos DepthToSpace Div Dropout Elu ' +
    'Erf Exp Expand Flatten Floor Gather GatherElements GatherND Gelu Gemm GlobalAveragePool GlobalMaxPool HardSigmoid ' +
    'HardSwish Identity InstanceNormalization LayerNormalization LeakyRelu Log LogSoftmax LRN MatMul Max MaxPool Mean ' +
    'Min Mish Mul Neg Pad Pow PRelu Reciprocal ReduceMax ReduceMean ReduceMin ReduceSum Relu Reshape Resize Round ' +
    'Selu Sigmoid Sign Sin Slice Softmax Softplus Softsign SpaceToDepth Split Sqrt Squeeze Sub Sum Tanh Tile ' +
    'Transpose Unsqueeze Upsample'
  ).split(' '),
)

interface CastScope {
  /** Element type of each value whose type is known. */
  types: Map<string, number>
  /** Graph outputs of this graph: their names are the interface and must survive. */
  outputs: Set<string>
  /** Value → the value it is a copy of (the input of a removed Cast). */
  alias: Map<string, string>
  /** Value → its new name (a producer renamed to the graph output of a removed Cast). */
  rename: Map<string, string>
  producers: Map<string, NodeProto>
}

/**
 * Removes every Cast whose input already has the target type. After fp16 → fp32 every Cast(to=FLOAT16) became
 * Cast(to=FLOAT), and both kinds now read floats. A removed Cast's consumers read its input instead; when its output
 * is a graph output, the producer of its input is renamed to keep the output's name. Returns the Casts removed.
 */
function removeIdentityCasts(graph: GraphProto, outerTypes: Map<string, number>): number {
  const scope: CastScope = {
    types: knownTypes(graph, outerTypes),
    outputs: new Set((graph.output ?? []).map((output) => output.name ?? '')),
    alias: new Map(),
    rename: new Map(),
    producers: new Map(),
  }
  sortNodes(graph)
  const before = graph.node?.length ?? 0
  graph.node = (graph.node ?? []).filter((node) => !removeCast(node, scope))
  const final = (name: string): string => scope.rename.get(resolve(scope.alias, name)) ?? resolve(scope.alias, name)
  for (const node of graph.node) renameReferences(node, final)
  graph.value_info = renamedValueInfo(graph.value_info ?? [], scope)
  let removed = before - graph.node.length
  for (const node of graph.node) {
    for (const sub of subgraphs(node)) removed += removeIdentityCasts(sub, scope.types)
  }
  return removed
}

/** Records the node's output types and says whether it is an identity Cast that has been rewired away. */
function removeCast(node: NodeProto, scope: CastScope): boolean {
  const typeOf = (name: string | undefined): number | undefined => scope.types.get(resolve(scope.alias, name ?? ''))
  recordTypes(node, typeOf, scope.types)
  for (const output of node.output ?? []) scope.producers.set(output, node)
  if (node.op_type !== 'Cast' || !isDefaultDomain(node)) return false
  const [input = '', output = ''] = [node.input?.[0], node.output?.[0]]
  const to = toNumber(node.attribute?.find((attribute) => attribute.name === 'to')?.i)
  if (typeOf(input) !== to) return false
  const source = resolve(scope.alias, input)
  if (!scope.outputs.has(output)) {
    scope.alias.set(output, source)
    return true
  }
  const producer = scope.producers.get(source)
  if (!producer || scope.outputs.has(source) || scope.rename.has(source)) return false
  scope.rename.set(source, output)
  producer.output = (producer.output ?? []).map((name) => (name === source ? output : name))
  scope.producers.set(output, producer)
  return true
}

function resolve(alias: Map<string, string>, name: string): string {
  let current = name
  for (let next = alias.get(current); next !== undefined; next = alias.get(current)) current = next
  return current
}

function knownTypes(graph: GraphProto, outer: Map<string, number>): Map<string, number> {
  const types = new Map(outer)
  const infos = [...(graph.value_info ?? []), ...(graph.input ?? []), ...(graph.output ?? [])]
  for (const info of infos) {
    const type = info.type?.tensor_type?.elem_type
    if (info.name && type) types.set(info.name, type)
  }
  for (const tensor of graph.initializer ?? []) if (tensor.name) types.set(tensor.name, tensor.data_type ?? 0)
  for (const sparse of graph.sparse_initializer ?? []) {
    if (sparse.values?.name) types.set(sparse.values.name, sparse.values.data_type ?? 0)
  }
  return types
}

/** The element type of a node's outputs where it follows from its inputs or attributes; value_info fills the rest. */
function recordTypes(
  node: NodeProto,
  typeOf: (name: string | undefined) => number | undefined,
  types: Map<string, number>,
): void {
  if (!isDefaultDomain(node)) return
  const op = node.op_type ?? ''
  const outputs = node.output ?? []
  const attribute = (name: string): AttributeProto | undefined => node.attribute?.find((a) => a.name === name)
  let type: number | undefined
  if (op === 'Cast') type = toNumber(attribute('to')?.i)
  else if (op === 'CastLike') type = typeOf(node.input?.[1])
  else if (op === 'Constant') type = constantType(node)
  else if (op === 'Where') type = typeOf(node.input?.[1])
  else if (sameTypeOps.has(op)) type = typeOf(node.input?.[0])
  if (!type) return
  for (const name of op === 'Split' ? outputs : outputs.slice(0, 1)) types.set(name, type)
}

function constantType(node: NodeProto): number | undefined {
  const attribute = node.attribute?.[0]
  if (attribute?.t) return attribute.t.data_type
  if (attribute?.sparse_tensor?.values) return attribute.sparse_tensor.values.data_type
  if (attribute?.name === 'value_float' || attribute?.name === 'value_floats') return DataType.FLOAT
  if (attribute?.name === 'value_int' || attribute?.name === 'value_ints') return DataType.INT64
  return undefined
}

/** Rewrites every name a node reads, including names its subgraphs take from this scope. */
function renameReferences(node: NodeProto, rename: (name: string) => string): void {
  node.input = (node.input ?? []).map((name) => (name === '' ? name : rename(name)))
  for (const graph of subgraphs(node)) {
    for (const output of graph.output ?? []) output.name = rename(output.name ?? '')
    for (const inner of graph.node ?? []) renameReferences(inner, rename)
  }
}

/** Drops the value infos of removed Casts' outputs and of renamed values (now graph outputs, typed there). */
function renamedValueInfo(infos: ValueInfoProto[], scope: CastScope): ValueInfoProto[] {
  return infos.filter((info) => !scope.alias.has(info.name ?? '') && !scope.rename.has(info.name ?? ''))
}
