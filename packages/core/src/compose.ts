import type { Sharp } from 'sharp'
import { encodeBmp } from './bmp.js'
import { type CropBox, type CropOutcome, planCrop } from './crop.js'
import { invalidColor } from './errors.js'
import { loadSharp } from './sharp.js'
import type { RawImage, ResolvedParams } from './types.js'
import { mimeTypes, type OutputFormat } from './values.js'

/** An encoded output file and what it is. */
export interface ComposedImage {
  data: Buffer
  width: number
  height: number
  format: OutputFormat
  mime: string
  /** What `crop` did (the box cut, or why nothing was), when it was asked for. */
  crop?: CropOutcome
}

/** Raw pixels between two stages: 1 channel (a matte), 3 (opaque colour) or 4 (colour with straight alpha). */
interface Pixels {
  data: Buffer
  width: number
  height: number
  channels: 1 | 3 | 4
}

type Rgba = readonly [r: number, g: number, b: number, a: number]

const white: Rgba = [255, 255, 255, 255]
const transparent = { r: 0, g: 0, b: 0, alpha: 0 }

/**
 * Turns an image and its alpha matte into the output file, the same way for every engine. Order of operations:
 * cut out → crop → resize → rotate → bg_color → encode; with `mask`, the matte alone goes through crop, resize and
 * rotate and is encoded as a grayscale image. Cropping before resizing makes `w`/`h` the size of the subject.
 *
 * Every stage works on raw 8-bit buffers (no float copy of the image), so a 12-megapixel input costs a few RGBA
 * buffers at most.
 *
 * @example
 * const image = { data: rgb, width: 800, height: 600, channels: 3 } as const
 * const matte = await engine.matte(image)
 * const out = await compose(image, matte, resolveParams({ format: 'png', w: 400 }))
 * await writeFile('cutout.png', out.data) // out.width === 400, out.height === 300
 */
export async function compose(image: RawImage, matte: Uint8Array, params: ResolvedParams): Promise<ComposedImage> {
  const pixelCount = image.width * image.height
  if (matte.length !== pixelCount) {
    throw new TypeError(`compose: the matte has ${matte.length} bytes, the image ${pixelCount} pixels`)
  }
  const start = params.mask ? matteOnly(image, matte) : cutOut(image, matte)
  const crop = planCrop(matte, image.width, image.height, params)
  const cropped = crop !== undefined && 'box' in crop ? cropTo(start, crop.box) : start
  const resized = await resize(cropped, params)
  const rotated = await rotate(resized, params.angle, params.expand)
  const background = backgroundFor(params)
  const flat = background === null ? rotated : blendOver(rotated, background)
  const data = await encoders[params.format](flat)
  const { width, height } = flat
  const composed = { data, width, height, format: params.format, mime: mimeTypes[params.format] }
  return crop === undefined ? composed : { ...composed, crop }
}

// Cut out ------------------------------------------------------------------------------------------------------------

/**
 * RGBA with alpha = matte. An image with its own alpha keeps what was already transparent: alpha·matte/255.
 * The colour under alpha 0 is kept as it is; the resize and rotate stages work premultiplied, so it never shows.
 */
function cutOut(image: RawImage, matte: Uint8Array): Pixels {
  const { width, height, channels, data: src } = image
  const out = Buffer.allocUnsafe(width * height * 4)
  for (let p = 0, i = 0, o = 0; p < matte.length; p++, i += channels, o += 4) {
    const m = matte[p] as number
    out[o] = src[i] as number
    out[o + 1] = src[i + 1] as number
    out[o + 2] = src[i + 2] as number
    out[o + 3] = channels === 4 ? Math.round(((src[i + 3] as number) * m) / 255) : m
  }
  return { data: out, width, height, channels: 4 }
}

function matteOnly(image: RawImage, matte: Uint8Array): Pixels {
  const data = Buffer.from(matte.buffer, matte.byteOffset, matte.byteLength)
  return { data, width: image.width, height: image.height, channels: 1 }
}

// Crop ---------------------------------------------------------------------------------------------------------------

/**
 * The pixels inside `box` (crop.ts computes it from the matte). Where the box reaches past the photo the canvas grows
 * with zeros: transparent in a cutout, background in a matte; bg_color fills it later like any transparent area.
 */
function cropTo(pixels: Pixels, box: CropBox): Pixels {
  return placeOn(pixels, box.width, box.height, -box.left, -box.top)
}

// Resize -------------------------------------------------------------------------------------------------------------

/**
 * The output size for `w`, `h` and `exact_resize`, or null when no resize is asked for. Aspect is kept unless
 * exact_resize forces both sides; with both sides and no exact_resize the image fits inside w×h. Upscaling is allowed.
 *
 * @example
 * targetSize(200, 100, { w: 100, h: null, exact_resize: false }) // { width: 100, height: 50 }
 * targetSize(200, 100, { w: 100, h: 100, exact_resize: true })  // { width: 100, height: 100 }
 */
export function targetSize(
  width: number,
  height: number,
  params: Pick<ResolvedParams, 'w' | 'h' | 'exact_resize'>,
): { width: number; height: number } | null {
  const { w, h } = params
  if (w === null && h === null) return null
  const byWidth = (tw: number) => ({ width: tw, height: Math.max(1, Math.round((height * tw) / width)) })
  const byHeight = (th: number) => ({ width: Math.max(1, Math.round((width * th) / height)), height: th })
  if (h === null) return byWidth(w as number)
  if (w === null) return byHeight(h)
  if (params.exact_resize) return { width: w, height: h }
  return w / width <= h / height ? byWidth(w) : byHeight(h)
}

async function resize(pixels: Pixels, params: ResolvedParams): Promise<Pixels> {
  const size = targetSize(pixels.width, pixels.height, params)
  if (size === null || (size.width === pixels.width && size.height === pixels.height)) return pixels
  // sharp premultiplies alpha around the resize: edge pixels are not pulled toward the hidden background colour
  // (rembg #606, #716). The test 'resizes in premultiplied alpha' holds it to that.
  return toPixels(load(pixels).resize({ width: size.width, height: size.height, fit: 'fill' }))
}

// Rotate -------------------------------------------------------------------------------------------------------------

/**
 * Counter-clockwise by `angle` degrees, as PIL's `Image.rotate`. Multiples of 90 are exact (no resampling); other
 * angles are resampled by libvips, which premultiplies alpha for it. New areas are transparent (black for a matte).
 */
async function rotate(pixels: Pixels, angle: number, expand: boolean): Promise<Pixels> {
  const turn = ((angle % 360) + 360) % 360
  if (turn === 0) return pixels
  // sharp turns clockwise: a counter-clockwise turn t is a clockwise turn 360 - t.
  const background = pixels.channels === 4 ? transparent : '#000000'
  const rotated = await toPixels(load(pixels).rotate(360 - turn, { background }))
  return expand ? rotated : centreOn(rotated, pixels.width, pixels.height)
}

/** Places `pixels` centred on a cleared canvas of width×height, cropping what does not fit (PIL's expand=False). */
function centreOn(pixels: Pixels, width: number, height: number): Pixels {
  if (pixels.width === width && pixels.height === height) return pixels
  const dx = Math.floor((width - pixels.width) / 2)
  const dy = Math.floor((height - pixels.height) / 2)
  return placeOn(pixels, width, height, dx, dy)
}

/** Copies `pixels` onto a cleared canvas of width×height with its top-left corner at (dx, dy), clipping the rest. */
function placeOn(pixels: Pixels, width: number, height: number, dx: number, dy: number): Pixels {
  const { channels } = pixels
  const out = Buffer.alloc(width * height * channels)
  const x0 = Math.max(0, dx)
  const x1 = Math.min(width, dx + pixels.width)
  if (x1 <= x0) return { data: out, width, height, channels }
  for (let y = Math.max(0, dy); y < Math.min(height, dy + pixels.height); y++) {
    const from = ((y - dy) * pixels.width + (x0 - dx)) * channels
    pixels.data.copy(out, (y * width + x0) * channels, from, from + (x1 - x0) * channels)
  }
  return { data: out, width, height, channels }
}

// Background ---------------------------------------------------------------------------------------------------------

/** The colour to put under the cutout: bg_color, and for JPEG (no alpha) whatever is left over white. */
function backgroundFor(params: ResolvedParams): Rgba | null {
  const colour = params.bg_color === null ? null : parseColour(params.bg_color)
  if (params.format !== 'jpeg') return colour
  return colour === null ? white : over(colour, white)
}

/** A normalised `#rrggbbaa`. */
function parseColour(value: string): Rgba {
  if (!/^#[0-9a-f]{8}$/i.test(value)) throw invalidColor(value)
  const byte = (at: number) => Number.parseInt(value.slice(at, at + 2), 16)
  return [byte(1), byte(3), byte(5), byte(7)]
}

/** Porter-Duff "over" of one straight-alpha colour on another. */
function over(top: Rgba, below: Rgba): Rgba {
  const ta = top[3] / 255
  const ba = below[3] / 255
  const a = ta + ba * (1 - ta)
  if (a === 0) return [0, 0, 0, 0]
  const channel = (c: 0 | 1 | 2) => Math.round((top[c] * ta + below[c] * ba * (1 - ta)) / a)
  return [channel(0), channel(1), channel(2), Math.round(a * 255)]
}

/**
 * The cutout over a colour across the whole alpha range, not only where alpha is 0: a half-transparent edge pixel
 * becomes half subject, half background, never a fringe of the old background (rembg #606, #716).
 * An opaque colour gives an opaque RGB image; a matte or an opaque image is left as it is.
 */
function blendOver(pixels: Pixels, background: Rgba): Pixels {
  if (pixels.channels !== 4) return pixels
  return background[3] === 255 ? blendOpaque(pixels, background) : blendTranslucent(pixels, background)
}

function blendOpaque(pixels: Pixels, bg: Rgba): Pixels {
  const { data: src, width, height } = pixels
  const out = Buffer.allocUnsafe(width * height * 3)
  for (let i = 0, o = 0; i < src.length; i += 4, o += 3) {
    const a = src[i + 3] as number
    const b = 255 - a
    out[o] = Math.round(((src[i] as number) * a + bg[0] * b) / 255)
    out[o + 1] = Math.round(((src[i + 1] as number) * a + bg[1] * b) / 255)
    out[o + 2] = Math.round(((src[i + 2] as number) * a + bg[2] * b) / 255)
  }
  return { data: out, width, height, channels: 3 }
}

/** Straight-alpha "over" per pixel, in scalars: no per-pixel arrays on a 12-megapixel image. */
function blendTranslucent(pixels: Pixels, bg: Rgba): Pixels {
  const src = pixels.data
  const out = Buffer.allocUnsafe(src.length)
  const bgA = bg[3] / 255
  for (let i = 0; i < src.length; i += 4) {
    const a = (src[i + 3] as number) / 255
    const under = bgA * (1 - a)
    const outA = a + under
    for (let c = 0; c < 3; c++) {
      out[i + c] = outA === 0 ? 0 : Math.round(((src[i + c] as number) * a + (bg[c] as number) * under) / outA)
    }
    out[i + 3] = Math.round(outA * 255)
  }
  return { ...pixels, data: out }
}

// Encode -------------------------------------------------------------------------------------------------------------

/** One encoder per output format. JPEG never sees alpha: backgroundFor() has already flattened it. */
const encoders: Record<OutputFormat, (pixels: Pixels) => Promise<Buffer>> = {
  // sharp's WebP keeps the alpha channel at full quality (alphaQuality 100) while the colour is lossy, quality 80.
  webp: (pixels) => load(pixels).webp().toBuffer(),
  png: (pixels) => load(pixels).png().toBuffer(),
  jpeg: (pixels) => load(pixels).jpeg().toBuffer(),
  bmp: async (pixels) => encodeBmp(toRawImage(pixels)),
}

/** BMP has no grayscale mode we write: a matte goes out as three equal channels. */
function toRawImage(pixels: Pixels): RawImage {
  const { channels } = pixels
  if (channels !== 1) return { ...pixels, channels }
  const out = Buffer.allocUnsafe(pixels.data.length * 3)
  for (let p = 0, o = 0; p < pixels.data.length; p++, o += 3) {
    const v = pixels.data[p] as number
    out[o] = v
    out[o + 1] = v
    out[o + 2] = v
  }
  return { data: out, width: pixels.width, height: pixels.height, channels: 3 }
}

// sharp plumbing -----------------------------------------------------------------------------------------------------

/** A sharp pipeline over raw pixels. A matte stays one gray channel (sharp would otherwise write sRGB). */
function load(pixels: Pixels): Sharp {
  const { data, width, height, channels } = pixels
  const pipeline = loadSharp()(data, { raw: { width, height, channels } })
  return channels === 1 ? pipeline.toColourspace('b-w') : pipeline
}

async function toPixels(pipeline: Sharp): Promise<Pixels> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  const { width, height, channels } = info
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new TypeError(`compose: sharp returned ${channels} channels`)
  }
  return { data, width, height, channels }
}
