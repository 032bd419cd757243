import { readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createRemover } from '../src/remove.js'
import { countingEngine, iou, listFiles, renderScene, sceneNames, tempDir, testModel } from './helpers.js'

/** Alpha statistics inside and outside the true silhouette, away from its edge (where a soft matte is right). */
function alphaInsideOutside(alpha: Uint8Array, truth: Uint8Array, width: number, margin = 6) {
  let inside = 0
  let insideCount = 0
  let outside = 0
  let outsideCount = 0
  const height = truth.length / width
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const i = y * width + x
      const t = truth[i]
      const nearEdge = [-margin, margin].some((d) => truth[i + d] !== t || truth[i + d * width] !== t)
      if (nearEdge) continue
      if (t) {
        inside += alpha[i] as number
        insideCount++
      } else {
        outside += alpha[i] as number
        outsideCount++
      }
    }
  }
  return { inside: inside / insideCount, outside: outside / outsideCount }
}

describe('removeBackground with the real IS-Net weights', () => {
  it.each(sceneNames)('cuts the %s out of its textured background', async (name) => {
    const scene = await renderScene(name)
    const remover = createRemover({ model: testModel, cacheDir: false })
    const result = await remover.remove(scene.png, { format: 'png' })

    expect([result.width, result.height, result.mime]).toEqual([scene.width, scene.height, 'image/png'])
    const alpha = await sharp(result.data).extractChannel(3).raw().toBuffer()
    // The reference pipeline (imgly weights, bare onnxruntime) reaches 0.997 on these scenes.
    expect(iou(alpha, scene.truth)).toBeGreaterThan(0.98)
    const { inside, outside } = alphaInsideOutside(alpha, scene.truth, scene.width)
    expect(inside).toBeGreaterThan(250)
    expect(outside).toBeLessThan(3)
    // The subject keeps its colours: the cut-out pixels are the photo's own.
    const rgb = await sharp(result.data).removeAlpha().raw().toBuffer()
    const centre = (scene.height / 2) * scene.width + scene.width / 2
    expect([...rgb.subarray(centre * 3, centre * 3 + 3)]).toEqual([...scene.rgb.subarray(centre * 3, centre * 3 + 3)])
  })
})

describe('the cache', () => {
  let scene: Awaited<ReturnType<typeof renderScene>>
  beforeAll(async () => {
    scene = await renderScene('ball', 320, 240)
  })

  it('answers a repeated request from the output cache without inference, and every variant from one matte', async () => {
    const cacheDir = await tempDir()
    const engine = countingEngine()
    const remover = createRemover({ engine, cacheDir })

    const first = await remover.remove(scene.png, { format: 'png' })
    expect(first.cache).toEqual({ output: false, matte: false })
    const again = await createRemover({ engine, cacheDir }).remove(scene.png, { format: 'png' })
    expect(again.cache).toEqual({ output: true, matte: true })
    expect(again.data.equals(first.data)).toBe(true)
    expect([again.width, again.height]).toEqual([320, 240])

    const small = await remover.remove(scene.png, { format: 'webp', w: 160 })
    const reordered = await remover.remove(scene.png, { w: '160', format: 'WEBP', expand: 'true' })
    expect(small.cache).toEqual({ output: false, matte: true })
    expect(reordered.cache).toEqual({ output: true, matte: true })
    expect(engine.calls).toBe(1)

    // One matte; one output per distinct parameter set.
    const files = await listFiles(cacheDir)
    expect(files.filter((f) => f.startsWith('mattes/'))).toHaveLength(1)
    expect(files.filter((f) => f.startsWith('outputs/')).map((f) => f.split('.').pop())).toEqual(
      expect.arrayContaining(['png', 'webp']),
    )
    expect(files).toHaveLength(3)
  })

  it('shares one inference between identical requests in flight', async () => {
    const engine = countingEngine()
    const remover = createRemover({ engine, cacheDir: await tempDir() })
    const results = await Promise.all([1, 2, 3].map(() => remover.remove(scene.png, { format: 'png' })))
    expect(engine.calls).toBe(1)
    expect(results.every((r) => r.data.equals(results[0]?.data as Buffer))).toBe(true)
  })

  it('lets one caller give up without cancelling the work others share, and skips work nobody waits for', async () => {
    const engine = countingEngine()
    const remover = createRemover({ engine, cacheDir: false })
    const controller = new AbortController()
    const leaving = remover.remove(scene.png, { format: 'png', signal: controller.signal })
    const staying = remover.remove(scene.png, { format: 'png' })
    controller.abort()
    await expect(leaving).rejects.toMatchObject({ name: 'AbortError' })
    const result = await staying
    expect([result.width, result.height]).toEqual([320, 240])
    expect(engine.calls).toBe(1)

    const alone = new AbortController()
    alone.abort()
    await expect(remover.remove(scene.png, { format: 'webp', signal: alone.signal })).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(engine.calls).toBe(1)
  })

  it('treats a damaged output or matte entry as a miss and rewrites it', async () => {
    const cacheDir = await tempDir()
    const engine = countingEngine()
    const first = await createRemover({ engine, cacheDir }).remove(scene.png, { format: 'png' })
    const files = await listFiles(cacheDir)
    const output = join(cacheDir, files.find((f) => f.startsWith('outputs/')) as string)
    const matte = join(cacheDir, files.find((f) => f.startsWith('mattes/')) as string)

    await truncate(output, 100)
    const remover = createRemover({ engine, cacheDir })
    const recovered = await remover.remove(scene.png, { format: 'png' })
    expect(recovered.data.equals(first.data)).toBe(true)
    expect(recovered.cache).toEqual({ output: false, matte: true })
    expect(remover.cache?.stats.corrupt).toBe(1)
    expect((await readFile(output)).equals(first.data)).toBe(true)
    expect(engine.calls).toBe(1)

    await writeFile(matte, 'not a png')
    await truncate(output, 10)
    const again = await createRemover({ engine, cacheDir }).remove(scene.png, { format: 'png' })
    expect(again.cache).toEqual({ output: false, matte: false })
    expect(engine.calls).toBe(2)
    expect(again.data.equals(first.data)).toBe(true)
  })

  it('still returns the result when the cache folder cannot be written', async () => {
    const dir = await tempDir()
    const blocked = join(dir, 'cache')
    await writeFile(blocked, 'a file where the cache folder should be')
    const remover = createRemover({ engine: countingEngine(), cacheDir: blocked })
    const written: string[] = []
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0)
    try {
      const result = await remover.remove(scene.png, { format: 'png' })
      expect([result.width, result.height, result.cache.output]).toEqual([320, 240, false])
    } finally {
      spy.mockRestore()
    }
    expect(remover.cache?.stats.writeErrors).toBe(2)
    // Said once, though both the matte and the output failed to be written (the model's load line may come too).
    expect(written.filter((line) => line.includes('cache'))).toEqual([
      `rembg-kit: cannot write the cache in ${blocked} (ENOTDIR); results are not cached\n`,
    ])
  })

  it('gives the same bytes for a path, a Buffer, a Uint8Array, base64 and a data URL', async () => {
    const dir = await tempDir()
    const path = join(dir, 'ball.png')
    await writeFile(path, scene.png)
    const remover = createRemover({ engine: countingEngine(), cacheDir: dir })
    const base64 = scene.png.toString('base64')
    const inputs = [
      path,
      scene.png,
      new Uint8Array(scene.png),
      { base64 },
      { base64: `data:image/png;base64,${base64}` },
    ]
    const outputs = await Promise.all(inputs.map((input) => remover.remove(input, { format: 'png' })))
    for (const output of outputs) expect(output.data.equals(outputs[0]?.data as Buffer)).toBe(true)
  })

  it('names the file in the error of a bad input, and validates parameters before any work', async () => {
    const engine = countingEngine()
    const remover = createRemover({ engine, cacheDir: false })
    await expect(remover.remove(Buffer.from('hello'), { fileName: 'notes.txt' })).rejects.toMatchObject({
      message: "File type '.txt' is not supported. Allowed formats: webp, bmp, png, jpg, jpeg",
      file: 'notes.txt',
      status: 400,
    })
    await expect(remover.remove(scene.png, { w: 'abc', angle: 500 })).rejects.toMatchObject({
      message: 'Multiple validation errors',
      details: [
        { field: 'w', message: "'w' must be an integer, got: 'abc'" },
        { field: 'angle', message: "'angle' must be between -360 and 360 degrees, got: 500.0" },
      ],
    })
    expect(engine.calls).toBe(0)
  })
})
