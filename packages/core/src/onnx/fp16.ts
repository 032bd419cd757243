/**
 * fp16 → fp32: every half-precision tensor, type and type attribute of a model becomes single precision, since
 * onnxruntime's CPU kernels are fp32 and an fp16 graph runs a Cast around nearly every node.
 */
import {
  type AttributeProto,
  DataType,
  type GraphProto,
  isDefaultDomain,
  type ModelProto,
  type NodeProto,
  type SparseTensorProto,
  type TensorProto,
  type TypeProto,
  toNumber,
  type ValueInfoProto,
} from './messages.js'

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
export function convertModel(model: ModelProto): number {
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
