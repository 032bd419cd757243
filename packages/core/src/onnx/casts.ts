/**
 * Removing the Casts that the fp16 → fp32 conversion turned into identities (a Cast to the type its input already has),
 * rewiring their consumers, in the graph and its subgraphs.
 */
import { sortNodes, subgraphs } from './graph.js'
import {
  type AttributeProto,
  DataType,
  type GraphProto,
  isDefaultDomain,
  type NodeProto,
  toNumber,
  type ValueInfoProto,
} from './messages.js'

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
export function removeIdentityCasts(graph: GraphProto, outerTypes: Map<string, number>): number {
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
