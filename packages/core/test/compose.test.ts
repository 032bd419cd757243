import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeBmp } from '../src/bmp.js'
import { type ComposedImage, compose, targetSize } from '../src/compose.js'
import { defaultParams } from '../src/params.js'
import type { RawImage, ResolvedParams } from '../src/types.js'

// The scene: 200×100, a green background and a red 80×60 square (x 60..139, y 20..79), with an exact matte.
const W = 200
const H = 100
const inSquare = (x: number, y: number): boolean => x >= 60 && x < 140 && y >= 20 && y < 80

function scene(): { image: RawImage; matte: Uint8Array } {
  const data = Buffer.alloc(W * H * 3)
  const matte = new Uint8Array(W * H)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x
      const subject = inSquare(x, y)
      data[p * 3] = subject ? 255 : 0
      data[p * 3 + 1] = subject ? 0 : 255
      matte[p] = subject ? 255 : 0
    }
  }
  return { image: { data, width: W, height: H, channels: 3 }, matte }
}

/** Sets the matte to `value` on the rectangle [x0, x1) × [y0, y1). */
function paintMatte(matte: Uint8Array, value: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const out = Uint8Array.from(matte)
  for (let y = y0; y < y1; y++) out.fill(value, y * W + x0, y * W + x1)
  return out
}

const defaults: ResolvedParams = { ...defaultParams, format: 'png' }
const params = (overrides: Partial<ResolvedParams>): ResolvedParams => ({ ...defaults, ...overrides })

interface Decoded {
  data: Buffer
  width: number
  height: number
  channels: number
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rembg-kit-compose-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes the output to disk, as a user would, and decodes it back (BMP with our own decoder). */
async function decode(out: ComposedImage): Promise<Decoded> {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}.${out.format}`)
  await writeFile(file, out.data)
  if (out.format === 'bmp') {
    const { data, width, height, channels } = decodeBmp(out.data)
    return { data, width, height, channels }
  }
  // sharp would decode a grayscale file to sRGB: keep what the file holds.
  const { channels } = await sharp(file).metadata()
  const pipeline = channels === 1 ? sharp(file).toColourspace('b-w') : sharp(file)
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: info.channels }
}

function pixel(img: Decoded, x: number, y: number): number[] {
  const at = (y * img.width + x) * img.channels
  return [...img.data.subarray(at, at + img.channels)]
}

/** Every channel within `tolerance` of the expected value. */
function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length)
  const far = actual.some((v, i) => Math.abs(v - (expected[i] as number)) > tolerance)
  if (far) expect.fail(`pixel [${actual.join(', ')}] is not within ${tolerance} of [${expected.join(', ')}]`)
}

/** Pixels that are neither transparent nor opaque: the edges a bad resize or rotate would tint. */
function semiTransparent(img: Decoded): number[][] {
  const found: number[][] = []
  for (let i = 0; i < img.data.length; i += 4) {
    const a = img.data[i + 3] as number
    if (a > 0 && a < 255) found.push([...img.data.subarray(i, i + 4)])
  }
  return found
}

describe('compose: cut out', () => {
  it('makes the background transparent and keeps the subject opaque', async () => {
    const { image, matte } = scene()
    const out = await compose(image, matte, defaults)
    expect([out.width, out.height, out.format, out.mime]).toEqual([200, 100, 'png', 'image/png'])
    const img = await decode(out)
    expect([img.width, img.height, img.channels]).toEqual([200, 100, 4])
    expect(pixel(img, 10, 10)[3]).toBe(0)
    expect(pixel(img, 199, 99)[3]).toBe(0)
    expect(pixel(img, 100, 50)).toEqual([255, 0, 0, 255])
    expect(pixel(img, 60, 20)).toEqual([255, 0, 0, 255])
  })

  it('multiplies the image’s own alpha by the matte', async () => {
    const { image, matte } = scene()
    const rgba = Buffer.alloc(W * H * 4)
    for (let p = 0; p < W * H; p++) {
      image.data.copy(rgba, p * 4, p * 3, p * 3 + 3)
      rgba[p * 4 + 3] = p % W < 100 ? 128 : 255 // left half already half transparent
    }
    const halfMatte = paintMatte(matte, 128, 60, 20, 80, 40)
    const out = await compose({ data: rgba, width: W, height: H, channels: 4 }, halfMatte, defaults)
    const img = await decode(out)
    expect(pixel(img, 90, 50)[3]).toBe(128) // image 128, matte 255
    expect(pixel(img, 120, 50)[3]).toBe(255) // image 255, matte 255
    expect(pixel(img, 70, 30)[3]).toBe(64) // image 128, matte 128
    expect(pixel(img, 10, 10)[3]).toBe(0) // image 128, matte 0
  })

  it('refuses a matte that does not match the image', async () => {
    const { image } = scene()
    await expect(compose(image, new Uint8Array(10), defaults)).rejects.toThrow(
      new TypeError('compose: the matte has 10 bytes, the image 20000 pixels'),
    )
  })
})

describe('compose: resize', () => {
  const cases: [Partial<ResolvedParams>, number, number][] = [
    [{ w: 100 }, 100, 50],
    [{ h: 20 }, 40, 20],
    [{ w: 100, h: 100 }, 100, 50], // fit inside: the width binds
    [{ w: 300, h: 20 }, 40, 20], // fit inside: the height binds
    [{ w: 400 }, 400, 200], // upscaling is allowed
    [{ w: 50, h: 60, exact_resize: true }, 50, 60],
    [{ w: 120, exact_resize: true }, 120, 60], // the missing side follows the aspect ratio
    [{ h: 30, exact_resize: true }, 60, 30],
  ]
  for (const [overrides, width, height] of cases) {
    it(`${JSON.stringify(overrides)} gives ${width}×${height}`, async () => {
      const { image, matte } = scene()
      const out = await compose(image, matte, params(overrides))
      expect([out.width, out.height]).toEqual([width, height])
      const meta = await sharp(out.data).metadata()
      expect([meta.width, meta.height]).toEqual([width, height])
    })
  }

  it('computes sizes without rounding a side to 0', () => {
    expect(targetSize(1000, 10, { w: 50, h: null, exact_resize: false })).toEqual({ width: 50, height: 1 })
    expect(targetSize(200, 100, { w: null, h: null, exact_resize: true })).toBeNull()
  })

  it('keeps the subject where it was, scaled', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ w: 100 })))
    expect(pixel(img, 50, 25)).toEqual([255, 0, 0, 255]) // centre of the square
    expect(pixel(img, 5, 5)[3]).toBe(0)
  })

  it('resizes in premultiplied alpha: no edge pixel is tinted by the hidden green background', async () => {
    const { image, matte } = scene()
    // 37 px wide: a scale of 0.185, so the square's edges fall between output pixels and blend.
    const img = await decode(await compose(image, matte, params({ w: 37 })))
    const edges = semiTransparent(img)
    expect(edges.length).toBeGreaterThan(10)
    for (const [r, g] of edges) {
      expect(g).toBeLessThanOrEqual(8)
      expect(r).toBeGreaterThanOrEqual(240)
    }
  })
})

describe('compose: rotate', () => {
  /** Opaque red 200×100 with a blue block touching the right edge (x 190..199, y 40..59). */
  function marked(): { image: RawImage; matte: Uint8Array } {
    const data = Buffer.alloc(W * H * 3)
    for (let p = 0; p < W * H; p++) {
      const x = p % W
      const y = Math.floor(p / W)
      const blue = x >= 190 && y >= 40 && y < 60
      data[p * 3] = blue ? 0 : 255
      data[p * 3 + 2] = blue ? 255 : 0
    }
    return { image: { data, width: W, height: H, channels: 3 }, matte: new Uint8Array(W * H).fill(255) }
  }

  it('angle=90 turns a wide image tall, counter-clockwise: the right edge goes to the top', async () => {
    const { image, matte } = marked()
    const out = await compose(image, matte, params({ angle: 90 }))
    expect([out.width, out.height]).toEqual([100, 200])
    const img = await decode(out)
    expect(pixel(img, 50, 4)).toEqual([0, 0, 255, 255]) // (195, 50) before
    expect(pixel(img, 50, 195)).toEqual([255, 0, 0, 255]) // (4, 50) before
  })

  it('angle=-90 turns clockwise: the right edge goes to the bottom', async () => {
    const { image, matte } = marked()
    const img = await decode(await compose(image, matte, params({ angle: -90 })))
    expect([img.width, img.height]).toEqual([100, 200])
    expect(pixel(img, 50, 195)).toEqual([0, 0, 255, 255])
    expect(pixel(img, 50, 4)).toEqual([255, 0, 0, 255])
  })

  it('expand=false keeps the canvas, centred, with transparent new areas', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ angle: 90, expand: false })))
    expect([img.width, img.height]).toEqual([200, 100])
    expect(pixel(img, 10, 50)[3]).toBe(0) // outside the turned image: new area
    expect(pixel(img, 100, 50)).toEqual([255, 0, 0, 255]) // the centre stays the centre
    expect(pixel(img, 100, 85)).toEqual([255, 0, 0, 255]) // was (65, 50), inside the square
    expect(pixel(img, 100, 5)[3]).toBe(0) // was (145, 50), background
  })

  it('expand=true grows the canvas to hold the whole image at 45°', async () => {
    const { image, matte } = marked()
    const img = await decode(await compose(image, matte, params({ angle: 45 })))
    // (200 + 100)·cos 45° ≈ 212
    expect(Math.abs(img.width - 212)).toBeLessThanOrEqual(1)
    expect(Math.abs(img.height - 212)).toBeLessThanOrEqual(1)
    expect(pixel(img, 0, 0)[3]).toBe(0)
    expectClose(pixel(img, Math.floor(img.width / 2), Math.floor(img.height / 2)), [255, 0, 0, 255], 1)
  })

  it('rotates in premultiplied alpha: no edge pixel is tinted by the hidden green background', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ angle: 30 })))
    const edges = semiTransparent(img)
    expect(edges.length).toBeGreaterThan(10)
    for (const [, g] of edges) expect(g).toBeLessThanOrEqual(8)
  })

  it('angle 0 and 360 are no-ops', async () => {
    const { image, matte } = scene()
    const still = await compose(image, matte, defaults)
    const full = await compose(image, matte, params({ angle: 360 }))
    expect([full.width, full.height]).toEqual([200, 100])
    expect(full.data.equals(still.data)).toBe(true)
  })
})

describe('compose: bg_color', () => {
  const half = (): { image: RawImage; matte: Uint8Array } => {
    const { image, matte } = scene()
    return { image, matte: paintMatte(matte, 128, 60, 20, 70, 30) } // a half-transparent corner of the square
  }

  it('an opaque colour fills the background and blends half-transparent pixels 50/50', async () => {
    const { image, matte } = half()
    const img = await decode(await compose(image, matte, params({ bg_color: '#0000ffff' })))
    expect(img.channels).toBe(3) // opaque: no alpha channel left
    expect(pixel(img, 10, 10)).toEqual([0, 0, 255])
    expect(pixel(img, 100, 50)).toEqual([255, 0, 0])
    expectClose(pixel(img, 65, 25), [128, 0, 127], 1)
  })

  it('fills the areas a rotation adds', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ angle: 45, bg_color: '#0000ffff' })))
    expect(img.channels).toBe(3)
    expect(pixel(img, 0, 0)).toEqual([0, 0, 255])
    expect(pixel(img, img.width - 1, img.height - 1)).toEqual([0, 0, 255])
  })

  it('a translucent colour is composited under the cutout (Porter-Duff over)', async () => {
    const { image, matte } = half()
    const img = await decode(await compose(image, matte, params({ bg_color: '#0000ff80' })))
    expect(img.channels).toBe(4)
    expect(pixel(img, 10, 10)).toEqual([0, 0, 255, 128])
    expect(pixel(img, 100, 50)).toEqual([255, 0, 0, 255])
    // red at 128/255 over blue at 128/255: alpha 0.502 + 0.502·0.498 = 0.752
    expectClose(pixel(img, 65, 25), [170, 0, 85, 192], 1)
  })

  it('a fully transparent colour changes nothing, even at edges', async () => {
    const { image, matte } = half()
    const plain = await decode(await compose(image, matte, defaults))
    const img = await decode(await compose(image, matte, params({ bg_color: '#00000000' })))
    expect(pixel(img, 65, 25)).toEqual(pixel(plain, 65, 25))
    expect(pixel(img, 65, 25)).toEqual([255, 0, 0, 128])
  })
})

describe('compose: mask', () => {
  it('returns the matte alone, as a one-channel image equal to it', async () => {
    const { image, matte } = scene()
    const out = await compose(image, paintMatte(matte, 128, 60, 20, 70, 30), params({ mask: true }))
    const img = await decode(out)
    expect([img.width, img.height, img.channels]).toEqual([200, 100, 1])
    expect(img.data.equals(Buffer.from(paintMatte(matte, 128, 60, 20, 70, 30)))).toBe(true)
  })

  it('goes through the same resize and rotate', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ mask: true, w: 100, angle: 90 })))
    expect([img.width, img.height, img.channels]).toEqual([50, 100, 1])
    expect(pixel(img, 25, 50)).toEqual([255])
    expect(pixel(img, 2, 2)).toEqual([0])
  })

  it('is written as gray in BMP too', async () => {
    const { image, matte } = scene()
    const out = await compose(image, matte, params({ mask: true, format: 'bmp' }))
    const img = await decode(out)
    expect([img.width, img.height]).toEqual([200, 100])
    expect(pixel(img, 100, 50).slice(0, 3)).toEqual([255, 255, 255])
    expect(pixel(img, 10, 10).slice(0, 3)).toEqual([0, 0, 0])
  })
})

describe('compose: encode', () => {
  it('JPEG flattens a cutout onto white', async () => {
    const { image, matte } = scene()
    const out = await compose(image, matte, params({ format: 'jpeg' }))
    expect(out.mime).toBe('image/jpeg')
    const img = await decode(out)
    expect(img.channels).toBe(3)
    expectClose(pixel(img, 10, 10), [255, 255, 255], 3)
    expectClose(pixel(img, 100, 50), [255, 0, 0], 8)
  })

  it('JPEG with a translucent colour shows it over white', async () => {
    const { image, matte } = scene()
    const img = await decode(await compose(image, matte, params({ format: 'jpeg', bg_color: '#0000ff80' })))
    expectClose(pixel(img, 10, 10), [127, 127, 255], 4)
  })

  const formats = [
    ['webp', 'image/webp', 4],
    ['png', 'image/png', 4],
    ['jpeg', 'image/jpeg', 3],
    ['bmp', 'image/bmp', 4],
  ] as const
  for (const [format, mime, channels] of formats) {
    it(`${format}: right mime and dimensions, decodes, keeps alpha where the format has it`, async () => {
      const { image, matte } = scene()
      const out = await compose(image, matte, params({ format, w: 150 }))
      expect([out.format, out.mime, out.width, out.height]).toEqual([format, mime, 150, 75])
      const img = await decode(out)
      expect([img.width, img.height, img.channels]).toEqual([150, 75, channels])
      expectClose(pixel(img, 75, 37).slice(0, 3), [255, 0, 0], 8)
      if (channels === 4) {
        expect(pixel(img, 5, 5)[3]).toBe(0)
        expect(pixel(img, 75, 37)[3]).toBe(255)
      }
    })
  }
})
