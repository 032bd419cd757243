import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { ResultCache } from '../src/cache.js'
import { type ComposedImage, compose } from '../src/compose.js'
import {
  type CropBox,
  type CropMargin,
  type CropOutcome,
  cropBox,
  describeCrop,
  parseCropMargin,
  subjectBox,
} from '../src/crop.js'
import { canonicalParams, defaultParams, parseQuery, resolveParams } from '../src/params.js'
import { createRemover } from '../src/remove.js'
import type { Engine, RawImage, ResolvedParams } from '../src/types.js'
import { countingEngine, listFiles, renderScene, tempDir } from './helpers.js'

// The scene: 200×100, grey, a red disk of radius 30 centred at (120, 50) with an exact matte. Its box: x 90..150,
// y 20..80 (pixel centres within the radius), 61×61.
const W = 200
const H = 100
const disk = { cx: 120, cy: 50, r: 30 }
const diskBox: CropBox = { left: 90, top: 20, width: 61, height: 61 }

function diskScene(centre = disk): { image: RawImage; matte: Uint8Array } {
  const data = Buffer.alloc(W * H * 3, 128)
  const matte = new Uint8Array(W * H)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (Math.hypot(x - centre.cx, y - centre.cy) > centre.r) continue
      const p = y * W + x
      data.set([255, 0, 0], p * 3)
      matte[p] = 255
    }
  }
  return { image: { data, width: W, height: H, channels: 3 }, matte }
}

const params = (overrides: Record<string, unknown>): ResolvedParams => resolveParams({ format: 'png', ...overrides })

interface Decoded {
  data: Buffer
  width: number
  height: number
  channels: number
}

/** Decodes an output as a user would read it (a one-channel matte stays one channel). */
async function decode(out: { data: Buffer }): Promise<Decoded> {
  const { channels } = await sharp(out.data).metadata()
  const pipeline = channels === 1 ? sharp(out.data).toColourspace('b-w') : sharp(out.data)
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: info.channels }
}

const pixel = (img: Decoded, x: number, y: number): number[] => {
  const at = (y * img.width + x) * img.channels
  return [...img.data.subarray(at, at + img.channels)]
}

/** One channel of a decoded image (alpha is the last), to find the subject in an output. */
function channel(img: Decoded, index: number): Uint8Array {
  const out = new Uint8Array(img.width * img.height)
  for (let p = 0; p < out.length; p++) out[p] = img.data[p * img.channels + index] as number
  return out
}

const boxOf = (outcome: CropOutcome | undefined): CropBox => {
  if (outcome === undefined || !('box' in outcome)) throw new Error(`no crop box: ${JSON.stringify(outcome)}`)
  return outcome.box
}

const margin = (text: string): CropMargin => {
  const parsed = parseCropMargin(text)
  if (!('top' in parsed)) throw parsed
  return parsed
}

describe('subjectBox', () => {
  it('is the exact box of the silhouette', () => {
    const { matte } = diskScene()
    expect(subjectBox(matte, W, H, 10)).toStrictEqual(diskBox)
  })

  it('ignores residue at or below the threshold and counts what is above it', () => {
    const { matte } = diskScene()
    matte[0] = 10 // top-left corner, faint
    matte[W * H - 1] = 10 // bottom-right corner, faint
    expect(subjectBox(matte, W, H, 10)).toStrictEqual(diskBox)
    matte[5 * W + 3] = 11
    expect(subjectBox(matte, W, H, 10)).toStrictEqual({ left: 3, top: 5, width: 148, height: 76 })
    expect(subjectBox(matte, W, H, 0)).toStrictEqual({ left: 0, top: 0, width: W, height: H })
  })

  it('is null when no value is above the threshold', () => {
    expect(subjectBox(new Uint8Array(W * H), W, H, 10)).toBeNull()
    expect(subjectBox(new Uint8Array(W * H).fill(10), W, H, 10)).toBeNull()
    expect(subjectBox(new Uint8Array(W * H).fill(255), W, H, 255)).toBeNull()
  })

  it('finds a single pixel and a subject touching every edge', () => {
    const one = new Uint8Array(W * H)
    one[99 * W + 199] = 200
    expect(subjectBox(one, W, H, 10)).toStrictEqual({ left: 199, top: 99, width: 1, height: 1 })
    expect(subjectBox(new Uint8Array(W * H).fill(255), W, H, 10)).toStrictEqual({
      left: 0,
      top: 0,
      width: W,
      height: H,
    })
  })
})

describe('cropBox', () => {
  const subject: CropBox = { left: 60, top: 20, width: 80, height: 60 }

  it.each([
    ['0px', { left: 60, top: 20, width: 80, height: 60 }],
    ['10px', { left: 50, top: 10, width: 100, height: 80 }],
    ['10%', { left: 52, top: 14, width: 96, height: 72 }], // 10 % of 80 wide is 8, of 60 high is 6
    ['5px 20px', { left: 40, top: 15, width: 120, height: 70 }], // top-bottom 5, left-right 20
    ['1px 2px 3px 4px', { left: 56, top: 19, width: 86, height: 64 }], // top 1, right 2, bottom 3, left 4
    ['50% 1px', { left: 59, top: -10, width: 82, height: 120 }],
    ['12.5%', { left: 50, top: 12, width: 100, height: 76 }], // 10 and 7.5 → 8 (rounded)
  ])('%s', (text, expected) => {
    expect(cropBox(subject, margin(text))).toStrictEqual(expected)
  })
})

describe('describeCrop', () => {
  it('says what was cut, or why nothing was', () => {
    expect(describeCrop({ subject: diskBox, box: { left: -5, top: 10, width: 71, height: 61 } })).toBe(
      'cropped to 71x61 at -5,10',
    )
    expect(describeCrop({ skipped: 'no pixel above the threshold (10)' })).toBe(
      'not cropped: no pixel above the threshold (10)',
    )
  })
})

describe('compose with crop', () => {
  /**
   * The contract for one margin: the output is the silhouette's box plus the margin, the subject sits `margin` in from
   * the top-left, its pixels are the photo's own, and the margin is transparent.
   */
  async function expectCropped(text: string, expected: CropBox): Promise<void> {
    const { image, matte } = diskScene()
    const out = await compose(image, matte, params({ crop: true, crop_margin: text }))
    expect(out.crop).toStrictEqual({ subject: diskBox, box: expected })
    const img = await decode(out)
    expect([img.width, img.height, img.channels]).toEqual([expected.width, expected.height, 4])
    const inOutput = subjectBox(channel(img, 3), img.width, img.height, 10)
    expect(inOutput).toStrictEqual({
      left: diskBox.left - expected.left,
      top: diskBox.top - expected.top,
      width: diskBox.width,
      height: diskBox.height,
    })
    expect(pixel(img, disk.cx - expected.left, disk.cy - expected.top)).toEqual([255, 0, 0, 255])
    expect(pixel(img, 0, 0)[3]).toBe(0)
  }

  it.each([
    ['0px', diskBox],
    ['10px', { left: 80, top: 10, width: 81, height: 81 }],
    ['10', { left: 80, top: 10, width: 81, height: 81 }],
    ['10%', { left: 84, top: 14, width: 73, height: 73 }], // 10 % of 61 is 6.1 → 6
    ['5px 15px', { left: 75, top: 15, width: 91, height: 71 }],
    ['5% 15px', { left: 75, top: 17, width: 91, height: 67 }], // 5 % of 61 is 3.05 → 3
    ['2px 4px 6px 8px', { left: 82, top: 18, width: 73, height: 69 }],
    ['1% 2% 3% 4%', { left: 88, top: 19, width: 64, height: 64 }], // 0.61 → 1, 1.22 → 1, 1.83 → 2, 2.44 → 2
  ])('crop_margin %s: the silhouette’s box plus the margin', async (text, expected) => {
    await expectCropped(text, expected)
  })

  it('grows the canvas with transparent pixels where the margin reaches past the photo', async () => {
    const { image, matte } = diskScene({ cx: 25, cy: 20, r: 15 }) // box x 10..40, y 5..35
    const out = await compose(image, matte, params({ crop: true, crop_margin: '20px' }))
    expect(out.crop).toStrictEqual({
      subject: { left: 10, top: 5, width: 31, height: 31 },
      box: { left: -10, top: -15, width: 71, height: 71 },
    })
    const img = await decode(out)
    expect([img.width, img.height]).toEqual([71, 71])
    expect(pixel(img, 5, 5)).toEqual([0, 0, 0, 0]) // outside the photo: new, transparent
    expect(pixel(img, 15, 20)[3]).toBe(0) // inside the photo, background: cut out
    expect(pixel(img, 35, 35)).toEqual([255, 0, 0, 255]) // the disk's centre (25, 20)
  })

  it('fills the grown canvas with bg_color like any transparent area', async () => {
    const { image, matte } = diskScene({ cx: 25, cy: 20, r: 15 })
    const img = await decode(
      await compose(image, matte, params({ crop: true, crop_margin: '20px', bg_color: '#0000ff' })),
    )
    expect([img.width, img.height, img.channels]).toEqual([71, 71, 3])
    expect(pixel(img, 5, 5)).toEqual([0, 0, 255])
    expect(pixel(img, 35, 35)).toEqual([255, 0, 0])
  })

  it('mask returns the cropped matte, zero where the canvas grew', async () => {
    const { image, matte } = diskScene({ cx: 25, cy: 20, r: 15 })
    const out = await compose(image, matte, params({ crop: true, crop_margin: '20px', mask: true }))
    const img = await decode(out)
    expect([img.width, img.height, img.channels]).toEqual([71, 71, 1])
    for (let y = 0; y < 71; y++) {
      for (let x = 0; x < 71; x++) {
        const [sx, sy] = [x - 10, y - 15]
        const inside = sx >= 0 && sy >= 0 && sx < W && sy < H
        const expected = inside ? (matte[sy * W + sx] as number) : 0
        if (pixel(img, x, y)[0] !== expected) expect.fail(`mask (${x}, ${y}) is ${pixel(img, x, y)}, not ${expected}`)
      }
    }
  })

  it('w and h size the cropped subject', async () => {
    const { image, matte } = diskScene()
    const byWidth = await compose(image, matte, params({ crop: true, crop_margin: '10px 40px', w: 70 }))
    expect(boxOf(byWidth.crop)).toStrictEqual({ left: 50, top: 10, width: 141, height: 81 })
    expect([byWidth.width, byWidth.height]).toEqual([70, 40]) // 141×81 scaled to 70 wide
    const exact = await compose(image, matte, params({ crop: true, w: 30, h: 20, exact_resize: true }))
    expect([exact.width, exact.height]).toEqual([30, 20])
    const img = await decode(await compose(image, matte, params({ crop: true, h: 122 }))) // 61 → 122: ×2
    expect([img.width, img.height]).toEqual([122, 122])
    expect(pixel(img, 61, 61)).toEqual([255, 0, 0, 255])
    expect(pixel(img, 2, 2)[3]).toBe(0) // the box's corner is outside the disk
  })

  it('rotates the cropped image', async () => {
    const { image, matte } = diskScene()
    // 61 wide plus 30 on the right only: 91×61, which a quarter turn makes 61×91 with the margin on top.
    const out = await compose(image, matte, params({ crop: true, crop_margin: '0 30px 0 0', angle: 90 }))
    expect([out.width, out.height]).toEqual([61, 91])
    const img = await decode(out)
    expect(pixel(img, 30, 10)[3]).toBe(0) // the margin, now on top
    expect(pixel(img, 30, 60)).toEqual([255, 0, 0, 255]) // the disk's centre
  })

  it('leaves a photo without a subject whole and says why', async () => {
    const { image } = diskScene()
    const faint = new Uint8Array(W * H).fill(7)
    const out = await compose(image, faint, params({ crop: true, crop_margin: '10%' }))
    expect(out.crop).toStrictEqual({ skipped: 'no pixel above the threshold (10)' })
    expect([out.width, out.height]).toEqual([W, H])
    const strict = await compose(image, diskScene().matte, params({ crop: true, crop_threshold: 255 }))
    expect(strict.crop).toStrictEqual({ skipped: 'no pixel above the threshold (255)' })
  })

  it('ignores residue below the threshold, and a lower threshold counts it', async () => {
    const { image, matte } = diskScene()
    matte.fill(10, 0, W) // a faint first row
    const kept = await compose(image, matte, params({ crop: true }))
    expect(kept.crop).toStrictEqual({ subject: diskBox, box: diskBox })
    const low = await compose(image, matte, params({ crop: true, crop_threshold: 9 }))
    expect(boxOf(low.crop)).toStrictEqual({ left: 0, top: 0, width: W, height: 81 })
  })

  it('changes nothing and reports nothing without crop', async () => {
    const { image, matte } = diskScene()
    const plain: ComposedImage = await compose(image, matte, params({}))
    const inert = await compose(image, matte, params({ crop: false, crop_margin: '50%' }))
    expect(plain.crop).toBeUndefined()
    expect(inert.data.equals(plain.data)).toBe(true)
    expect([inert.width, inert.height]).toEqual([W, H])
  })
})

describe('cache keys', () => {
  // Recorded with the code before crop existed: the same requests must find the outputs cached then.
  const matteKey = '0'.repeat(64)
  it.each([
    ['', '54c57363a6920da85e535b471228f2c1a7225a0d1b52d59251b6f299abb534db'],
    ['w=800&format=png', 'dc5eb0beb925b1cf3ec01bb956cfe9d2dc486fa5f9078902dd01e1bca2d31abb'],
    ['bg_color=white&angle=45&mask=0', '26b2011c2c9f5e0b55b7b4a301df779b7392fe6bb1496f9ff03c9729dd2341c7'],
    [
      'bg_color=white&angle=45&mask=0&crop=false&crop_margin=10%',
      '26b2011c2c9f5e0b55b7b4a301df779b7392fe6bb1496f9ff03c9729dd2341c7',
    ],
  ])('the output key of %j is unchanged', (query, key) => {
    expect(ResultCache.outputKey(matteKey, canonicalParams(resolveParams(parseQuery(query))))).toBe(key)
  })

  it('gives a cropped output a key of its own', () => {
    const plain = canonicalParams(defaultParams)
    expect(canonicalParams(resolveParams({ crop: true }))).not.toBe(plain)
  })
})

describe('crop end to end, with the real IS-Net weights', () => {
  let scene: Awaited<ReturnType<typeof renderScene>>
  let truthBox: CropBox
  beforeAll(async () => {
    scene = await renderScene('box', 320, 240)
    truthBox = subjectBox(scene.truth, scene.width, scene.height, 127) as CropBox
  })

  /** Every side within one pixel of the expected box. */
  function expectNear(actual: CropBox, expected: CropBox): void {
    const sides = (b: CropBox) => [b.left, b.top, b.left + b.width, b.top + b.height]
    const far = sides(actual).some((v, i) => Math.abs(v - (sides(expected)[i] as number)) > 1)
    if (far) expect.fail(`box ${JSON.stringify(actual)} is not within 1 px of ${JSON.stringify(expected)}`)
  }

  it('crops to the silhouette plus the margin, and answers the same from the cache', async () => {
    const cacheDir = await tempDir()
    const engine = countingEngine()
    const first = await createRemover({ engine, cacheDir }).remove(scene.png, {
      format: 'png',
      crop: true,
      cropMargin: '10px 5%',
    })
    const { subject, box } = first.crop as { subject: CropBox; box: CropBox }
    expectNear(subject, truthBox)
    expect(box).toStrictEqual(cropBox(subject, margin('10px 5%')))
    expect([first.width, first.height]).toEqual([box.width, box.height])
    const alpha = await sharp(first.data).extractChannel(3).raw().toBuffer()
    expectNear(subjectBox(alpha, first.width, first.height, 10) as CropBox, {
      ...subject,
      left: subject.left - box.left,
      top: subject.top - box.top,
    })

    const again = await createRemover({ engine, cacheDir }).remove(scene.png, {
      format: 'png',
      crop: 'true',
      crop_margin: '10px,5%',
    })
    expect(again.cache).toEqual({ output: true, matte: true })
    expect(again.crop).toStrictEqual(first.crop)
    expect(again.data.equals(first.data)).toBe(true)
    expect(engine.calls).toBe(1)
  })

  it('sizes the cropped subject with w, and makes it again when the cached matte is gone', async () => {
    const cacheDir = await tempDir()
    const remover = createRemover({ engine: countingEngine(), cacheDir })
    const small = await remover.remove(scene.png, { crop: true, w: 100 })
    const box = boxOf(small.crop)
    expect([small.width, small.height]).toEqual([100, Math.round((box.height * 100) / box.width)])
    await rm(join(cacheDir, 'mattes'), { recursive: true })
    const remade = await createRemover({ engine: countingEngine(), cacheDir }).remove(scene.png, { crop: true, w: 100 })
    expect(remade.cache).toEqual({ output: false, matte: false })
    expect(remade.crop).toStrictEqual(small.crop)
    expect((await listFiles(cacheDir)).filter((f) => f.startsWith('mattes/'))).toHaveLength(1)
  })
})

describe('crop end to end, a photo with no subject', () => {
  /** An engine that finds nothing, as a remote service does on an empty photo. */
  const emptyEngine: Engine = {
    id: 'empty',
    fingerprint: async () => 'empty-v1',
    matte: async (image) => new Uint8Array(image.width * image.height).fill(3),
  }

  it('keeps the photo whole, reports why, and reports it again from the cache', async () => {
    const { png, width, height } = await renderScene('ball', 160, 120)
    const cacheDir = await tempDir()
    const first = await createRemover({ engine: emptyEngine, cacheDir }).remove(png, { crop: true, format: 'png' })
    expect(first.crop).toStrictEqual({ skipped: 'no pixel above the threshold (10)' })
    expect([first.width, first.height]).toEqual([width, height])
    const again = await createRemover({ engine: emptyEngine, cacheDir }).remove(png, { crop: true, format: 'png' })
    expect(again.cache.output).toBe(true)
    expect(again.crop).toStrictEqual(first.crop)
    const plain = await createRemover({ engine: emptyEngine, cacheDir }).remove(png, { format: 'png' })
    expect(plain.crop).toBeUndefined()
  })
})
