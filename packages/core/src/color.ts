import colorNames from 'color-name'
import { invalidColor } from './errors.js'

type CssColorName = keyof typeof colorNames

/**
 * The 148 named colours of CSS Color Module Level 4 (§6.1) as `#rrggbb`, from the `color-name` package (the list CSS
 * tools share). `transparent` is not a named colour in that sense (it has an alpha): tryParseColor handles it.
 */
export const cssColors: Readonly<Record<CssColorName, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(colorNames).map(([name, rgb]) => [
      name,
      `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`,
    ]),
  ) as Record<CssColorName, string>,
)

/** `#` optional, then 3, 4, 6 or 8 hex digits (input already lowercased). */
const hexPattern = /^#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/

// Own keys only: `constructor` or `__proto__` must not be found on the prototype.
const isCssColorName = (text: string): text is CssColorName => Object.hasOwn(cssColors, text)

/**
 * Normalises a colour to lowercase `#rrggbbaa`, or returns undefined when it is not one we accept. The non-throwing
 * half of {@link parseColor}, for callers that collect several validation errors before failing.
 *
 * @example
 * tryParseColor('F0A') // '#ff00aaff'
 * tryParseColor('#12345') // undefined
 */
export function tryParseColor(raw: string): string | undefined {
  const text = raw.trim().toLowerCase()
  if (text === 'transparent') return '#00000000'
  if (isCssColorName(text)) return `${cssColors[text]}ff`
  const digits = hexPattern.exec(text)?.[1]
  if (digits === undefined) return undefined
  // Shorthand (#RGB, #RGBA) doubles every digit, as CSS does: #f0a = #ff00aa.
  const full = digits.length <= 4 ? [...digits].map((digit) => digit + digit).join('') : digits
  return full.length === 6 ? `#${full}ff` : `#${full}`
}

/**
 * Parses a background colour as the API accepts it: `#RGB`, `#RGBA`, `#RRGGBB` or `#RRGGBBAA` (the `#` may be
 * omitted, any case), one of the 148 CSS named colours, or `transparent`; surrounding spaces are ignored.
 *
 * @returns the colour as lowercase `#rrggbbaa` (alpha `ff` when none was given).
 * @throws RembgError `Invalid color format '<raw>'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA`
 * @example
 * parseColor('#FFF') // '#ffffffff'
 * parseColor('RebeccaPurple') // '#663399ff'
 * parseColor('00000080') // '#00000080'
 */
export function parseColor(raw: string): string {
  const color = tryParseColor(raw)
  if (color === undefined) throw invalidColor(raw)
  return color
}
