/**
 * Winograd convolutions written as ordinary ONNX ops, so onnxruntime's CPU provider runs the large 3x3 convolutions
 * of a model with fewer multiplications. Opt-in (`winograd` option of the local engine): about 18 % faster on IS-Net
 * 1024 on 2 Zen 4 cores, for about 0.5 GB more memory and a model file three times as large (bench/onnx-speed.mjs).
 */
import {
  type AttributeProto,
  AttributeType,
  DataType,
  EXTERNAL_DATA,
  type GraphProto,
  isDefaultDomain,
  type NodeProto,
  type TensorProto,
  toNumber,
} from './messages.js'

// Lavin & Gray's F(4x4, 3x3): a 4x4 block of a 3x3 convolution is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over the 6x6 input tile d
// that covers it, so the products with the weights become 36 matrix products of one tile element each: 36
// multiplications per 16 outputs instead of 144. onnxruntime's CPU convolutions already run at the FMA peak (IS-Net
// 1024: 319 GFLOP in 1.44 s on 2 Zen 4 cores), so fewer multiplications is the only way to go faster in fp32.
const winogradBt = [
  [4, 0, -5, 0, 1, 0],
  [0, -4, -4, 1, 1, 0],
  [0, 4, -4, -1, 1, 0],
  [0, -2, -1, 2, 1, 0],
  [0, 2, -1, -2, 1, 0],
  [0, 4, 0, -5, 0, 1],
]
const winogradG = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1],
]
const winogradAt = [
  [1, 1, 1, 1, 1, 0],
  [0, 1, -1, 2, -2, 0],
  [0, 1, 1, 4, 4, 0],
  [0, 1, -1, 8, -8, 1],
]

// Where it pays, measured per layer on IS-Net 1024 (bench/onnx-speed.mjs): the tile transforms cost memory traffic
// in proportion to the image and the savings grow with the channels, so only layers with many channels on a small
// image gain. At 512x512 with 64 channels it is slower than onnxruntime's direct convolution.
const winogradMinChannelProduct = 128 * 128
const winogradMaxPixels = 256 * 256

/** A Conv that the rewrite can take: 3x3, stride 1, padding 1, one group, batch 1, output size known and a multiple of 4. */
interface WinogradConv {
  node: NodeProto
  weight: Float32Array
  bias: Float32Array | undefined
  outChannels: number
  inChannels: number
  height: number
  width: number
}

/**
 * Replaces each 3x3 convolution where it pays by its Winograd form: an input transform (a grouped 6x6 convolution of
 * stride 4 whose fixed weights are Bᵀ⊗Bᵀ), 36 matrix products with the transformed weights, an output transform (one
 * matrix product with Aᵀ⊗Aᵀ) and DepthToSpace to put the 4x4 blocks in place. The replaced weights stay in the
 * graph: the caller drops what no node reads any more. Needs the output sizes the model's
 * value_info declares (converters store them); a convolution without them is left as it is. Returns the count.
 */
export function rewriteWinograd(graph: GraphProto): number {
  const shapes = declaredShapes(graph)
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]))
  const shared = new Map<string, TensorProto>()
  const nodes: NodeProto[] = []
  let count = 0
  for (const node of graph.node ?? []) {
    const conv = winogradCandidate(node, initializers, shapes)
    if (!conv) {
      nodes.push(node)
      continue
    }
    const added = winogradNodes(conv, shared)
    nodes.push(...added.nodes)
    graph.initializer = [...(graph.initializer ?? []), ...added.initializers]
    count++
  }
  if (count === 0) return 0
  graph.node = nodes
  graph.initializer = [...(graph.initializer ?? []), ...shared.values()]
  return count
}

/** The static shapes value_info, inputs and outputs declare (a dimension given by name is unknown: -1). */
function declaredShapes(graph: GraphProto): Map<string, number[]> {
  const shapes = new Map<string, number[]>()
  for (const info of [...(graph.value_info ?? []), ...(graph.input ?? []), ...(graph.output ?? [])]) {
    const dims = info.type?.tensor_type?.shape?.dim
    if (info.name && dims)
      shapes.set(
        info.name,
        dims.map((dim) => (dim.dim_param ? -1 : toNumber(dim.dim_value))),
      )
  }
  return shapes
}

function winogradCandidate(
  node: NodeProto,
  initializers: Map<string, TensorProto>,
  shapes: Map<string, number[]>,
): WinogradConv | undefined {
  if (node.op_type !== 'Conv' || !isDefaultDomain(node) || !plainConvAttributes(node)) return undefined
  const [input = '', weightName = '', biasName] = node.input ?? []
  const weightTensor = initializers.get(weightName)
  const dims = (weightTensor?.dims ?? []).map(toNumber)
  const [outChannels = 0, inChannels = 0] = dims
  if (dims.length !== 4 || dims[2] !== 3 || dims[3] !== 3 || !input) return undefined
  const [batch, channels, height = 0, width = 0] = shapes.get(node.output?.[0] ?? '') ?? []
  if (batch !== 1 || channels !== outChannels || height % 4 || width % 4 || height <= 0 || width <= 0) return undefined
  if (outChannels * inChannels < winogradMinChannelProduct || height * width > winogradMaxPixels) return undefined
  const weight = floatValues(weightTensor, outChannels * inChannels * 9)
  const bias = biasName ? floatValues(initializers.get(biasName), outChannels) : undefined
  if (!weight || (biasName && !bias)) return undefined
  return { node, weight, bias, outChannels, inChannels, height, width }
}

/** Stride 1, dilation 1, one group, padding 1 on every side, given explicitly. */
function plainConvAttributes(node: NodeProto): boolean {
  const all = (values: number[], expected: number, length: number): boolean =>
    values.length === length && values.every((value) => value === expected)
  for (const attribute of node.attribute ?? []) {
    const ints = (attribute.ints ?? []).map(toNumber)
    const name = attribute.name ?? ''
    if (name === 'group' && toNumber(attribute.i) !== 1) return false
    if ((name === 'strides' || name === 'dilations') && !all(ints, 1, 2)) return false
    if (name === 'pads' && !all(ints, 1, 4)) return false
    if (name === 'kernel_shape' && !all(ints, 3, 2)) return false
    if (name === 'auto_pad' && Buffer.from(attribute.s ?? []).toString() !== 'NOTSET') return false
  }
  return (node.attribute ?? []).some((attribute) => attribute.name === 'pads')
}

/** A float32 initializer's values, when it holds exactly `length` of them. */
function floatValues(tensor: TensorProto | undefined, length: number): Float32Array | undefined {
  if (tensor?.data_type !== DataType.FLOAT || tensor.data_location === EXTERNAL_DATA) return undefined
  const values = tensor.raw_data?.length
    ? new Float32Array(new Uint8Array(tensor.raw_data).buffer)
    : Float32Array.from(tensor.float_data ?? [])
  return values.length === length ? values : undefined
}

/** The nodes and initializers of one Winograd convolution; weights that depend only on the sizes go in `shared`. */
function winogradNodes(
  conv: WinogradConv,
  shared: Map<string, TensorProto>,
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const { node, outChannels: k, inChannels: c, height, width } = conv
  const output = node.output?.[0] ?? ''
  const p = `${output}/winograd`
  const inputTransform = sharedTensor(shared, `winograd/input_transform_${c}`, () => inputTransformWeights(c))
  const outputTransform = sharedTensor(shared, 'winograd/output_transform', outputTransformWeights)
  const initializers = [
    floatTensor(`${p}/weights`, [36, k, c], transformedWeights(conv)),
    int64Tensor(`${p}/tiles_shape`, [c, 36, -1]),
    int64Tensor(`${p}/products_shape`, [36, -1]),
    int64Tensor(`${p}/blocks_shape`, [1, 16 * k, height / 4, width / 4]),
  ]
  const blocks = conv.bias ? `${p}/blocks` : output
  const nodes: NodeProto[] = [
    winogradNode('Conv', [node.input?.[0] ?? '', inputTransform], `${p}/tiles`, [
      intAttribute('group', c),
      intsAttribute('kernel_shape', [6, 6]),
      intsAttribute('strides', [4, 4]),
      intsAttribute('pads', [1, 1, 1, 1]),
    ]),
    winogradNode('Reshape', [`${p}/tiles`, `${p}/tiles_shape`], `${p}/tiles_by_channel`),
    winogradNode('Transpose', [`${p}/tiles_by_channel`], `${p}/tiles_by_position`, [intsAttribute('perm', [1, 0, 2])]),
    winogradNode('MatMul', [`${p}/weights`, `${p}/tiles_by_position`], `${p}/products`),
    winogradNode('Reshape', [`${p}/products`, `${p}/products_shape`], `${p}/products_flat`),
    winogradNode('MatMul', [outputTransform, `${p}/products_flat`], `${p}/outputs`),
    winogradNode('Reshape', [`${p}/outputs`, `${p}/blocks_shape`], `${p}/blocks_by_position`),
    winogradNode('DepthToSpace', [`${p}/blocks_by_position`], blocks, [
      intAttribute('blocksize', 4),
      { name: 'mode', type: AttributeType.STRING, s: Buffer.from('DCR') },
    ]),
  ]
  if (conv.bias) {
    initializers.push(floatTensor(`${p}/bias`, [1, k, 1, 1], conv.bias))
    nodes.push(winogradNode('Add', [blocks, `${p}/bias`], output))
  }
  return { nodes, initializers }
}

function winogradNode(op: string, input: string[], output: string, attribute: AttributeProto[] = []): NodeProto {
  return { op_type: op, name: output, input, output: [output], attribute }
}

function sharedTensor(shared: Map<string, TensorProto>, name: string, values: () => Float32Array): string {
  if (!shared.has(name)) {
    const data = values()
    shared.set(
      name,
      floatTensor(name, name.endsWith('output_transform') ? [16, 36] : [data.length / 36, 1, 6, 6], data),
    )
  }
  return name
}

/** Bᵀ d B for each channel as a grouped convolution: output channel c·36 + 6a + b has the kernel Bᵀ[a] ⊗ Bᵀ[b]. */
function inputTransformWeights(channels: number): Float32Array {
  const weights = new Float32Array(channels * 36 * 36)
  for (let c = 0; c < channels; c++) {
    for (let ab = 0; ab < 36; ab++) {
      const [rowA, rowB] = [winogradBt[Math.floor(ab / 6)] ?? [], winogradBt[ab % 6] ?? []]
      for (let ij = 0; ij < 36; ij++) {
        weights[(c * 36 + ab) * 36 + ij] = (rowA[Math.floor(ij / 6)] ?? 0) * (rowB[ij % 6] ?? 0)
      }
    }
  }
  return weights
}

/** Aᵀ m A as a [16, 36] matrix: row 4p + q, column 6a + b holds Aᵀ[p][a] · Aᵀ[q][b]. */
function outputTransformWeights(): Float32Array {
  const weights = new Float32Array(16 * 36)
  for (let pq = 0; pq < 16; pq++) {
    const [rowP, rowQ] = [winogradAt[pq >> 2] ?? [], winogradAt[pq & 3] ?? []]
    for (let ab = 0; ab < 36; ab++) weights[pq * 36 + ab] = (rowP[Math.floor(ab / 6)] ?? 0) * (rowQ[ab % 6] ?? 0)
  }
  return weights
}

/** G g Gᵀ for every filter, laid out [36, out, in] for the 36 matrix products; computed in float64. */
function transformedWeights(conv: WinogradConv): Float32Array {
  const { weight, outChannels: k, inChannels: c } = conv
  const result = new Float32Array(36 * k * c)
  const gg = new Float64Array(18) // G g, 6x3
  for (let filter = 0; filter < k * c; filter++) {
    const g = weight.subarray(filter * 9, filter * 9 + 9)
    for (let a = 0; a < 6; a++) {
      const row = winogradG[a] ?? []
      for (let j = 0; j < 3; j++) {
        gg[a * 3 + j] = (row[0] ?? 0) * (g[j] ?? 0) + (row[1] ?? 0) * (g[3 + j] ?? 0) + (row[2] ?? 0) * (g[6 + j] ?? 0)
      }
    }
    for (let ab = 0; ab < 36; ab++) {
      const [a, column] = [Math.floor(ab / 6), winogradG[ab % 6] ?? []]
      const value = (gg[a * 3] ?? 0) * (column[0] ?? 0) + (gg[a * 3 + 1] ?? 0) * (column[1] ?? 0)
      result[ab * k * c + filter] = value + (gg[a * 3 + 2] ?? 0) * (column[2] ?? 0)
    }
  }
  return result
}

function floatTensor(name: string, dims: number[], values: Float32Array): TensorProto {
  return {
    name,
    dims,
    data_type: DataType.FLOAT,
    raw_data: Buffer.from(values.buffer, values.byteOffset, values.byteLength),
  }
}

function int64Tensor(name: string, values: number[]): TensorProto {
  const data = BigInt64Array.from(values, (value) => BigInt(value))
  return { name, dims: [values.length], data_type: DataType.INT64, raw_data: Buffer.from(data.buffer) }
}

function intAttribute(name: string, value: number): AttributeProto {
  return { name, type: AttributeType.INT, i: value }
}

function intsAttribute(name: string, values: number[]): AttributeProto {
  return { name, type: AttributeType.INTS, ints: values }
}
