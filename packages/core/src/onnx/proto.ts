/**
 * Reading and writing ONNX files with protobufjs: a decode/encode pair over the schema (schema.ts) that also carries
 * fields the schema does not declare through a round trip, so a model from a newer ONNX loses nothing. The messages'
 * types are in messages.ts.
 */
import { createRequire } from 'node:module'
import type protobuf from 'protobufjs'
import type { ModelProto } from './messages.js'
import { onnxSchema } from './schema.js'

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
