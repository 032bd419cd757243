/**
 * Runs a fixed-size segmentation model at a smaller square input: the `fast` preset (see presets.ts). IS-Net's
 * convolutions and pools work at any size, but the export traced the targets of its upsampling `Resize` nodes as
 * constants (32x32 up to 1024x1024 for an input of 1024), so changing the declared input alone fails in shape
 * inference. This pass sets the input and output sizes and scales each such constant to the size the same layer has
 * at the new input: every layer halves with ceil (stride-2 convolution, ceil-mode pools), so a layer that is
 * `trained / 2^k` on a side becomes `ceil(size / 2^k)`.
 *
 * A graph it cannot read that way (a Resize whose target is computed some other way, a constant that is not a power
 * of two below the trained size) is refused with the reason, rather than rewritten into a model that computes
 * something else.
 *
 * The file this pass helps write is reused by name (source hash, optimizer version, size): a change to what it writes
 * must bump `optimizerVersion` in optimize.ts, or models rewritten by the old code stay in use.
 */
import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from './messages.js'
import { DataType, toNumber } from './messages.js'

/** Why a graph cannot be run at another input size; the caller names the model. */
export class InputSizeUnsupported extends Error {}

/**
 * Rewrites `graph` in place to take a `size` x `size` input instead of its declared square one; returns the declared
 * (trained) side. Throws {@link InputSizeUnsupported} for a graph this pass does not understand.
 *
 * @example
 * const trained = rewriteInputSize(model.graph, 640) // 1024 for IS-Net; the graph now takes [1, 3, 640, 640]
 */
export function rewriteInputSize(graph: GraphProto, size: number): number {
  const input = graph.input?.[0]
  const trained = squareSide(input)
  if (trained === undefined) throw new InputSizeUnsupported('its input is not a fixed square image (N, C, H, W)')
  if (!Number.isInteger(size) || size < 32 || size >= trained) {
    throw new InputSizeUnsupported(`the input size ${size} is not between 32 and ${trained - 1}`)
  }
  const producers = new Map<string, NodeProto>()
  for (const node of graph.node ?? []) for (const name of node.output ?? []) producers.set(name, node)
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]))
  const targets = new Set<TensorProto>()
  for (const node of graph.node ?? []) {
    if (node.op_type !== 'Resize') continue
    const sizesName = node.input?.[3] ?? ''
    if (sizesName === '') continue // scales: relative, right at any input size
    for (const tensor of sizeConstants(sizesName, producers, initializers)) targets.add(tensor)
  }
  // Checked before anything changes, so a refused graph is left as it was.
  const scaled = [...targets].map((tensor) => [tensor, scaleSides(readInt64(tensor), trained, size)] as const)
  for (const [tensor, values] of scaled) writeInt64(tensor, values)
  setSpatial(input as ValueInfoProto, size)
  for (const output of graph.output ?? []) if (squareSide(output) === trained) setSpatial(output, size)
  // Intermediate shapes recorded for the old size would contradict the new ones; the runtime infers them again.
  graph.value_info = []
  return trained
}

/** The side of a declared [N, C, S, S] input or output, or undefined when it is not a fixed square. */
function squareSide(info: ValueInfoProto | undefined): number | undefined {
  const dims = info?.type?.tensor_type?.shape?.dim
  if (dims?.length !== 4) return undefined
  const [height, width] = [dims[2]?.dim_value, dims[3]?.dim_value].map((v) => (v === undefined ? 0 : toNumber(v)))
  return height && height === width ? height : undefined
}

function setSpatial(info: ValueInfoProto, size: number): void {
  const dims = info.type?.tensor_type?.shape?.dim ?? []
  dims[2] = { dim_value: size }
  dims[3] = { dim_value: size }
}

/**
 * The constant tensors a Resize's `sizes` are made of: a constant itself, or the Concat of a Slice of a Shape (the
 * batch and channels, which do not change) and a constant (height and width), as torch.onnx exports
 * `F.interpolate(x, size=y.shape[2:])`.
 */
function sizeConstants(
  name: string,
  producers: Map<string, NodeProto>,
  initializers: Map<string, TensorProto>,
): TensorProto[] {
  const constant = constantTensor(name, producers, initializers)
  if (constant) return [constant]
  const node = producers.get(name)
  if (node?.op_type === 'Concat') {
    const parts = (node.input ?? []).map((part) => {
      const tensor = constantTensor(part, producers, initializers)
      if (tensor) return tensor
      if (producers.get(part)?.op_type === 'Slice' && isShapeSlice(part, producers)) return null
      throw new InputSizeUnsupported(`the target size of a Resize (${name}) is computed in a way not understood`)
    })
    return parts.filter((part): part is TensorProto => part !== null)
  }
  throw new InputSizeUnsupported(`the target size of a Resize (${name}) is computed in a way not understood`)
}

// A Slice of a Shape taking the first two dimensions: batch and channels, the same at any input size.
function isShapeSlice(name: string, producers: Map<string, NodeProto>): boolean {
  const slice = producers.get(name)
  return producers.get(slice?.input?.[0] ?? '')?.op_type === 'Shape'
}

function constantTensor(
  name: string,
  producers: Map<string, NodeProto>,
  initializers: Map<string, TensorProto>,
): TensorProto | undefined {
  const initializer = initializers.get(name)
  if (initializer) return initializer
  const node = producers.get(name)
  if (node?.op_type !== 'Constant') return undefined
  return node.attribute?.find((attribute) => attribute.name === 'value')?.t
}

function readInt64(tensor: TensorProto): number[] {
  const raw = tensor.raw_data
  if (tensor.data_type !== DataType.INT64 || !raw || raw.length % 8 !== 0) {
    throw new InputSizeUnsupported(`the Resize size constant '${tensor.name ?? ''}' is not stored as raw int64`)
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)))
}

function writeInt64(tensor: TensorProto, values: number[]): void {
  const raw = new Uint8Array(values.length * 8)
  const view = new DataView(raw.buffer)
  for (const [i, value] of values.entries()) view.setBigInt64(i * 8, BigInt(value), true)
  tensor.raw_data = raw
}

/** `trained / 2^k` becomes `ceil(size / 2^k)`; anything else is refused. */
function scaleSides(values: number[], trained: number, size: number): number[] {
  return values.map((value) => {
    const factor = trained / value
    if (!(value > 0) || !Number.isInteger(factor) || (factor & (factor - 1)) !== 0) {
      throw new InputSizeUnsupported(`a Resize targets ${value}, which is not the input side ${trained} halved`)
    }
    return Math.ceil(size / factor)
  })
}
