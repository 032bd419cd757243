/**
 * Cropping to the subject: the bounding box of the matte above a threshold, grown by a margin. Pure arithmetic on
 * the matte (no sharp), shared by the composer, which cuts the pixels, and by the remover, which reports the same box
 * for an output answered from the cache.
 */
import { cropMarginTooLarge, invalidCropMargin, RembgError } from './errors.js'
import type { ResolvedParams } from './types.js'
import { limits } from './values.js'

/** A rectangle in the input photo's pixels. `left`/`top` are negative where a margin reaches past its edge. */
export interface CropBox {
  left: number
  top: number
  width: number
  height: number
}

/**
 * What `crop` did, reported on {@link RemoveResult}: the subject's box and the box cut (margin included, before any
 * resize or rotation), or why nothing was cut. Nothing found is not an error: a pipeline must not fail on an empty
 * photo, so the image is left whole and the reason is given.
 */
export type CropOutcome = { subject: CropBox; box: CropBox } | { skipped: string }

/** One side of a margin: pixels, or percent of the subject's size along that side's axis. */
export interface MarginSide {
  value: number
  unit: 'px' | '%'
}

export interface CropMargin {
  top: MarginSide
  right: MarginSide
  bottom: MarginSide
  left: MarginSide
}

// A whole number with `px` or no unit, or a number with `%`; the unit in any case.
const sidePattern = /^(?:(\d+)(px)?|(\d+(?:\.\d+)?|\.\d+)(%))$/i

function parseSide(token: string): MarginSide | undefined {
  const match = sidePattern.exec(token)
  if (!match) return undefined
  return match[1] === undefined ? { value: Number(match[3]), unit: '%' } : { value: Number(match[1]), unit: 'px' }
}

const tooLarge = (side: MarginSide): boolean =>
  side.value > (side.unit === 'px' ? limits.maxCropMarginPx : limits.maxCropMarginPercent)

/**
 * Reads a margin as remove.bg takes it: one value (all sides), two (top-bottom, left-right) or four (top, right,
 * bottom, left), separated by spaces or commas; each `30px`, `30` (pixels) or `10%` (of the subject's size).
 *
 * @returns the margin, or the error refusing it (the parameter parser reports all fields' errors at once).
 * @example
 * parseCropMargin('10px 5%') // { top: 10px, right: 5%, bottom: 10px, left: 5% }
 */
export function parseCropMargin(text: string): CropMargin | RembgError {
  const tokens = text.trim().split(/[\s,]+/)
  const sides = tokens.map(parseSide)
  if (![1, 2, 4].includes(sides.length) || sides.some((side) => side === undefined)) return invalidCropMargin(text)
  const oversized = sides.findIndex((side) => side !== undefined && tooLarge(side))
  if (oversized >= 0) return cropMarginTooLarge(tokens[oversized] as string)
  const [top, right = top, bottom = top, left = right] = sides as [MarginSide, MarginSide?, MarginSide?, MarginSide?]
  return { top, right, bottom, left }
}

const formatSide = (side: MarginSide): string => `${side.value}${side.unit}`

/**
 * The shortest spelling of a margin (`0px`, `10%`, `10px 5%`, `1px 2px 3px 4px`): one value, one cache key.
 *
 * @example
 * formatCropMargin(parseCropMargin('10PX, 010px') as CropMargin) // '10px'
 */
export function formatCropMargin(margin: CropMargin): string {
  const [top, right, bottom, left] = [margin.top, margin.right, margin.bottom, margin.left].map(formatSide)
  if (top === bottom && right === left) return top === right ? `${top}` : `${top} ${right}`
  return `${top} ${right} ${bottom} ${left}`
}

/**
 * The smallest box holding every matte value above `threshold`, or null when there is none. Strictly above, so faint
 * residue at the photo's edges does not widen the box.
 *
 * @example
 * subjectBox(matte, 640, 480, 10) // { left: 192, top: 144, width: 269, height: 250 }
 */
export function subjectBox(matte: Uint8Array, width: number, height: number, threshold: number): CropBox | null {
  let top = -1
  let bottom = -1
  let left = width
  let right = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    let first = -1
    for (let x = 0; x < width; x++) {
      if ((matte[row + x] as number) > threshold) {
        first = x
        break
      }
    }
    if (first < 0) continue
    if (top < 0) top = y
    bottom = y
    left = Math.min(left, first)
    for (let x = width - 1; x > right; x--) {
      if ((matte[row + x] as number) > threshold) {
        right = x
        break
      }
    }
  }
  return top < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 }
}

/** A side in pixels: percents of the subject's height for top and bottom, of its width for left and right. */
const sidePixels = (side: MarginSide, subjectSide: number): number =>
  side.unit === 'px' ? side.value : Math.round((side.value * subjectSide) / 100)

/**
 * The subject's box grown by the margin. It may reach past the photo: the composer grows the canvas there.
 *
 * @example
 * cropBox({ left: 60, top: 20, width: 80, height: 60 }, parseCropMargin('10%') as CropMargin)
 * // { left: 52, top: 14, width: 96, height: 72 }
 */
export function cropBox(subject: CropBox, margin: CropMargin): CropBox {
  const top = sidePixels(margin.top, subject.height)
  const bottom = sidePixels(margin.bottom, subject.height)
  const left = sidePixels(margin.left, subject.width)
  const right = sidePixels(margin.right, subject.width)
  return {
    left: subject.left - left,
    top: subject.top - top,
    width: subject.width + left + right,
    height: subject.height + top + bottom,
  }
}

/**
 * What `crop` does to a photo with this matte, or undefined when crop is off.
 *
 * @throws RembgError when `crop_margin` is not a valid margin (resolveParams never lets one through).
 */
export function planCrop(
  matte: Uint8Array,
  width: number,
  height: number,
  params: Pick<ResolvedParams, 'crop' | 'crop_threshold' | 'crop_margin'>,
): CropOutcome | undefined {
  if (!params.crop) return undefined
  const margin = parseCropMargin(params.crop_margin)
  if (margin instanceof RembgError) throw margin
  const subject = subjectBox(matte, width, height, params.crop_threshold)
  if (subject === null) return { skipped: `no pixel above the threshold (${params.crop_threshold})` }
  return { subject, box: cropBox(subject, margin) }
}

/**
 * The outcome in a few words, for a log line: `cropped to 96x72 at 52,14` or `not cropped: <reason>`.
 *
 * @example
 * describeCrop({ skipped: 'no pixel above the threshold (10)' }) // 'not cropped: no pixel above the threshold (10)'
 */
export function describeCrop(outcome: CropOutcome): string {
  if ('skipped' in outcome) return `not cropped: ${outcome.skipped}`
  const { box } = outcome
  return `cropped to ${box.width}x${box.height} at ${box.left},${box.top}`
}
