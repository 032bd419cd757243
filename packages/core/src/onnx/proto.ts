/**
 * The ONNX file format, read and written with protobufjs: the schema (onnx/onnx `onnx/onnx.proto3`, IR version 11,
 * every message and field, so nothing a current model holds is unknown to us) and a decode/encode pair that also
 * carries fields the schema does not declare through a round trip, so a model from a newer ONNX loses nothing.
 */
import { createRequire } from 'node:module'
import type protobuf from 'protobufjs'

/** onnx/onnx `onnx/onnx.proto3` without comments, enums of versions and operator status (they are never stored). */
const onnxSchema = `
syntax = "proto3";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; SPARSE_TENSOR = 11; TYPE_PROTO = 13;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSORS = 12; TYPE_PROTOS = 14;
  }
  string name = 1;
  string ref_attr_name = 21;
  string doc_string = 13;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  GraphProto g = 6;
  SparseTensorProto sparse_tensor = 22;
  TypeProto tp = 14;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
  repeated SparseTensorProto sparse_tensors = 23;
  repeated TypeProto type_protos = 15;
}

message ValueInfoProto {
  string name = 1;
  TypeProto type = 2;
  string doc_string = 3;
  repeated StringStringEntryProto metadata_props = 4;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  string domain = 7;
  string overload = 8;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
  repeated StringStringEntryProto metadata_props = 9;
  repeated NodeDeviceConfigurationProto device_configurations = 10;
}

message IntIntListEntryProto {
  int64 key = 1;
  repeated int64 value = 2;
}

message NodeDeviceConfigurationProto {
  string configuration_id = 1;
  repeated ShardingSpecProto sharding_spec = 2;
  int32 pipeline_stage = 3;
}

message ShardingSpecProto {
  string tensor_name = 1;
  repeated int64 device = 2;
  repeated IntIntListEntryProto index_to_device_group_map = 3;
  repeated ShardedDimProto sharded_dim = 4;
}

message ShardedDimProto {
  int64 axis = 1;
  repeated SimpleShardedDimProto simple_sharding = 2;
}

message SimpleShardedDimProto {
  oneof dim {
    int64 dim_value = 1;
    string dim_param = 2;
  }
  int64 num_shards = 3;
}

message TrainingInfoProto {
  GraphProto initialization = 1;
  GraphProto algorithm = 2;
  repeated StringStringEntryProto initialization_binding = 3;
  repeated StringStringEntryProto update_binding = 4;
}

message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
  repeated TrainingInfoProto training_info = 20;
  repeated FunctionProto functions = 25;
  repeated DeviceConfigurationProto configuration = 26;
}

message DeviceConfigurationProto {
  string name = 1;
  int32 num_devices = 2;
  repeated string device = 3;
}

message StringStringEntryProto {
  string key = 1;
  string value = 2;
}

message TensorAnnotation {
  string tensor_name = 1;
  repeated StringStringEntryProto quant_parameter_tensor_names = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated SparseTensorProto sparse_initializer = 15;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
  repeated TensorAnnotation quantization_annotation = 14;
  repeated StringStringEntryProto metadata_props = 16;
}

message TensorProto {
  message Segment {
    int64 begin = 1;
    int64 end = 2;
  }
  repeated int64 dims = 1;
  int32 data_type = 2;
  Segment segment = 3;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  string name = 8;
  string doc_string = 12;
  bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  int32 data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
  repeated StringStringEntryProto metadata_props = 16;
}

message SparseTensorProto {
  TensorProto values = 1;
  TensorProto indices = 2;
  repeated int64 dims = 3;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  message Sequence {
    TypeProto elem_type = 1;
  }
  message Map {
    int32 key_type = 1;
    TypeProto value_type = 2;
  }
  message Optional {
    TypeProto elem_type = 1;
  }
  message SparseTensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  message Opaque {
    string domain = 1;
    string name = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
    Sequence sequence_type = 4;
    Map map_type = 5;
    Optional optional_type = 9;
    SparseTensor sparse_tensor_type = 8;
    Opaque opaque_type = 7;
  }
  string denotation = 6;
}

message OperatorSetIdProto {
  string domain = 1;
  int64 version = 2;
}

message FunctionProto {
  string name = 1;
  repeated string input = 4;
  repeated string output = 5;
  repeated string attribute = 6;
  repeated AttributeProto attribute_proto = 11;
  repeated NodeProto node = 7;
  string doc_string = 8;
  repeated OperatorSetIdProto opset_import = 9;
  string domain = 10;
  string overload = 13;
  repeated ValueInfoProto value_info = 12;
  repeated StringStringEntryProto metadata_props = 14;
}
`

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

/** Where a decoded message keeps the raw bytes of fields the schema does not declare. */
const unknownFields: unique symbol = Symbol('onnx.unknownFields')

type Decode = (reader: protobuf.Reader | Uint8Array, length?: number, end?: number, depth?: number) => protobuf.Message
type Encode = (message: object, writer?: protobuf.Writer, depth?: number) => protobuf.Writer

let parsedRoot: protobuf.Root | undefined
let protobufLibrary: typeof protobuf | undefined

// protobufjs and the schema load on first use: a process whose model is already converted never reads ONNX.
function lib(): typeof protobuf {
  protobufLibrary ??= createRequire(import.meta.url)('protobufjs') as typeof protobuf
  return protobufLibrary
}

// Parsed on first use: a process whose model is already converted never reads ONNX and should not pay the parse at
// start (about 60 ms of every CLI run).
function root(): protobuf.Root {
  if (!parsedRoot) {
    parsedRoot = lib().parse(onnxSchema, { keepCase: true }).root
    for (const type of allTypes(parsedRoot)) keepUnknownFields(type)
  }
  return parsedRoot
}

/**
 * Decodes an ONNX model. Throws what protobufjs throws on bytes that are not a protobuf message (a truncated file
 * gives `index out of range`); the caller turns that into a message for people.
 *
 * @example
 * const model = decodeModel(await readFile('model.onnx'))
 * console.log(model.graph?.output?.map((o) => o.name))
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return root().lookupType('onnx.ModelProto').decode(bytes) as ModelProto
}

/**
 * Encodes an ONNX model, with the fields the schema does not declare written back as they were read.
 *
 * @example
 * await writeFile('copy.onnx', encodeModel(decodeModel(await readFile('model.onnx'))))
 */
export function encodeModel(model: ModelProto): Uint8Array {
  return root().lookupType('onnx.ModelProto').encode(model).finish()
}

/** Encodes any ONNX message by name (`'NodeProto'`), for tests and tools that build models piece by piece. */
export function encodeMessage(typeName: string, message: object): Uint8Array {
  return root().lookupType(`onnx.${typeName}`).encode(message).finish()
}

/** Decodes any ONNX message by name. */
export function decodeMessage(typeName: string, bytes: Uint8Array): object {
  return root().lookupType(`onnx.${typeName}`).decode(bytes)
}

/** An int64 field as a number (every int64 an ONNX graph rewrite looks at, dims and enum values, fits in 2^53). */
export function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0
  if (typeof value === 'number') return value
  const high = value.unsigned ? value.high >>> 0 : value.high
  return high * 0x1_0000_0000 + (value.low >>> 0)
}

function allTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  const types: protobuf.Type[] = []
  for (const nested of namespace.nestedArray) {
    if (nested instanceof lib().Type) types.push(nested)
    if (nested instanceof lib().Namespace || nested instanceof lib().Type) types.push(...allTypes(nested))
  }
  return types
}

/**
 * protobufjs skips fields its schema does not declare. This wraps the generated decoder to collect them (tag and
 * value, as raw bytes) and the encoder to write them back. Nested messages are decoded through `type.decode` looked
 * up at call time, so wrapping every type covers every level.
 */
function keepUnknownFields(type: protobuf.Type): void {
  type.setup()
  const generatedDecode = type.decode as Decode
  const generatedEncode = type.encode as Encode
  const decode: Decode = (input, length, end, depth) => {
    const reader = input instanceof lib().Reader ? input : lib().Reader.create(input)
    const start = reader.pos
    const message = generatedDecode.call(type, reader, length, end, depth)
    // Groups (`end` set) are proto2-only and absent from ONNX; their bytes are not ours to scan.
    if (end === undefined) attachUnknown(message, collectUnknown(type, reader.buf, start, reader.pos))
    return message
  }
  const encode: Encode = (message, writer, depth) => {
    const out = generatedEncode.call(type, message, writer, depth)
    for (const field of (message as { [unknownFields]?: Uint8Array[] })[unknownFields] ?? []) writeRaw(out, field)
    return out
  }
  type.decode = decode as typeof type.decode
  type.encode = encode as typeof type.encode
}

function collectUnknown(type: protobuf.Type, buf: Uint8Array, start: number, end: number): Uint8Array[] {
  const found: Uint8Array[] = []
  const reader = lib().Reader.create(buf)
  reader.pos = start
  reader.len = end
  while (reader.pos < end) {
    const fieldStart = reader.pos
    const tag = reader.uint32()
    reader.skipType(tag & 7)
    if (type.fieldsById[tag >>> 3] === undefined) found.push(buf.subarray(fieldStart, reader.pos))
  }
  return found
}

function attachUnknown(message: object, fields: Uint8Array[]): void {
  if (fields.length === 0) return
  // A symbol key: invisible to JSON, `toObject` and spreads of the known fields, and never clashes with a field.
  Object.defineProperty(message, unknownFields, { value: fields, enumerable: false, writable: true })
}

/** Writes one field kept as raw bytes (tag included) through the writer's public API. */
function writeRaw(writer: protobuf.Writer, field: Uint8Array): void {
  const reader = lib().Reader.create(field)
  const tag = reader.uint32()
  writer.uint32(tag)
  const wireType = tag & 7
  if (wireType === 0) writer.uint64(reader.uint64())
  else if (wireType === 1) writer.fixed64(reader.fixed64())
  else if (wireType === 2) writer.bytes(reader.bytes())
  else if (wireType === 5) writer.fixed32(reader.fixed32())
  else throw new Error(`Cannot re-encode a field of wire type ${wireType} (proto2 groups are not used by ONNX)`)
}

/** True for a node of the default ONNX domain (`''` or `ai.onnx`), whose ops the spec defines. */
export function isDefaultDomain(node: NodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx'
}
