import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  createSession,
  ensureModel,
  loadRuntime,
  logLine,
  modelDirs
} from "./chunk-AD3ZBOQV.js";
import {
  fileIdentity,
  rememberedSha256,
  sha256,
  sha256File,
  writeFileAtomic
} from "./chunk-N5YKAANY.js";
import {
  RembgError,
  loadSharp
} from "./chunk-XPT3MNYB.js";
import "./chunk-NV5WPINZ.js";

// ../core/dist/chunk-local-session.js
import { createRequire } from "node:module";
import { access, readFile, readdir, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
function pruneGraph(graph, keep) {
  sortNodes(graph);
  const nodes = graph.node ?? [];
  const needed = new Set(keep);
  const kept = [];
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index];
    if (!(node.output ?? []).some((name) => needed.has(name))) continue;
    kept.push(node);
    for (const name of nodeReferences(node)) needed.add(name);
  }
  const before = sizes(graph);
  graph.node = kept.reverse();
  graph.output = (graph.output ?? []).filter((output) => keep.includes(output.name ?? ""));
  dropUnused(graph, needed);
  return sizes(graph) !== before;
}
function sortNodes(graph) {
  const nodes = graph.node ?? [];
  const producers = /* @__PURE__ */ new Map();
  nodes.forEach((node, index) => {
    for (const name of node.output ?? []) producers.set(name, index);
  });
  const dependencies = nodes.map((node, index) => {
    const found = new Set(nodeReferences(node).map((name) => producers.get(name) ?? index));
    found.delete(index);
    return [...found].sort((a, b) => a - b);
  });
  if (dependencies.every((list, index) => list.every((dependency) => dependency < index))) return;
  graph.node = depthFirstOrder(dependencies).map((index) => nodes[index]);
}
function depthFirstOrder(dependencies) {
  const state = new Uint8Array(dependencies.length);
  const order = [];
  for (let root2 = 0; root2 < dependencies.length; root2++) {
    if (state[root2] !== 0) continue;
    state[root2] = 1;
    const stack = [{
      index: root2,
      next: 0
    }];
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const dependency = dependencies[top.index]?.[top.next++];
      if (dependency === void 0) {
        state[top.index] = 2;
        order.push(top.index);
        stack.pop();
      } else if (state[dependency] === 0) {
        state[dependency] = 1;
        stack.push({
          index: dependency,
          next: 0
        });
      }
    }
  }
  return order;
}
function neededNames(graph) {
  const outputs = (graph.output ?? []).map((output) => output.name ?? "");
  return /* @__PURE__ */ new Set([...(graph.node ?? []).flatMap(nodeReferences), ...outputs]);
}
function dropUnused(graph, needed) {
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  graph.initializer = (graph.initializer ?? []).filter((tensor) => needed.has(tensor.name ?? ""));
  graph.sparse_initializer = (graph.sparse_initializer ?? []).filter((sparse) => needed.has(sparse.values?.name ?? ""));
  graph.input = (graph.input ?? []).filter((input) => !initializers.has(input.name) || needed.has(input.name ?? ""));
  const produced = new Set((graph.node ?? []).flatMap((node) => node.output ?? []));
  graph.value_info = (graph.value_info ?? []).filter((info) => produced.has(info.name ?? ""));
}
function sizes(graph) {
  return [
    graph.node,
    graph.output,
    graph.initializer,
    graph.sparse_initializer,
    graph.input,
    graph.value_info
  ].map((list) => list?.length ?? 0).join(",");
}
function nodeReferences(node) {
  const names = [...node.input ?? []];
  for (const graph of subgraphs(node)) names.push(...graphNames(graph));
  return names;
}
function graphNames(graph) {
  const names = (graph.output ?? []).map((output) => output.name ?? "");
  for (const node of graph.node ?? []) names.push(...nodeReferences(node));
  return names;
}
function subgraphs(node) {
  return (node.attribute ?? []).flatMap((attribute) => [...attribute.g ? [attribute.g] : [], ...attribute.graphs ?? []]);
}
var DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT64: 7,
  FLOAT16: 10
};
var AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  INTS: 7,
  TENSORS: 9,
  GRAPHS: 10
};
function toNumber(value) {
  if (value === void 0) return 0;
  if (typeof value === "number") return value;
  return (value.unsigned ? value.high >>> 0 : value.high) * 4294967296 + (value.low >>> 0);
}
function isDefaultDomain(node) {
  return !node.domain || node.domain === "ai.onnx";
}
var sameTypeOps = new Set("Abs Add AveragePool BatchNormalization Ceil Celu Clip Concat Conv ConvTranspose Cos DepthToSpace Div Dropout Elu Erf Exp Expand Flatten Floor Gather GatherElements GatherND Gelu Gemm GlobalAveragePool GlobalMaxPool HardSigmoid HardSwish Identity InstanceNormalization LayerNormalization LeakyRelu Log LogSoftmax LRN MatMul Max MaxPool Mean Min Mish Mul Neg Pad Pow PRelu Reciprocal ReduceMax ReduceMean ReduceMin ReduceSum Relu Reshape Resize Round Selu Sigmoid Sign Sin Slice Softmax Softplus Softsign SpaceToDepth Split Sqrt Squeeze Sub Sum Tanh Tile Transpose Unsqueeze Upsample".split(" "));
function removeIdentityCasts(graph, outerTypes) {
  const scope = {
    types: knownTypes(graph, outerTypes),
    outputs: new Set((graph.output ?? []).map((output) => output.name ?? "")),
    alias: /* @__PURE__ */ new Map(),
    rename: /* @__PURE__ */ new Map(),
    producers: /* @__PURE__ */ new Map()
  };
  sortNodes(graph);
  const before = graph.node?.length ?? 0;
  graph.node = (graph.node ?? []).filter((node) => !removeCast(node, scope));
  const final = (name) => scope.rename.get(resolve$1(scope.alias, name)) ?? resolve$1(scope.alias, name);
  for (const node of graph.node) renameReferences(node, final);
  graph.value_info = renamedValueInfo(graph.value_info ?? [], scope);
  let removed = before - graph.node.length;
  for (const node of graph.node) for (const sub of subgraphs(node)) removed += removeIdentityCasts(sub, scope.types);
  return removed;
}
function removeCast(node, scope) {
  const typeOf = (name) => scope.types.get(resolve$1(scope.alias, name ?? ""));
  recordTypes(node, typeOf, scope.types);
  for (const output2 of node.output ?? []) scope.producers.set(output2, node);
  if (node.op_type !== "Cast" || !isDefaultDomain(node)) return false;
  const [input = "", output = ""] = [node.input?.[0], node.output?.[0]];
  const to = toNumber(node.attribute?.find((attribute) => attribute.name === "to")?.i);
  if (typeOf(input) !== to) return false;
  const source = resolve$1(scope.alias, input);
  if (!scope.outputs.has(output)) {
    scope.alias.set(output, source);
    return true;
  }
  const producer = scope.producers.get(source);
  if (!producer || scope.outputs.has(source) || scope.rename.has(source)) return false;
  scope.rename.set(source, output);
  producer.output = (producer.output ?? []).map((name) => name === source ? output : name);
  scope.producers.set(output, producer);
  return true;
}
function resolve$1(alias, name) {
  let current = name;
  for (let next = alias.get(current); next !== void 0; next = alias.get(current)) current = next;
  return current;
}
function knownTypes(graph, outer) {
  const types = new Map(outer);
  const infos = [
    ...graph.value_info ?? [],
    ...graph.input ?? [],
    ...graph.output ?? []
  ];
  for (const info of infos) {
    const type = info.type?.tensor_type?.elem_type;
    if (info.name && type) types.set(info.name, type);
  }
  for (const tensor of graph.initializer ?? []) if (tensor.name) types.set(tensor.name, tensor.data_type ?? 0);
  for (const sparse of graph.sparse_initializer ?? []) if (sparse.values?.name) types.set(sparse.values.name, sparse.values.data_type ?? 0);
  return types;
}
function recordTypes(node, typeOf, types) {
  if (!isDefaultDomain(node)) return;
  const op = node.op_type ?? "";
  const outputs = node.output ?? [];
  const attribute = (name) => node.attribute?.find((a) => a.name === name);
  let type;
  if (op === "Cast") type = toNumber(attribute("to")?.i);
  else if (op === "CastLike") type = typeOf(node.input?.[1]);
  else if (op === "Constant") type = constantType(node);
  else if (op === "Where") type = typeOf(node.input?.[1]);
  else if (sameTypeOps.has(op)) type = typeOf(node.input?.[0]);
  if (!type) return;
  for (const name of op === "Split" ? outputs : outputs.slice(0, 1)) types.set(name, type);
}
function constantType(node) {
  const attribute = node.attribute?.[0];
  if (attribute?.t) return attribute.t.data_type;
  if (attribute?.sparse_tensor?.values) return attribute.sparse_tensor.values.data_type;
  if (attribute?.name === "value_float" || attribute?.name === "value_floats") return DataType.FLOAT;
  if (attribute?.name === "value_int" || attribute?.name === "value_ints") return DataType.INT64;
}
function renameReferences(node, rename) {
  node.input = (node.input ?? []).map((name) => name === "" ? name : rename(name));
  for (const graph of subgraphs(node)) {
    for (const output of graph.output ?? []) output.name = rename(output.name ?? "");
    for (const inner of graph.node ?? []) renameReferences(inner, rename);
  }
}
function renamedValueInfo(infos, scope) {
  return infos.filter((info) => !scope.alias.has(info.name ?? "") && !scope.rename.has(info.name ?? ""));
}
var typeAttributes = {
  Cast: "to",
  EyeLike: "dtype",
  RandomNormal: "dtype",
  RandomUniform: "dtype",
  RandomNormalLike: "dtype",
  RandomUniformLike: "dtype",
  Bernoulli: "dtype"
};
function convertModel(model) {
  let changes = model.graph ? convertGraph(model.graph) : 0;
  for (const fn of model.functions ?? []) {
    for (const node of fn.node ?? []) changes += convertNode(node);
    for (const info of fn.value_info ?? []) changes += convertValueInfo(info);
  }
  return changes;
}
function convertGraph(graph) {
  let changes = 0;
  for (const tensor of graph.initializer ?? []) changes += convertTensor(tensor);
  for (const sparse of graph.sparse_initializer ?? []) changes += convertSparse(sparse);
  for (const info of [
    ...graph.input ?? [],
    ...graph.output ?? [],
    ...graph.value_info ?? []
  ]) changes += convertValueInfo(info);
  for (const node of graph.node ?? []) changes += convertNode(node);
  return changes;
}
function convertNode(node) {
  let changes = 0;
  const typeAttribute = isDefaultDomain(node) ? typeAttributes[node.op_type ?? ""] : void 0;
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === typeAttribute && toNumber(attribute.i) === DataType.FLOAT16) {
      attribute.i = DataType.FLOAT;
      changes++;
    }
    changes += convertAttribute(attribute);
  }
  return changes;
}
function convertAttribute(attribute) {
  let changes = 0;
  for (const tensor of [...attribute.t ? [attribute.t] : [], ...attribute.tensors ?? []]) changes += convertTensor(tensor);
  const sparse = [...attribute.sparse_tensor ? [attribute.sparse_tensor] : [], ...attribute.sparse_tensors ?? []];
  for (const tensor of sparse) changes += convertSparse(tensor);
  for (const type of [...attribute.tp ? [attribute.tp] : [], ...attribute.type_protos ?? []]) changes += convertType(type);
  for (const graph of [...attribute.g ? [attribute.g] : [], ...attribute.graphs ?? []]) changes += convertGraph(graph);
  return changes;
}
function convertValueInfo(info) {
  return info.type ? convertType(info.type) : 0;
}
function convertType(type) {
  let changes = 0;
  for (const tensor of [type.tensor_type, type.sparse_tensor_type]) if (tensor?.elem_type === DataType.FLOAT16) {
    tensor.elem_type = DataType.FLOAT;
    changes++;
  }
  for (const inner of [
    type.sequence_type?.elem_type,
    type.optional_type?.elem_type,
    type.map_type?.value_type
  ]) if (inner) changes += convertType(inner);
  return changes;
}
function convertSparse(sparse) {
  return sparse.values ? convertTensor(sparse.values) : 0;
}
function convertTensor(tensor) {
  if (tensor.data_type !== DataType.FLOAT16) return 0;
  tensor.data_type = DataType.FLOAT;
  if (tensor.raw_data?.length) tensor.raw_data = halfBytesToFloat(tensor.raw_data);
  else if (tensor.int32_data?.length) {
    tensor.raw_data = halfBitsToFloat(tensor.int32_data);
    tensor.int32_data = [];
  }
  return 1;
}
var halfTable;
function halfToFloatTable() {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 32768 ? -1 : 1;
    const exponent = bits >> 10 & 31;
    const fraction = bits & 1023;
    if (exponent === 0) halfTable[bits] = sign * fraction * 2 ** -24;
    else if (exponent === 31) halfTable[bits] = fraction ? NaN : sign * Number.POSITIVE_INFINITY;
    else halfTable[bits] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}
function halfBytesToFloat(bytes) {
  const table = halfToFloatTable();
  const values = new Float32Array(bytes.length >> 1);
  for (let index = 0; index < values.length; index++) values[index] = table[bytes[2 * index] | bytes[2 * index + 1] << 8];
  return Buffer.from(values.buffer);
}
function halfBitsToFloat(bits) {
  const table = halfToFloatTable();
  return Buffer.from(Float32Array.from(bits, (value) => table[value & 65535]).buffer);
}
var InputSizeUnsupported = class extends Error {
};
function rewriteInputSize(graph, size) {
  const input = graph.input?.[0];
  const trained = squareSide(input);
  if (trained === void 0) throw new InputSizeUnsupported("its input is not a fixed square image (N, C, H, W)");
  if (!Number.isInteger(size) || size < 32 || size >= trained) throw new InputSizeUnsupported(`the input size ${size} is not between 32 and ${trained - 1}`);
  const producers = /* @__PURE__ */ new Map();
  for (const node of graph.node ?? []) for (const name of node.output ?? []) producers.set(name, node);
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? "", tensor]));
  const targets = /* @__PURE__ */ new Set();
  for (const node of graph.node ?? []) {
    if (node.op_type !== "Resize") continue;
    const sizesName = node.input?.[3] ?? "";
    if (sizesName === "") continue;
    for (const tensor of sizeConstants(sizesName, producers, initializers)) targets.add(tensor);
  }
  const scaled = [...targets].map((tensor) => [tensor, scaleSides(readInt64(tensor), trained, size)]);
  for (const [tensor, values] of scaled) writeInt64(tensor, values);
  setSpatial(input, size);
  for (const output of graph.output ?? []) if (squareSide(output) === trained) setSpatial(output, size);
  graph.value_info = [];
  return trained;
}
function squareSide(info) {
  const dims = info?.type?.tensor_type?.shape?.dim;
  if (dims?.length !== 4) return void 0;
  const [height, width] = [dims[2]?.dim_value, dims[3]?.dim_value].map((v) => v === void 0 ? 0 : toNumber(v));
  return height && height === width ? height : void 0;
}
function setSpatial(info, size) {
  const dims = info.type?.tensor_type?.shape?.dim ?? [];
  dims[2] = { dim_value: size };
  dims[3] = { dim_value: size };
}
function sizeConstants(name, producers, initializers) {
  const constant = constantTensor(name, producers, initializers);
  if (constant) return [constant];
  const node = producers.get(name);
  if (node?.op_type === "Concat") return (node.input ?? []).map((part) => {
    const tensor = constantTensor(part, producers, initializers);
    if (tensor) return tensor;
    if (producers.get(part)?.op_type === "Slice" && isShapeSlice(part, producers)) return null;
    throw new InputSizeUnsupported(`the target size of a Resize (${name}) is computed in a way not understood`);
  }).filter((part) => part !== null);
  throw new InputSizeUnsupported(`the target size of a Resize (${name}) is computed in a way not understood`);
}
function isShapeSlice(name, producers) {
  const slice = producers.get(name);
  return producers.get(slice?.input?.[0] ?? "")?.op_type === "Shape";
}
function constantTensor(name, producers, initializers) {
  const initializer = initializers.get(name);
  if (initializer) return initializer;
  const node = producers.get(name);
  if (node?.op_type !== "Constant") return void 0;
  return node.attribute?.find((attribute) => attribute.name === "value")?.t;
}
function readInt64(tensor) {
  const raw = tensor.raw_data;
  if (tensor.data_type !== DataType.INT64 || !raw || raw.length % 8 !== 0) throw new InputSizeUnsupported(`the Resize size constant '${tensor.name ?? ""}' is not stored as raw int64`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}
function writeInt64(tensor, values) {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  for (const [i, value] of values.entries()) view.setBigInt64(i * 8, BigInt(value), true);
  tensor.raw_data = raw;
}
function scaleSides(values, trained, size) {
  return values.map((value) => {
    const factor = trained / value;
    if (!(value > 0) || !Number.isInteger(factor) || (factor & factor - 1) !== 0) throw new InputSizeUnsupported(`a Resize targets ${value}, which is not the input side ${trained} halved`);
    return Math.ceil(size / factor);
  });
}
var onnxSchema = `
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
`;
var unknownFields = /* @__PURE__ */ Symbol("onnx.unknownFields");
var parsedRoot;
var protobufLibrary;
function lib() {
  protobufLibrary ??= createRequire(import.meta.url)("protobufjs");
  return protobufLibrary;
}
function root() {
  if (!parsedRoot) {
    parsedRoot = lib().parse(onnxSchema, { keepCase: true }).root;
    for (const type of allTypes(parsedRoot)) keepUnknownFields(type);
  }
  return parsedRoot;
}
function decodeModel(bytes) {
  return root().lookupType("onnx.ModelProto").decode(bytes);
}
function encodeModel(model) {
  return root().lookupType("onnx.ModelProto").encode(model).finish();
}
function allTypes(namespace) {
  const types = [];
  for (const nested of namespace.nestedArray) {
    if (nested instanceof lib().Type) types.push(nested);
    if (nested instanceof lib().Namespace || nested instanceof lib().Type) types.push(...allTypes(nested));
  }
  return types;
}
function keepUnknownFields(type) {
  type.setup();
  const generatedDecode = type.decode;
  const generatedEncode = type.encode;
  const decode = (input, length, end, depth) => {
    const reader = input instanceof lib().Reader ? input : lib().Reader.create(input);
    const start = reader.pos;
    const message = generatedDecode.call(type, reader, length, end, depth);
    if (end === void 0) attachUnknown(message, collectUnknown(type, reader.buf, start, reader.pos));
    return message;
  };
  const encode = (message, writer, depth) => {
    const out = generatedEncode.call(type, message, writer, depth);
    for (const field of message[unknownFields] ?? []) writeRaw(out, field);
    return out;
  };
  type.decode = decode;
  type.encode = encode;
}
function collectUnknown(type, buf, start, end) {
  const found = [];
  const reader = lib().Reader.create(buf);
  reader.pos = start;
  reader.len = end;
  while (reader.pos < end) {
    const fieldStart = reader.pos;
    const tag = reader.uint32();
    reader.skipType(tag & 7);
    if (type.fieldsById[tag >>> 3] === void 0) found.push(buf.subarray(fieldStart, reader.pos));
  }
  return found;
}
function attachUnknown(message, fields) {
  if (fields.length === 0) return;
  Object.defineProperty(message, unknownFields, {
    value: fields,
    enumerable: false,
    writable: true
  });
}
function writeRaw(writer, field) {
  const reader = lib().Reader.create(field);
  const tag = reader.uint32();
  writer.uint32(tag);
  const wireType = tag & 7;
  if (wireType === 0) writer.uint64(reader.uint64());
  else if (wireType === 1) writer.fixed64(reader.fixed64());
  else if (wireType === 2) writer.bytes(reader.bytes());
  else if (wireType === 5) writer.fixed32(reader.fixed32());
  else throw new Error(`Cannot re-encode a field of wire type ${wireType} (proto2 groups are not used by ONNX)`);
}
var winogradBt = [
  [
    4,
    0,
    -5,
    0,
    1,
    0
  ],
  [
    0,
    -4,
    -4,
    1,
    1,
    0
  ],
  [
    0,
    4,
    -4,
    -1,
    1,
    0
  ],
  [
    0,
    -2,
    -1,
    2,
    1,
    0
  ],
  [
    0,
    2,
    -1,
    -2,
    1,
    0
  ],
  [
    0,
    4,
    0,
    -5,
    0,
    1
  ]
];
var winogradG = [
  [
    1 / 4,
    0,
    0
  ],
  [
    -1 / 6,
    -1 / 6,
    -1 / 6
  ],
  [
    -1 / 6,
    1 / 6,
    -1 / 6
  ],
  [
    1 / 24,
    1 / 12,
    1 / 6
  ],
  [
    1 / 24,
    -1 / 12,
    1 / 6
  ],
  [
    0,
    0,
    1
  ]
];
var winogradAt = [
  [
    1,
    1,
    1,
    1,
    1,
    0
  ],
  [
    0,
    1,
    -1,
    2,
    -2,
    0
  ],
  [
    0,
    1,
    1,
    4,
    4,
    0
  ],
  [
    0,
    1,
    -1,
    8,
    -8,
    1
  ]
];
var winogradMinChannelProduct = 16384;
var winogradMaxPixels = 256 * 256;
function rewriteWinograd(graph) {
  const shapes = declaredShapes(graph);
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? "", tensor]));
  const shared = /* @__PURE__ */ new Map();
  const nodes = [];
  let count = 0;
  for (const node of graph.node ?? []) {
    const conv = winogradCandidate(node, initializers, shapes);
    if (!conv) {
      nodes.push(node);
      continue;
    }
    const added = winogradNodes(conv, shared);
    nodes.push(...added.nodes);
    graph.initializer = [...graph.initializer ?? [], ...added.initializers];
    count++;
  }
  if (count === 0) return 0;
  graph.node = nodes;
  graph.initializer = [...graph.initializer ?? [], ...shared.values()];
  return count;
}
function declaredShapes(graph) {
  const shapes = /* @__PURE__ */ new Map();
  for (const info of [
    ...graph.value_info ?? [],
    ...graph.input ?? [],
    ...graph.output ?? []
  ]) {
    const dims = info.type?.tensor_type?.shape?.dim;
    if (info.name && dims) shapes.set(info.name, dims.map((dim) => dim.dim_param ? -1 : toNumber(dim.dim_value)));
  }
  return shapes;
}
function winogradCandidate(node, initializers, shapes) {
  if (node.op_type !== "Conv" || !isDefaultDomain(node) || !plainConvAttributes(node)) return void 0;
  const [input = "", weightName = "", biasName] = node.input ?? [];
  const weightTensor = initializers.get(weightName);
  const dims = (weightTensor?.dims ?? []).map(toNumber);
  const [outChannels = 0, inChannels = 0] = dims;
  if (dims.length !== 4 || dims[2] !== 3 || dims[3] !== 3 || !input) return void 0;
  const [batch, channels, height = 0, width = 0] = shapes.get(node.output?.[0] ?? "") ?? [];
  if (batch !== 1 || channels !== outChannels || height % 4 || width % 4 || height <= 0 || width <= 0) return void 0;
  if (outChannels * inChannels < winogradMinChannelProduct || height * width > winogradMaxPixels) return void 0;
  const weight = floatValues(weightTensor, outChannels * inChannels * 9);
  const bias = biasName ? floatValues(initializers.get(biasName), outChannels) : void 0;
  if (!weight || biasName && !bias) return void 0;
  return {
    node,
    weight,
    bias,
    outChannels,
    inChannels,
    height,
    width
  };
}
function plainConvAttributes(node) {
  const all = (values, expected, length) => values.length === length && values.every((value) => value === expected);
  for (const attribute of node.attribute ?? []) {
    const ints = (attribute.ints ?? []).map(toNumber);
    const name = attribute.name ?? "";
    if (name === "group" && toNumber(attribute.i) !== 1) return false;
    if ((name === "strides" || name === "dilations") && !all(ints, 1, 2)) return false;
    if (name === "pads" && !all(ints, 1, 4)) return false;
    if (name === "kernel_shape" && !all(ints, 3, 2)) return false;
    if (name === "auto_pad" && Buffer.from(attribute.s ?? []).toString() !== "NOTSET") return false;
  }
  return (node.attribute ?? []).some((attribute) => attribute.name === "pads");
}
function floatValues(tensor, length) {
  if (tensor?.data_type !== DataType.FLOAT || tensor.data_location === 1) return void 0;
  const values = tensor.raw_data?.length ? new Float32Array(new Uint8Array(tensor.raw_data).buffer) : Float32Array.from(tensor.float_data ?? []);
  return values.length === length ? values : void 0;
}
function winogradNodes(conv, shared) {
  const { node, outChannels: k, inChannels: c, height, width } = conv;
  const output = node.output?.[0] ?? "";
  const p = `${output}/winograd`;
  const inputTransform = sharedTensor(shared, `winograd/input_transform_${c}`, () => inputTransformWeights(c));
  const outputTransform = sharedTensor(shared, "winograd/output_transform", outputTransformWeights);
  const initializers = [
    floatTensor(`${p}/weights`, [
      36,
      k,
      c
    ], transformedWeights(conv)),
    int64Tensor(`${p}/tiles_shape`, [
      c,
      36,
      -1
    ]),
    int64Tensor(`${p}/products_shape`, [36, -1]),
    int64Tensor(`${p}/blocks_shape`, [
      1,
      16 * k,
      height / 4,
      width / 4
    ])
  ];
  const blocks = conv.bias ? `${p}/blocks` : output;
  const nodes = [
    winogradNode("Conv", [node.input?.[0] ?? "", inputTransform], `${p}/tiles`, [
      intAttribute("group", c),
      intsAttribute("kernel_shape", [6, 6]),
      intsAttribute("strides", [4, 4]),
      intsAttribute("pads", [
        1,
        1,
        1,
        1
      ])
    ]),
    winogradNode("Reshape", [`${p}/tiles`, `${p}/tiles_shape`], `${p}/tiles_by_channel`),
    winogradNode("Transpose", [`${p}/tiles_by_channel`], `${p}/tiles_by_position`, [intsAttribute("perm", [
      1,
      0,
      2
    ])]),
    winogradNode("MatMul", [`${p}/weights`, `${p}/tiles_by_position`], `${p}/products`),
    winogradNode("Reshape", [`${p}/products`, `${p}/products_shape`], `${p}/products_flat`),
    winogradNode("MatMul", [outputTransform, `${p}/products_flat`], `${p}/outputs`),
    winogradNode("Reshape", [`${p}/outputs`, `${p}/blocks_shape`], `${p}/blocks_by_position`),
    winogradNode("DepthToSpace", [`${p}/blocks_by_position`], blocks, [intAttribute("blocksize", 4), {
      name: "mode",
      type: AttributeType.STRING,
      s: Buffer.from("DCR")
    }])
  ];
  if (conv.bias) {
    initializers.push(floatTensor(`${p}/bias`, [
      1,
      k,
      1,
      1
    ], conv.bias));
    nodes.push(winogradNode("Add", [blocks, `${p}/bias`], output));
  }
  return {
    nodes,
    initializers
  };
}
function winogradNode(op, input, output, attribute = []) {
  return {
    op_type: op,
    name: output,
    input,
    output: [output],
    attribute
  };
}
function sharedTensor(shared, name, values) {
  if (!shared.has(name)) {
    const data = values();
    shared.set(name, floatTensor(name, name.endsWith("output_transform") ? [16, 36] : [
      data.length / 36,
      1,
      6,
      6
    ], data));
  }
  return name;
}
function inputTransformWeights(channels) {
  const weights = new Float32Array(channels * 36 * 36);
  for (let c = 0; c < channels; c++) for (let ab = 0; ab < 36; ab++) {
    const [rowA, rowB] = [winogradBt[Math.floor(ab / 6)] ?? [], winogradBt[ab % 6] ?? []];
    for (let ij = 0; ij < 36; ij++) weights[(c * 36 + ab) * 36 + ij] = (rowA[Math.floor(ij / 6)] ?? 0) * (rowB[ij % 6] ?? 0);
  }
  return weights;
}
function outputTransformWeights() {
  const weights = new Float32Array(576);
  for (let pq = 0; pq < 16; pq++) {
    const [rowP, rowQ] = [winogradAt[pq >> 2] ?? [], winogradAt[pq & 3] ?? []];
    for (let ab = 0; ab < 36; ab++) weights[pq * 36 + ab] = (rowP[Math.floor(ab / 6)] ?? 0) * (rowQ[ab % 6] ?? 0);
  }
  return weights;
}
function transformedWeights(conv) {
  const { weight, outChannels: k, inChannels: c } = conv;
  const result = new Float32Array(36 * k * c);
  const gg = new Float64Array(18);
  for (let filter = 0; filter < k * c; filter++) {
    const g = weight.subarray(filter * 9, filter * 9 + 9);
    for (let a = 0; a < 6; a++) {
      const row = winogradG[a] ?? [];
      for (let j = 0; j < 3; j++) gg[a * 3 + j] = (row[0] ?? 0) * (g[j] ?? 0) + (row[1] ?? 0) * (g[3 + j] ?? 0) + (row[2] ?? 0) * (g[6 + j] ?? 0);
    }
    for (let ab = 0; ab < 36; ab++) {
      const [a, column] = [Math.floor(ab / 6), winogradG[ab % 6] ?? []];
      const value = (gg[a * 3] ?? 0) * (column[0] ?? 0) + (gg[a * 3 + 1] ?? 0) * (column[1] ?? 0);
      result[ab * k * c + filter] = value + (gg[a * 3 + 2] ?? 0) * (column[2] ?? 0);
    }
  }
  return result;
}
function floatTensor(name, dims, values) {
  return {
    name,
    dims,
    data_type: DataType.FLOAT,
    raw_data: Buffer.from(values.buffer, values.byteOffset, values.byteLength)
  };
}
function int64Tensor(name, values) {
  const data = BigInt64Array.from(values, (value) => BigInt(value));
  return {
    name,
    dims: [values.length],
    data_type: DataType.INT64,
    raw_data: Buffer.from(data.buffer)
  };
}
function intAttribute(name, value) {
  return {
    name,
    type: AttributeType.INT,
    i: value
  };
}
function intsAttribute(name, values) {
  return {
    name,
    type: AttributeType.INTS,
    ints: values
  };
}
async function optimizeModel(sourcePath, options = {}) {
  const hash = options.cacheDir ? await rememberedSha256(sourcePath, options.cacheDir) : await sha256File(sourcePath);
  const target = optimizedPath(sourcePath, hash, options);
  if (options.inputSize === void 0 ? await exists(target) : await verifiedDerived(target, hash, options)) return {
    path: target,
    converted: false,
    reused: true
  };
  const model = parseModel(await readFile(sourcePath), sourcePath);
  if (usesExternalData(model)) return {
    path: sourcePath,
    converted: false,
    reused: false
  };
  const { changed, converted } = rewriteModel(model, options, sourcePath);
  if (!changed) return {
    path: sourcePath,
    converted: false,
    reused: false
  };
  await writeFileAtomic(target, encodeModel(model));
  if (options.inputSize !== void 0) await recordDerived(target, hash, options);
  await removePreviousVersions(target, sourcePath, hash);
  return {
    path: target,
    converted,
    reused: false
  };
}
async function recordDerived(target, source, options) {
  const folder = options.cacheDir ?? dirname(target);
  const identity = await fileIdentity(target);
  const record = {
    source,
    inputSize: options.inputSize ?? 0,
    size: identity?.size ?? 0,
    sha256: await rememberedSha256(target, folder)
  };
  await writeFileAtomic(`${target}.json`, Buffer.from(`${JSON.stringify(record, null, 2)}
`));
}
async function verifiedDerived(target, source, options) {
  const identity = await fileIdentity(target);
  if (!identity) return false;
  const record = await readFile(`${target}.json`, "utf8").then((text) => JSON.parse(text)).catch(() => null);
  const valid = record !== null && record.source === source && record.inputSize === options.inputSize && record.size === identity.size && record.sha256 === await rememberedSha256(target, options.cacheDir ?? dirname(target));
  if (!valid) await Promise.all([rm(target, { force: true }), rm(`${target}.json`, { force: true })]);
  return valid;
}
function optimizedPath(sourcePath, hash, options) {
  const name = basename(sourcePath, extname(sourcePath));
  const outputs = options.keepOutputs ? `-${sha256(...options.keepOutputs).slice(0, 8)}` : "";
  const variant = `${options.winograd === true ? ".winograd" : ""}${options.inputSize === void 0 ? "" : `.s${options.inputSize}`}`;
  const key = sha256(hash, optimizerVersion).slice(0, 16);
  return join(options.cacheDir ?? dirname(sourcePath), `${name}.${key}${outputs}${variant}.opt.onnx`);
}
var optimizerVersion = "rembg-kit-optimize-3";
function previousKeys(hash) {
  return [hash.slice(0, 16), sha256(hash, "rembg-kit-optimize-2").slice(0, 16)];
}
async function removePreviousVersions(target, sourcePath, hash) {
  const folder = dirname(target);
  const prefixes = previousKeys(hash).map((key) => `${basename(sourcePath, extname(sourcePath))}.${key}`);
  for (const entry of await readdir(folder)) if (entry.endsWith(".opt.onnx") && prefixes.some((prefix) => entry.startsWith(`${prefix}.`) || entry.startsWith(`${prefix}-`))) await rm(join(folder, entry), { force: true });
}
async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
function modelInvalid(path, cause) {
  return new RembgError(`The file '${path}' is not a valid ONNX model (it is truncated or is not an ONNX file). If it was downloaded, delete it and download it again.`, {
    status: 500,
    code: "MODEL_INVALID",
    file: path,
    cause
  });
}
function parseModel(bytes, path) {
  let model;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw modelInvalid(path, error);
  }
  const graph = model.graph;
  if (!(toNumber(model.ir_version) > 0 && (model.opset_import?.length ?? 0) > 0 && graph?.output?.length)) throw modelInvalid(path);
  return model;
}
function rewriteModel(model, options, label = "model") {
  const graph = model.graph ?? {};
  const keep = options.keepOutputs ?? [graph.output?.[0]?.name ?? ""];
  checkOutputs(graph, keep, label);
  const pruned = pruneGraph(graph, keep);
  const converted = convertModel(model) > 0;
  const casts = removeIdentityCasts(graph, /* @__PURE__ */ new Map());
  if (options.inputSize !== void 0) resizeInput(graph, options.inputSize, label);
  const winograd = options.winograd === true ? rewriteWinograd(graph) : 0;
  if (winograd > 0) dropUnused(graph, neededNames(graph));
  const resized = options.inputSize !== void 0;
  return {
    changed: pruned || converted || casts > 0 || winograd > 0 || resized,
    converted
  };
}
function resizeInput(graph, size, label) {
  try {
    rewriteInputSize(graph, size);
  } catch (error) {
    if (!(error instanceof InputSizeUnsupported)) throw error;
    throw new RembgError(`The model '${label}' cannot run at ${size}x${size}: ${error.message}.`, {
      status: 500,
      code: "MODEL_INPUT_SIZE",
      file: label
    });
  }
}
function checkOutputs(graph, keep, label) {
  const names = (graph.output ?? []).map((output) => output.name ?? "");
  const missing = keep.find((name) => !names.includes(name));
  if (missing === void 0) return;
  throw new RembgError(`The model '${label}' has no output '${missing}'. Its outputs are: ${names.join(", ")}.`, {
    status: 500,
    code: "MODEL_OUTPUT_UNKNOWN",
    file: label
  });
}
function usesExternalData(model) {
  const external = (tensor) => tensor?.data_location === 1;
  const inGraph = (graph) => (graph.initializer ?? []).some(external) || (graph.sparse_initializer ?? []).some((sparse) => external(sparse.values)) || (graph.node ?? []).some((node) => (node.attribute ?? []).some((a) => external(a.t) || (a.tensors ?? []).some(external)) || subgraphs(node).some(inGraph));
  return model.graph ? inGraph(model.graph) : false;
}
async function openSession(spec, options, inputSize) {
  const source = await ensureModel(spec, options.mirror ? { mirror: options.mirror } : {});
  const winograd = options.winograd === true && (options.provider ?? "cpu") === "cpu";
  const sized = inputSize === void 0 ? {} : { inputSize };
  const created = await createSession((await optimizeModel(source, {
    cacheDir: modelDirs().home,
    winograd,
    ...sized
  })).path, options, savedFormDir());
  const preset = inputSize === void 0 ? "" : `, preset fast (${inputSize}x${inputSize})`;
  logLine(options, `rembg-kit: model ${spec.name} on ${created.provider}, ${options.threads} threads${preset}${formNotes[created.form]}`);
  return {
    ...created,
    spec,
    run: (image, input) => runModel(created.session, spec, image, input)
  };
}
var formNotes = {
  saved: ", saved session form",
  built: ", session form saved for the next runs",
  unsaved: ""
};
function savedFormDir() {
  return join(modelDirs().home, "sessions");
}
async function toTensorData(image, spec) {
  const rgb = await loadSharp()(image.data, { raw: {
    width: image.width,
    height: image.height,
    channels: image.channels
  } }).removeAlpha().resize(spec.width, spec.height, {
    fit: "fill",
    kernel: "lanczos3"
  }).raw().toBuffer();
  const plane = spec.width * spec.height;
  const data = new Float32Array(3 * plane);
  for (let channel = 0; channel < 3; channel++) {
    const mean = spec.mean[channel];
    const factor = spec.scale / spec.std[channel];
    const offset = mean / spec.std[channel];
    const out = channel * plane;
    for (let i = 0; i < plane; i++) data[out + i] = rgb[i * 3 + channel] * factor - offset;
  }
  return data;
}
function toMatte(values, count, kind) {
  const matte = new Uint8Array(count);
  let min = 0;
  let range = 1;
  if (kind === "minmax") {
    min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    range = max - min || 1;
  }
  for (let i = 0; i < count; i++) {
    let v = values[i];
    v = kind === "sigmoid" ? 1 / (1 + Math.exp(-v)) : (v - min) / range;
    matte[i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return matte;
}
async function resizeMatte(matte, width, height, toWidth, toHeight) {
  if (width === toWidth && height === toHeight) return matte;
  const data = await loadSharp()(matte, { raw: {
    width,
    height,
    channels: 1
  } }).resize(toWidth, toHeight, {
    fit: "fill",
    kernel: "lanczos3"
  }).extractChannel(0).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
async function runModel(session, spec, image, input) {
  const data = await toTensorData(image, input);
  const { Tensor } = loadRuntime();
  const { width, height } = input;
  const feeds = { [session.inputNames[0]]: new Tensor("float32", data, [
    1,
    3,
    height,
    width
  ]) };
  const output = (await session.run(feeds))[session.outputNames[0]];
  const small = toMatte(output.data, width * height, spec.output);
  output.dispose?.();
  return resizeMatte(small, width, height, image.width, image.height);
}
export {
  openSession
};
