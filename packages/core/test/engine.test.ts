import { describe, expect, it } from 'vitest'
import { createLocalEngine, resolveModelSpec } from '../src/engines/local.js'
import { toMatte } from '../src/engines/local-session.js'
import { modelNames } from '../src/models/registry.js'
import { testModel, thrown } from './helpers.js'

describe('resolveModelSpec', () => {
  it('uses a non-commercial model only when the user says so', () => {
    const error = thrown(() => resolveModelSpec({ model: 'bria-rmbg' }))
    expect(error.message).toBe(
      "Model 'bria-rmbg' is licensed CC-BY-NC-4.0 (non-commercial use only). Pass allowNonCommercial: true (CLI: --allow-non-commercial) if your use is non-commercial.",
    )
    expect([error.status, error.code, error.field]).toEqual([400, 'MODEL_NON_COMMERCIAL', 'model'])
    expect(resolveModelSpec({ model: 'bria-rmbg', allowNonCommercial: true }).name).toBe('bria-rmbg')
  })

  it('names the known models when the name is unknown', () => {
    expect(thrown(() => resolveModelSpec({ model: 'u2netx' })).message).toBe(
      `Unknown model 'u2netx'. Known models: ${modelNames.join(', ')}; or pass a path to an .onnx file.`,
    )
  })

  it('takes a path to an .onnx file as a custom model with its input spec', () => {
    const spec = resolveModelSpec({
      model: '/models/mine.onnx',
      modelInput: { width: 320, height: 320 },
      modelOutput: 'sigmoid',
    })
    expect(spec.source).toEqual({ kind: 'file', path: '/models/mine.onnx' })
    expect([spec.input.width, spec.input.height, spec.output]).toEqual([320, 320, 'sigmoid'])
  })

  it('defaults to isnet-general-use', () => {
    expect(resolveModelSpec({}).name).toBe('isnet-general-use')
  })
})

describe('toMatte: each model family post-processing', () => {
  const values = Float32Array.from([-2, 0, 0.5, 1, 3])
  it('clamps (imgly IS-Net)', () => {
    expect([...toMatte(values, 5, 'clamp')]).toEqual([0, 0, 128, 255, 255])
  })
  it('stretches min..max to 0..255 (U²-Net, IS-Net as rembg does)', () => {
    expect([...toMatte(values, 5, 'minmax')]).toEqual([0, 102, 128, 153, 255])
  })
  it('applies a sigmoid (BiRefNet)', () => {
    expect([...toMatte(values, 5, 'sigmoid')]).toEqual([30, 128, 159, 186, 243])
  })
})

describe("the engine's notes", () => {
  it('go to the log option, not to stderr, when one is given (a bundler plugin routes or silences them)', async () => {
    const lines: string[] = []
    // One thread: a session of its own in this process, so loading it prints its note now.
    const engine = createLocalEngine({ model: testModel, threads: 1, log: (line) => lines.push(line) })
    await engine.load()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^rembg-kit: model isnet-imgly on cpu, 1 threads, (saved session form|session form saved for the next runs)$/,
    )
  })
})
