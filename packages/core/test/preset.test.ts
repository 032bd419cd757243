import { readFile, rm, stat, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createLocalEngine } from '../src/engines/local.js'
import { imglyDataDir } from '../src/models/imgly.js'
import { modelDirs } from '../src/models/store.js'
import { InputSizeUnsupported, rewriteInputSize } from '../src/onnx/input-size.js'
import type { GraphProto } from '../src/onnx/messages.js'
import { optimizeModel } from '../src/onnx/optimize.js'
import { parsePreset } from '../src/option-checks.js'
import { createRemover, removeBackground } from '../src/remove.js'
import { iou, listFiles, renderScene, sceneNames, tempDir, testModel, thrown } from './helpers.js'

/** The alpha channel of a PNG cutout. */
async function alphaOf(png: Buffer): Promise<Buffer> {
  return sharp(png).extractChannel(3).raw().toBuffer()
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number))
  return sum / a.length
}

describe('the preset option', () => {
  it('is checked by core, naming the presets', () => {
    expect(parsePreset(undefined)).toBe('quality')
    expect(parsePreset('fast')).toBe('fast')
    const error = thrown(() => createRemover({ model: testModel, preset: 'turbo' as 'fast', cacheDir: false }))
    expect(error.message).toBe("Unknown preset 'turbo'. Presets: quality, fast")
    expect([error.status, error.code, error.field]).toEqual([400, 'UNKNOWN_PRESET', 'preset'])
    // Case matters, as for engine names: a config value is spelled as documented.
    expect(thrown(() => parsePreset('Fast')).message).toBe("Unknown preset 'Fast'. Presets: quality, fast")
  })

  it('is refused for a model without it and for the remote engine, instead of running the quality one', () => {
    const noFast = thrown(() => createLocalEngine({ model: 'u2net', preset: 'fast' }))
    expect(noFast.message).toBe(
      "Model 'u2net' has no 'fast' preset (it has: quality). Models with it: isnet-general-use, isnet-anime, isnet-imgly.",
    )
    expect(noFast.field).toBe('preset')
    const remote = thrown(() => createRemover({ engine: 'remote', apiKey: 'k', preset: 'fast', cacheDir: false }))
    expect(remote.message).toBe("Preset 'fast' needs engine 'local'; engine 'remote' has only 'quality'")
    expect(createRemover({ engine: 'remote', apiKey: 'k', preset: 'quality', cacheDir: false }).engine.id).toBe(
      'remote',
    )
  })

  it("keeps quality's fingerprint (caches made before presets still answer) and gives fast its own", async () => {
    const plain = await createLocalEngine({ model: testModel }).fingerprint()
    expect(await createLocalEngine({ model: testModel, preset: 'quality' }).fingerprint()).toBe(plain)
    expect(await createLocalEngine({ model: testModel, preset: 'fast' }).fingerprint()).toBe(`${plain}:fast-640`)
  })
})

describe('fast against quality on the real IS-Net weights', () => {
  // Tolerance of the fast preset, stated: against the exact silhouette it cuts nearly as well as quality does (both
  // above 0.99 IoU; measured 0.992-0.995 fast, 0.997-0.9997 quality), its matte overlaps quality's above 0.99 IoU
  // (measured 0.996-0.998), and differs from it by under 1/255 on average (measured 0.15-0.17). A broken rewrite
  // (wrong upsampling targets, a shifted or mis-scaled matte, the wrong input normalisation) fails these.
  it.each(sceneNames)('cuts the %s within the stated tolerance of quality', async (name) => {
    const scene = await renderScene(name)
    const quality = await removeBackground(scene.png, { model: testModel, cacheDir: false, format: 'png' })
    const fast = await removeBackground(scene.png, { model: testModel, preset: 'fast', cacheDir: false, format: 'png' })
    const [q, f] = await Promise.all([alphaOf(quality.data), alphaOf(fast.data)])
    expect([fast.width, fast.height]).toEqual([scene.width, scene.height])
    expect(iou(q, scene.truth)).toBeGreaterThan(0.99)
    expect(iou(f, scene.truth)).toBeGreaterThan(0.99)
    expect(iou(f, q)).toBeGreaterThan(0.99)
    expect(meanAbsDiff(f, q)).toBeLessThan(1)
  })

  it('never answers one preset from the other in the cache', async () => {
    const cacheDir = await tempDir()
    const scene = await renderScene('vase', 320, 240)
    const quality = createRemover({ model: testModel, cacheDir })
    const fast = createRemover({ model: testModel, cacheDir, preset: 'fast' })
    const first = await quality.remove(scene.png, { format: 'png' })
    const fastFirst = await fast.remove(scene.png, { format: 'png' })
    expect(fastFirst.cache).toEqual({ output: false, matte: false })
    expect(Buffer.compare(await alphaOf(first.data), await alphaOf(fastFirst.data))).not.toBe(0)
    expect((await fast.remove(scene.png, { format: 'png' })).cache.output).toBe(true)
    expect((await quality.remove(scene.png, { format: 'png' })).data.equals(first.data)).toBe(true)
    expect((await listFiles(join(cacheDir, 'mattes'))).filter((file) => file.endsWith('.png'))).toHaveLength(2)
  })
})

describe('the fast model file', () => {
  it('is made once, checksummed, and made again when it is cut short', async () => {
    expect(imglyDataDir()).not.toBeNull()
    await createLocalEngine({ model: testModel, preset: 'fast', threads: 1 }).load()
    const source = join(modelDirs().home, 'isnet-imgly.onnx')
    // A folder of its own: the file is cut short below, which must not happen under another test loading it.
    const cacheDir = await tempDir()
    const made = await optimizeModel(source, { cacheDir, inputSize: 640 })
    expect(made.path).toMatch(/isnet-imgly\.[0-9a-f]{16}\.s640\.opt\.onnx$/)
    expect(made.reused).toBe(false)
    expect((await optimizeModel(source, { cacheDir, inputSize: 640 })).reused).toBe(true)
    const record = JSON.parse(await readFile(`${made.path}.json`, 'utf8'))
    expect(record).toMatchObject({ inputSize: 640, size: (await stat(made.path)).size })
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/)

    await truncate(made.path, 1000)
    const again = await optimizeModel(source, { cacheDir, inputSize: 640 })
    expect([again.path, again.reused]).toEqual([made.path, false])
    expect((await stat(again.path)).size).toBe(record.size)
    expect(JSON.parse(await readFile(`${made.path}.json`, 'utf8')).sha256).toBe(record.sha256)
    await rm(cacheDir, { recursive: true, force: true }) // 170 MB
  })

  it('is refused, with the reason, for a graph whose upsampling targets it cannot read', () => {
    const graph: GraphProto = {
      input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [1, 3, 64, 64].map(dim) } } } }],
      output: [{ name: 'y', type: { tensor_type: { elem_type: 1, shape: { dim: [1, 1, 64, 64].map(dim) } } } }],
      node: [
        { op_type: 'Shape', input: ['x'], output: ['s'] },
        { op_type: 'Resize', input: ['x', '', '', 's'], output: ['y'] },
      ],
    }
    expect(() => rewriteInputSize(graph, 32)).toThrow(InputSizeUnsupported)
    expect(() => rewriteInputSize(graph, 32)).toThrow(
      'the target size of a Resize (s) is computed in a way not understood',
    )
    // Left as it was.
    expect(graph.input?.[0]?.type?.tensor_type?.shape?.dim?.[2]).toEqual({ dim_value: 64 })
  })
})

function dim(value: number) {
  return { dim_value: value }
}
