import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import protobuf from 'protobufjs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RembgError } from '../src/errors.js'
import { sha256 } from '../src/hash.js'
import {
  type AttributeProto,
  DataType,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  toNumber,
  type ValueInfoProto,
} from '../src/onnx/messages.js'
import { optimizeModel } from '../src/onnx/optimize.js'
import { decodeMessage, decodeModel, encodeMessage, encodeModel } from '../src/onnx/proto.js'
import {
  availableProviders,
  cgroupCpuLimit,
  createSession,
  defaultThreads,
  type ExecutionProvider,
  providerFallbackMessage,
  sessionOptions,
} from '../src/onnx/session.js'

const requireHere = createRequire(import.meta.url)
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rembg-kit-onnx-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Building models -----------------------------------------------------------------------------------------------------

const fp16 = {
  one: 0x3c00,
  half: 0x3800,
  two: 0x4000,
  minusThree: 0xc200,
  quarter: 0x3400,
  max: 0x7bff, // 65504
  subnormal: 0x0001, // 2^-24
  minusZero: 0x8000,
}

function tensorInfo(name: string, elemType: number, dims: number[]): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } }
}

function node(op: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto {
  return { op_type: op, name: output[0] ?? op, input, output, attribute }
}

const castTo = (to: number): AttributeProto[] => [{ name: 'to', type: 2, i: to }]

function halfRaw(name: string, bits: number[]): TensorProto {
  return {
    name,
    dims: [1, bits.length],
    data_type: DataType.FLOAT16,
    raw_data: Buffer.from(new Uint16Array(bits).buffer),
  }
}

function modelOf(graph: GraphProto): ModelProto {
  return { ir_version: 8, opset_import: [{ domain: '', version: 17 }], producer_name: 'rembg-kit-test', graph }
}

/**
 * What onnxconverter-common makes of `y = x + bias + c` with a second output `z = x * scale`: fp16 weights (one in
 * raw_data, one in int32_data, one in a Constant node), Casts at the float32 boundaries, and the input Cast appended
 * at the end of the node list (out of topological order, as in the real IS-Net file).
 */
function fp16Model(): ModelProto {
  const bias = halfRaw('bias', [fp16.one, fp16.half, fp16.max, fp16.subnormal])
  const scale: TensorProto = {
    name: 'scale',
    dims: [1, 4],
    data_type: DataType.FLOAT16,
    int32_data: [fp16.two, fp16.minusThree, fp16.quarter, fp16.minusZero],
  }
  const constant = halfRaw('c', [fp16.quarter, fp16.quarter, fp16.minusZero, fp16.one])
  return modelOf({
    name: 'fp16',
    node: [
      node('Add', ['x16', 'bias'], ['a16']),
      node('Constant', [], ['c16'], [{ name: 'value', type: 4, t: constant }]),
      node('Add', ['a16', 'c16'], ['s16']),
      node('Cast', ['s16'], ['y'], castTo(DataType.FLOAT)),
      node('Mul', ['x16', 'scale'], ['p16']),
      node('Cast', ['p16'], ['z'], castTo(DataType.FLOAT)),
      node('Cast', ['x'], ['x16'], castTo(DataType.FLOAT16)),
    ],
    initializer: [bias, scale],
    input: [tensorInfo('x', DataType.FLOAT, [1, 4])],
    output: [tensorInfo('y', DataType.FLOAT, [1, 4]), tensorInfo('z', DataType.FLOAT, [1, 4])],
  })
}

async function writeModel(name: string, model: ModelProto): Promise<string> {
  const path = join(dir, name)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, encodeModel(model))
  return path
}

async function run(path: string, feeds: Record<string, ort.Tensor>): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(path)
  const results = await session.run(feeds)
  await session.release()
  return Object.fromEntries(
    Object.entries(results).map(([name, tensor]) => [name, Array.from(tensor.data as Float32Array)]),
  )
}

const x = (): Record<string, ort.Tensor> => ({
  x: new ort.Tensor('float32', Float32Array.from([1, 2.5, -3, 0.125]), [1, 4]),
})

async function readGraph(path: string): Promise<GraphProto> {
  return decodeModel(await readFile(path)).graph ?? {}
}

const opTypes = (graph: GraphProto): string[] => (graph.node ?? []).map((n) => n.op_type ?? '')

function expectClose(actual: number[] | undefined, expected: number[], tolerance = 1e-6): void {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(Math.abs((actual?.[index] ?? Number.NaN) - value)).toBeLessThanOrEqual(tolerance)
  })
}

// optimizeModel -------------------------------------------------------------------------------------------------------

describe('optimizeModel on an fp16 model', () => {
  it('converts the weights to fp32, removes every Cast and the unused output, and computes the same', async () => {
    const source = await writeModel('tiny/fp16.onnx', fp16Model())
    const result = await optimizeModel(source, { cacheDir: join(dir, 'tiny-cache') })

    expect(result.converted).toBe(true)
    expect(result.reused).toBe(false)
    expect(result.path).toMatch(/[/\\]tiny-cache[/\\]fp16\.[0-9a-f]{16}\.opt\.onnx$/)
    const graph = await readGraph(result.path)
    expect(opTypes(graph)).toEqual(['Add', 'Constant', 'Add'])
    expect(graph.output?.map((o) => [o.name, o.type?.tensor_type?.elem_type])).toEqual([['y', DataType.FLOAT]])
    expect(graph.initializer?.map((t) => [t.name, t.data_type, t.raw_data?.length])).toEqual([
      ['bias', DataType.FLOAT, 16],
    ])
    expect(graph.node?.[1]?.attribute?.[0]?.t?.data_type).toBe(DataType.FLOAT)

    const original = await run(source, x())
    const optimized = await run(result.path, x())
    // 1 + 1 + 0.25, 2.5 + 0.5 + 0.25, -3 + 65504 + 0, 0.125 + 2^-24 + 1: exact in fp16 and in fp32
    expectClose(original.y, [2.25, 3.25, 65501, 1.125], 0)
    expectClose(optimized.y, original.y ?? [], 1e-3)
    expect(Object.keys(optimized)).toEqual(['y'])
  })

  it('converts every kind of fp16 value exactly: largest, subnormal, negative zero, infinity', async () => {
    const model = modelOf({
      name: 'values',
      node: [
        node('Cast', ['x'], ['x16'], castTo(DataType.FLOAT16)),
        node('Mul', ['x16', 'w'], ['m16']),
        node('Cast', ['m16'], ['y'], castTo(DataType.FLOAT)),
      ],
      initializer: [halfRaw('w', [fp16.max, fp16.subnormal, fp16.minusZero, 0x7c00])],
      input: [tensorInfo('x', DataType.FLOAT, [1, 4])],
      output: [tensorInfo('y', DataType.FLOAT, [1, 4])],
    })
    const source = await writeModel('values/fp16.onnx', model)
    const result = await optimizeModel(source, {})
    const ones = { x: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 1]), [1, 4]) }

    expect(opTypes(await readGraph(result.path))).toEqual(['Mul'])
    for (const path of [source, result.path]) {
      const y = (await run(path, ones)).y ?? []
      expect(y).toEqual([65504, 2 ** -24, -0, Number.POSITIVE_INFINITY])
      expect(Object.is(y[2], -0)).toBe(true)
    }
  })

  it('keeps the outputs it is asked to keep, in a file of their own', async () => {
    const source = await writeModel('keep/fp16.onnx', fp16Model())
    const both = await optimizeModel(source, { keepOutputs: ['y', 'z'] })
    const onlyZ = await optimizeModel(source, { keepOutputs: ['z'] })

    expect(dirname(both.path)).toBe(dirname(source))
    expect(both.path).toMatch(/fp16\.[0-9a-f]{16}-[0-9a-f]{8}\.opt\.onnx$/)
    expect(new Set([both.path, onlyZ.path]).size).toBe(2)
    expect(opTypes(await readGraph(onlyZ.path))).toEqual(['Mul'])
    const results = await run(both.path, x())
    expectClose(results.y, [2.25, 3.25, 65501, 1.125], 0)
    expectClose(results.z, [2, -7.5, -0.75, -0], 0)
    expect(Object.is(results.z?.[3], -0)).toBe(true)
  })

  it('names the missing output and lists the real ones', async () => {
    const source = await writeModel('missing/fp16.onnx', fp16Model())
    const error = await optimizeModel(source, { keepOutputs: ['mask'] }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(RembgError)
    expect((error as RembgError).message).toBe(`The model '${source}' has no output 'mask'. Its outputs are: y, z.`)
    expect((error as RembgError).code).toBe('MODEL_OUTPUT_UNKNOWN')
  })

  it('reuses the optimized file without rewriting it, and makes a new one when the source changes', async () => {
    const source = await writeModel('reuse/fp16.onnx', fp16Model())
    const first = await optimizeModel(source, {})
    const before = await stat(first.path)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await optimizeModel(source, {})

    expect(second).toEqual({ path: first.path, converted: false, reused: true })
    expect((await stat(second.path)).mtimeMs).toBe(before.mtimeMs)

    const changed = fp16Model()
    changed.producer_name = 'changed'
    await writeFile(source, encodeModel(changed))
    const third = await optimizeModel(source, {})
    expect(third.reused).toBe(false)
    expect(third.path).not.toBe(first.path)
  })

  it('removes the files older optimizer versions made of the same source, and nothing else', async () => {
    const source = await writeModel('upgrade/fp16.onnx', fp16Model())
    const hash = sha256(await readFile(source))
    const folder = dirname(source)
    const older = [
      `fp16.${hash.slice(0, 16)}.opt.onnx`,
      `fp16.${sha256(hash, 'rembg-kit-optimize-2').slice(0, 16)}.opt.onnx`,
    ]
    const unrelated = ['fp16.0123456789abcdef.opt.onnx', 'other.onnx']
    for (const name of [...older, ...unrelated]) await writeFile(join(folder, name), 'old')

    const result = await optimizeModel(source, {})
    expect((await readdir(folder)).sort()).toEqual([basename(result.path), 'fp16.onnx', ...unrelated].sort())
  })

  it('converts inside If branches and rewires names the branches take from the outer graph', async () => {
    const branch = (name: string, weight: string): GraphProto => ({
      name,
      node: [node('Add', ['x16', weight], [`${name}16`]), node('Cast', [`${name}16`], [`${name}_out`], castTo(1))],
      output: [tensorInfo(`${name}_out`, DataType.FLOAT, [1, 4])],
    })
    const model = modelOf({
      name: 'branches',
      node: [
        node('Cast', ['x'], ['x16'], castTo(DataType.FLOAT16)),
        node(
          'If',
          ['flag'],
          ['y'],
          [
            { name: 'then_branch', type: 5, g: branch('then', 'w1') },
            { name: 'else_branch', type: 5, g: branch('else', 'w2') },
          ],
        ),
      ],
      initializer: [halfRaw('w1', [fp16.one, fp16.one, fp16.one, fp16.one]), halfRaw('w2', [fp16.two, 0, 0, 0])],
      input: [tensorInfo('x', DataType.FLOAT, [1, 4]), tensorInfo('flag', 9, [])],
      output: [tensorInfo('y', DataType.FLOAT, [1, 4])],
    })
    const source = await writeModel('branches/model.onnx', model)
    const result = await optimizeModel(source, {})

    const graph = await readGraph(result.path)
    expect(opTypes(graph)).toEqual(['If'])
    expect(graph.node?.[0]?.attribute?.map((a) => opTypes(a.g ?? {}))).toEqual([['Add'], ['Add']])
    expect(graph.node?.[0]?.attribute?.map((a) => a.g?.node?.[0]?.input)).toEqual([
      ['x', 'w1'],
      ['x', 'w2'],
    ])
    for (const flag of [true, false]) {
      const feeds = { ...x(), flag: new ort.Tensor('bool', [flag], []) }
      const expected = (await run(source, feeds)).y ?? []
      expectClose((await run(result.path, feeds)).y, expected, 0)
      expect(expected[0]).toBe(flag ? 2 : 3)
    }
  })
})

describe('optimizeModel on fp32 models', () => {
  const fp32Model = (outputs: string[]): ModelProto =>
    modelOf({
      name: 'fp32',
      node: [node('Relu', ['x'], ['y']), node('Neg', ['y'], ['z'])],
      input: [tensorInfo('x', DataType.FLOAT, [1, 4])],
      output: outputs.map((name) => tensorInfo(name, DataType.FLOAT, [1, 4])),
    })

  it('returns a model with nothing to change as it is', async () => {
    const source = await writeModel('plain/fp32.onnx', fp32Model(['z']))
    const result = await optimizeModel(source, {})

    expect(result).toEqual({ path: source, converted: false, reused: false })
    expect(await readdir(dirname(source))).toEqual(['fp32.onnx'])
  })

  it('only prunes a model whose weights are already fp32', async () => {
    const source = await writeModel('pruned/fp32.onnx', fp32Model(['y', 'z']))
    const result = await optimizeModel(source, {})

    expect(result.converted).toBe(false)
    expect(result.path).not.toBe(source)
    expect(opTypes(await readGraph(result.path))).toEqual(['Relu'])
    expectClose((await run(result.path, x())).y, [1, 2.5, 0, 0.125], 0)
  })
})

describe('optimizeModel on 3x3 convolutions', () => {
  const [channels, size] = [128, 16]
  const shape = [1, channels, size, size]

  /** Deterministic weights of the scale a trained layer has (He initialisation), so outputs are about 1. */
  function weights(name: string, dims: number[], seed: number): TensorProto {
    const count = dims.reduce((a, b) => a * b, 1)
    const values = Float32Array.from(
      { length: count },
      (_, i) => Math.sin(seed * 7919 + i * 12.9898) / Math.sqrt(channels * 3),
    )
    return { name, dims, data_type: DataType.FLOAT, raw_data: Buffer.from(values.buffer) }
  }

  const ints = (name: string, values: number[]): AttributeProto => ({ name, type: 7, ints: values })

  /** conv (3x3, bias) → Relu → dilated conv (3x3, dilation 2): what IS-Net's RSU blocks are made of. */
  const convModel = (): ModelProto =>
    modelOf({
      name: 'convs',
      node: [
        node('Conv', ['x', 'w1', 'b1'], ['c1'], [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])]),
        node('Relu', ['c1'], ['r1']),
        node('Conv', ['r1', 'w2'], ['y'], [ints('dilations', [2, 2]), ints('pads', [2, 2, 2, 2])]),
      ],
      initializer: [
        weights('w1', [channels, channels, 3, 3], 1),
        weights('b1', [channels], 2),
        weights('w2', [channels, channels, 3, 3], 3),
      ],
      input: [tensorInfo('x', DataType.FLOAT, shape)],
      output: [tensorInfo('y', DataType.FLOAT, shape)],
      value_info: [tensorInfo('c1', DataType.FLOAT, shape), tensorInfo('r1', DataType.FLOAT, shape)],
    })

  const input = (): Record<string, ort.Tensor> => ({
    x: new ort.Tensor(
      'float32',
      Float32Array.from({ length: channels * size * size }, (_, i) => Math.cos(i * 0.37) + 0.5),
      shape,
    ),
  })

  it('rewrites the plain one in Winograd form and computes the same within float32 rounding', async () => {
    const source = await writeModel('winograd/convs.onnx', convModel())
    const result = await optimizeModel(source, { winograd: true })

    expect(result.path).not.toBe(source)
    const graph = await readGraph(result.path)
    const kernels = (graph.node ?? [])
      .filter((n) => n.op_type === 'Conv')
      .map((n) => n.attribute?.find((a) => a.name === 'kernel_shape')?.ints?.map(toNumber))
    // The input transform (6x6, stride 4) replaced the plain conv; the dilated conv stayed as it was.
    expect(kernels).toEqual([[6, 6], undefined])
    expect(opTypes(graph)).toEqual(expect.arrayContaining(['MatMul', 'DepthToSpace', 'Relu']))
    expect(graph.initializer?.map((t) => t.name)).not.toContain('w1')

    const original = (await run(source, input())).y ?? []
    const optimized = (await run(result.path, input())).y ?? []
    expect(Math.max(...original.map(Math.abs))).toBeGreaterThan(0.1)
    expectClose(optimized, original, 1e-5)
  })

  it('leaves the convolutions as they are unless asked to rewrite them', async () => {
    const source = await writeModel('direct/convs.onnx', convModel())
    const result = await optimizeModel(source, {})

    expect(result).toEqual({ path: source, converted: false, reused: false })
    expect(opTypes(await readGraph(result.path))).toEqual(['Conv', 'Relu', 'Conv'])
  })

  it('leaves a conv whose output size the model does not declare', async () => {
    const model = convModel()
    if (model.graph) model.graph.value_info = []
    const source = await writeModel('undeclared/convs.onnx', model)
    const result = await optimizeModel(source, { winograd: true })

    expect(result.path).toBe(source)
  })
})

describe('optimizeModel on files that are not ONNX models', () => {
  const message = (path: string): string =>
    `The file '${path}' is not a valid ONNX model (it is truncated or is not an ONNX file). ` +
    'If it was downloaded, delete it and download it again.'

  async function refusal(path: string): Promise<RembgError> {
    const error = await optimizeModel(path, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RembgError)
    return error as RembgError
  }

  it('refuses a truncated model', async () => {
    const bytes = encodeModel(fp16Model())
    const path = join(dir, 'broken', 'truncated.onnx')
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const error = await refusal(path)

    expect(error.message).toBe(message(path))
    expect(error.status).toBe(500)
    expect(error.code).toBe('MODEL_INVALID')
    expect(error.file).toBe(path)
  })

  it('refuses an HTML error page saved as a model', async () => {
    const path = join(dir, 'broken', 'page.onnx')
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, '<!DOCTYPE html><html><body>404 Not Found</body></html>\n')

    expect((await refusal(path)).message).toBe(message(path))
  })

  it('refuses an empty file', async () => {
    const path = join(dir, 'broken', 'empty.onnx')
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, '')

    expect((await refusal(path)).message).toBe(message(path))
  })
})

// proto.ts ------------------------------------------------------------------------------------------------------------

describe('ONNX protobuf round trip', () => {
  /** Fields 98 (varint, above 2^53) and 99 (bytes): unknown to our schema, as a newer ONNX's would be. */
  function unknownFields(): Uint8Array {
    const writer = protobuf.Writer.create()
    writer.uint32((98 << 3) | 0).uint64('9007199254740993')
    writer.uint32((99 << 3) | 2).bytes(Buffer.from('from the future'))
    return writer.finish()
  }

  it('keeps fields the schema does not declare, at the top level and in nested messages', () => {
    const nodeBytes = Buffer.concat([encodeMessage('NodeProto', node('Relu', ['x'], ['y'])), unknownFields()])
    const model = modelOf({ name: 'g', node: [decodeMessage('NodeProto', nodeBytes) as NodeProto] })
    const modelBytes = Buffer.concat([encodeModel(model), unknownFields()])

    const again = encodeModel(decodeModel(modelBytes))
    expect(Buffer.from(again).equals(modelBytes)).toBe(true)
    const relu = decodeModel(again).graph?.node?.[0] ?? {}
    expect(Buffer.from(encodeMessage('NodeProto', relu)).equals(nodeBytes)).toBe(true)
  })

  it('carries unknown fields into the optimized file', async () => {
    const source = join(dir, 'unknown', 'fp16.onnx')
    await mkdir(dirname(source), { recursive: true })
    await writeFile(source, Buffer.concat([encodeModel(fp16Model()), unknownFields()]))
    const { path } = await optimizeModel(source, {})

    const bytes = await readFile(path)
    expect(bytes.subarray(bytes.length - unknownFields().length).equals(unknownFields())).toBe(true)
  })

  it('reads int64 fields as numbers', () => {
    const model = decodeModel(encodeModel(modelOf({ name: 'g' })))
    expect(toNumber(model.ir_version)).toBe(8)
    expect(toNumber(model.opset_import?.[0]?.version)).toBe(17)
    expect(toNumber({ low: -1, high: 0x1fffff, unsigned: false })).toBe(2 ** 53 - 1)
  })
})

// session.ts ----------------------------------------------------------------------------------------------------------

describe('sessions', () => {
  const ortVersion = (requireHere('onnxruntime-node/package.json') as { version: string }).version

  it('uses every core it may use by default and shares them between engines', () => {
    const cores = Math.min(availableParallelism(), cgroupCpuLimit() ?? Number.POSITIVE_INFINITY)
    expect(defaultThreads()).toBe(cores)
    expect(defaultThreads(2)).toBe(Math.max(1, Math.floor(cores / 2)))
    expect(defaultThreads(cores + 1)).toBe(1)
  })

  it('reads a cgroup CPU quota (containers), v2 and v1', () => {
    const files = (entries: Record<string, string>) => (path: string) => {
      const text = entries[path]
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return text
    }
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(2)
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeUndefined()
    const v1 = { '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }
    expect(cgroupCpuLimit(files(v1))).toBe(4)
    expect(cgroupCpuLimit(files({ ...v1, '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n' }))).toBeUndefined()
    expect(cgroupCpuLimit(files({}))).toBeUndefined()
  })

  it('lists cpu, and no provider whose library is not installed', () => {
    const providers = availableProviders()
    expect(providers[0]).toBe('cpu')
    const binaries = join(dirname(requireHere.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6')
    const cudaLibrary = join(binaries, process.platform, process.arch, 'libonnxruntime_providers_cuda.so')
    if (process.platform === 'linux' && !existsSync(cudaLibrary)) {
      expect(ort.listSupportedBackends().map((b) => b.name)).toContain('cuda')
      expect(providers).not.toContain('cuda')
    }
  })

  it('runs a model with the fast options', async () => {
    const source = await writeModel('session/fp16.onnx', fp16Model())
    const { session, provider } = await createSession(source, { threads: 1 })
    const results = await session.run(x())
    await session.release()

    expect(provider).toBe('cpu')
    expectClose(Array.from(results.y?.data as Float32Array), [2.25, 3.25, 65501, 1.125], 0)
    expect(sessionOptions(3)).toMatchObject({ intraOpNumThreads: 3, interOpNumThreads: 1, enableMemPattern: false })
  })

  it('refuses a missing provider when it is required', async () => {
    const source = await writeModel('session/required.onnx', fp16Model())
    const missing = availableProviders().includes('coreml') ? 'dml' : 'coreml'
    const error = await createSession(source, { provider: missing, requireProvider: true }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(RembgError)
    expect((error as RembgError).message).toBe(
      `Execution provider '${missing}' is not available in onnxruntime-node ${ortVersion} on ` +
        `${process.platform}-${process.arch}. Available: ${availableProviders().join(', ')}.`,
    )
    expect((error as RembgError).code).toBe('PROVIDER_UNAVAILABLE')
  })

  it('falls back to cpu and says so once per process', async () => {
    const source = await writeModel('session/fallback.onnx', fp16Model())
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const first = await createSession(source, { provider: 'cuda', threads: 1 })
      const second = await createSession(source, { provider: 'cuda', threads: 1 })
      await Promise.all([first.session.release(), second.session.release()])

      expect([first.provider, second.provider]).toEqual(['cpu', 'cpu'])
      expect(stderr.mock.calls).toEqual([["rembg-kit: execution provider 'cuda' is not available, using 'cpu'\n"]])
      expect(providerFallbackMessage('dml')).toBe("rembg-kit: execution provider 'dml' is not available, using 'cpu'")
    } finally {
      stderr.mockRestore()
    }
  })
})

describe('a provider the runtime has but cannot start', () => {
  const ortVersion = (requireHere('onnxruntime-node/package.json') as { version: string }).version
  // onnxruntime-node bundles WebGPU on Linux and Windows; on a machine without a GPU adapter it fails to start. It is
  // not one of the documented providers, but the CLI passes --provider through and the runtime lists it.
  const provider = 'webgpu' as ExecutionProvider

  it('falls back to cpu and says why, or refuses with the runtime reason when the provider is required', async (ctx) => {
    const source = await writeModel('session/failing.onnx', fp16Model())
    const probe = await ort.InferenceSession.create(source, { executionProviders: [provider] }).then(
      async (session) => {
        await session.release()
        return undefined
      },
      (error: unknown) => error as Error,
    )
    if (!availableProviders().includes(provider) || probe === undefined) ctx.skip()
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const fallback = await createSession(source, { provider, threads: 1 })
      await fallback.session.release()
      expect(fallback.provider).toBe('cpu')
      expect(stderr.mock.calls).toEqual([["rembg-kit: execution provider 'webgpu' failed to start, using 'cpu'\n"]])
    } finally {
      stderr.mockRestore()
    }
    const error = await createSession(source, { provider, requireProvider: true }).catch((e: unknown) => e)
    expect((error as RembgError).message).toBe(
      `Execution provider 'webgpu' failed to start in onnxruntime-node ${ortVersion} on ` +
        `${process.platform}-${process.arch}: ${probe?.message.split('\n')[0]?.trim()}`,
    )
    expect((error as RembgError).code).toBe('PROVIDER_UNAVAILABLE')
  })
})

// The real model ------------------------------------------------------------------------------------------------------

describe('the IS-Net fp16 model of @imgly/background-removal-data', () => {
  async function assembleImgly(): Promise<string> {
    const data = join(dirname(requireHere.resolve('@imgly/background-removal-data/package.json')), 'dist')
    const resources = JSON.parse(await readFile(join(data, 'resources.json'), 'utf8')) as Record<
      string,
      { chunks: Array<{ hash: string }> }
    >
    const chunks = await Promise.all(
      (resources['/models/medium']?.chunks ?? []).map((c) => readFile(join(data, c.hash))),
    )
    const path = join(dir, 'imgly', 'isnet-medium.onnx')
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, Buffer.concat(chunks))
    return path
  }

  /** A 1024x1024 scene (a lit sphere on a gradient), normalised as rembg does for IS-Net: pixel / 255 - 0.5. */
  async function scene(): Promise<ort.Tensor> {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024">
      <defs><linearGradient id="bg" x2="1" y2="1"><stop offset="0" stop-color="#9fc5e8"/><stop offset="1" stop-color="#f6e7c1"/></linearGradient>
      <radialGradient id="ball" cx="0.35" cy="0.35"><stop offset="0" stop-color="#ffb4a2"/><stop offset="1" stop-color="#b5179e"/></radialGradient></defs>
      <rect width="1024" height="1024" fill="url(#bg)"/><circle cx="512" cy="560" r="300" fill="url(#ball)"/></svg>`
    const rgb = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer()
    const plane = 1024 * 1024
    const data = new Float32Array(3 * plane)
    for (let i = 0; i < plane; i++)
      for (let c = 0; c < 3; c++) data[c * plane + i] = (rgb[i * 3 + c] as number) / 255 - 0.5
    return new ort.Tensor('float32', data, [1, 3, 1024, 1024])
  }

  async function matte(path: string, input: ort.Tensor): Promise<{ outputs: readonly string[]; data: Float32Array }> {
    const { session } = await createSession(path, {})
    const outputs = session.outputNames
    const result = await session.run({ input })
    await session.release()
    return { outputs, data: result.output?.data as Float32Array }
  }

  const maxDifference = (a: Float32Array, b: Float32Array): number => {
    let max = 0
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
    return max
  }

  it.each([
    { winograd: false, initializerTypes: [DataType.FLOAT], depthToSpace: 0 },
    // The int64 initializers are the Winograd convolutions' reshape targets.
    { winograd: true, initializerTypes: [DataType.FLOAT, DataType.INT64], depthToSpace: 29 },
  ])(
    'gives a matte within 2/255 of the original, with only the output that is read (winograd: $winograd)',
    async (c) => {
      const source = await assembleImgly()
      const result = await optimizeModel(source, { winograd: c.winograd })
      expect(result.converted).toBe(true)

      const graph = await readGraph(result.path)
      expect(graph.output?.map((o) => o.name)).toEqual(['output'])
      expect(opTypes(graph)).not.toContain('Cast')
      expect(new Set(graph.initializer?.map((t) => t.data_type))).toEqual(new Set(c.initializerTypes))
      expect(opTypes(graph).filter((op) => op === 'DepthToSpace')).toHaveLength(c.depthToSpace)

      const input = await scene()
      const original = await matte(source, input)
      const optimized = await matte(result.path, input)
      expect(original.outputs).toHaveLength(12)
      expect(optimized.outputs).toEqual(['output'])
      expect(maxDifference(original.data, optimized.data) * 255).toBeLessThanOrEqual(2)
      // The matte found the sphere: its centre is subject, a corner is background.
      expect(optimized.data[560 * 1024 + 512]).toBeGreaterThan(0.9)
      expect(optimized.data[10 * 1024 + 10]).toBeLessThan(0.1)
    },
  )
})
