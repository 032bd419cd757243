/**
 * The ONNX messages as TypeScript sees them after protobufjs decodes them (fields in the schema's snake_case), the
 * enumeration values the optimizer acts on, and small readers of decoded fields.
 */

/** `TensorProto.DataType` values we act on (the full list is in onnx.proto3). */
export const DataType = { UNDEFINED: 0, FLOAT: 1, INT64: 7, FLOAT16: 10 } as const

/** `AttributeProto.AttributeType` values we act on. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  INTS: 7,
  TENSORS: 9,
  GRAPHS: 10,
} as const

/** `TensorProto.DataLocation.EXTERNAL`: the tensor's bytes live in another file. */
export const EXTERNAL_DATA = 1

/** protobufjs gives int64 fields as `Long` objects when the `long` package is present, numbers otherwise. */
export type Int64 = number | { low: number; high: number; unsigned?: boolean }

export interface StringStringEntryProto {
  key?: string
  value?: string
}

export interface TensorProto {
  dims?: Int64[]
  data_type?: number
  float_data?: number[]
  int32_data?: number[]
  name?: string
  raw_data?: Uint8Array
  external_data?: StringStringEntryProto[]
  data_location?: number
}

export interface SparseTensorProto {
  values?: TensorProto
  indices?: TensorProto
  dims?: Int64[]
}

export interface TensorShapeProto {
  dim?: Array<{ dim_value?: Int64; dim_param?: string; denotation?: string }>
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: TensorShapeProto }
  sparse_tensor_type?: { elem_type?: number; shape?: TensorShapeProto }
  sequence_type?: { elem_type?: TypeProto }
  optional_type?: { elem_type?: TypeProto }
  map_type?: { key_type?: number; value_type?: TypeProto }
}

export interface ValueInfoProto {
  name?: string
  type?: TypeProto
}

export interface AttributeProto {
  name?: string
  type?: number
  f?: number
  i?: Int64
  s?: Uint8Array
  t?: TensorProto
  g?: GraphProto
  sparse_tensor?: SparseTensorProto
  tp?: TypeProto
  ints?: Int64[]
  tensors?: TensorProto[]
  graphs?: GraphProto[]
  sparse_tensors?: SparseTensorProto[]
  type_protos?: TypeProto[]
}

export interface NodeProto {
  input?: string[]
  output?: string[]
  name?: string
  op_type?: string
  domain?: string
  attribute?: AttributeProto[]
}

export interface GraphProto {
  node?: NodeProto[]
  name?: string
  initializer?: TensorProto[]
  sparse_initializer?: SparseTensorProto[]
  input?: ValueInfoProto[]
  output?: ValueInfoProto[]
  value_info?: ValueInfoProto[]
}

export interface OperatorSetIdProto {
  domain?: string
  version?: Int64
}

export interface FunctionProto {
  name?: string
  node?: NodeProto[]
  value_info?: ValueInfoProto[]
}

export interface ModelProto {
  ir_version?: Int64
  opset_import?: OperatorSetIdProto[]
  producer_name?: string
  graph?: GraphProto
  functions?: FunctionProto[]
}

/** An int64 field as a number (every int64 an ONNX graph rewrite looks at, dims and enum values, fits in 2^53). */
export function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0
  if (typeof value === 'number') return value
  const high = value.unsigned ? value.high >>> 0 : value.high
  return high * 0x1_0000_0000 + (value.low >>> 0)
}

/** True for a node of the default ONNX domain (`''` or `ai.onnx`), whose ops the spec defines. */
export function isDefaultDomain(node: NodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx'
}
