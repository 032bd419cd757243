/**
 * The one parameter set (the rembg.com API's), parsed the same way from a query string, form fields, CLI flags or a
 * JS object into {@link ResolvedParams}: the only place defaults live, and the canonical form cache keys are built on.
 */
import { tryParseColor } from './color.js'
import { formatCropMargin, parseCropMargin } from './crop.js'
import {
  aboveMaximum,
  angleOutOfRange,
  belowMinimum,
  combineErrors,
  invalidColor,
  invalidCropMargin,
  invalidFormat,
  maskWithBgColor,
  notABoolean,
  notANumber,
  notAnInteger,
  RembgError,
  unknownParameter,
} from './errors.js'
import type { ResolvedParams } from './types.js'
import {
  apiParameterNames,
  falseWords,
  limits,
  type OutputFormat,
  outputFormats,
  type ParameterName,
  parameterNames,
  trueWords,
} from './values.js'

/** The parameters as a user gives them: every field optional, strings accepted wherever a query or form sends one. */
export interface RemoveParams {
  /**
   * Output encoding, case-insensitive; `jpg` is `jpeg`. JPEG has no alpha: without `bg_color` it is flattened on white.
   * @default 'webp'
   */
  format?: OutputFormat | 'jpg' | (string & {})
  /**
   * Target width in pixels, 1..10000, aspect ratio kept. `0`, `''` and `null` mean not set.
   * @default null
   */
  w?: number | string | null
  /**
   * Target height in pixels, 1..10000, aspect ratio kept. `0`, `''` and `null` mean not set.
   * @default null
   */
  h?: number | string | null
  /**
   * Force exactly w×h (may distort); a missing side is derived from the aspect ratio. `true/false/1/0`, any case.
   * @default false
   */
  exact_resize?: boolean | string
  /** Alias of `exact_resize`. */
  exactResize?: boolean | string
  /**
   * Return only the alpha matte, as a grayscale image. Conflicts with `bg_color`.
   * @default false
   */
  mask?: boolean | string
  /**
   * Fill the removed background: `#RGB`, `#RGBA`, `#RRGGBB`, `#RRGGBBAA` (`#` optional) or a CSS colour name.
   * @default null
   */
  bg_color?: string | null
  /** Alias of `bg_color`. */
  bgColor?: string | null
  /**
   * Rotation in degrees after processing, -360..360, positive = counter-clockwise.
   * @default 0
   */
  angle?: number | string
  /**
   * Grow the canvas so the rotated image is not cropped; false keeps the original size.
   * @default true
   */
  expand?: boolean | string
  /**
   * Trim to the subject's bounding box (after the cut-out, before resize and rotate), plus `crop_margin`. Ours and
   * remove.bg's, not the rembg.com API's: core applies it to any engine's matte. A photo with no subject is left whole.
   * @default false
   */
  crop?: boolean | string
  /**
   * With `crop`: matte values (0..255) strictly above this count as subject, so faint residue does not widen the box.
   * @default 10
   */
  crop_threshold?: number | string
  /** Alias of `crop_threshold`. */
  cropThreshold?: number | string
  /**
   * With `crop`: room around the subject, `30px`, `30` (pixels) or `10%` (of the subject's size); one value, two
   * (top-bottom left-right) or four (top right bottom left), separated by spaces or commas; at most 500px or 50 % a
   * side. Where it reaches past the photo, the canvas grows with transparent pixels (or `bg_color`).
   * @default '0px'
   */
  crop_margin?: number | string
  /** Alias of `crop_margin`. */
  cropMargin?: number | string
}

export interface ResolveParamsOptions {
  /**
   * Refuse keys that are not parameters. The server's form parser turns it off, because the vendor client sends
   * fields of its own (`return_base64`, ...) that the API ignores.
   * @default true
   */
  strict?: boolean
  /**
   * Keys the caller reads itself (a bundler plugin's `as`, `inline`): skipped here, and listed after the parameters
   * when an unknown key is refused, so the message names every key the caller accepts.
   * @default []
   */
  extraKeys?: readonly string[]
  /**
   * Parameters applied where the input gives none (a plugin's project-wide defaults); validated like the input, and
   * the same field given here and in the input under another spelling (`bgColor`, `bg_color`) is not a repetition.
   * @default {}
   */
  defaults?: RemoveParams | Record<string, unknown>
}

/** The parameters when nothing is given. */
export const defaultParams: ResolvedParams = Object.freeze({
  format: 'webp',
  w: null,
  h: null,
  exact_resize: false,
  mask: false,
  bg_color: null,
  angle: 0,
  expand: true,
  crop: false,
  crop_threshold: 10,
  crop_margin: '0px',
})

/** The camelCase spellings JS users reach for; the API's names stay canonical. */
const aliases = {
  exactResize: 'exact_resize',
  bgColor: 'bg_color',
  cropThreshold: 'crop_threshold',
  cropMargin: 'crop_margin',
} as const satisfies Record<string, ParameterName>

/** The query key that asks a bundler for a cutout (`./a.jpg?rembg&w=800`); it is a marker, not a parameter. */
const queryMarker = 'rembg'

/** A field's value, or the error that refused it: fields return errors so that all of them can be reported at once. */
export type Parsed<T> = T | RembgError

/**
 * The API has no message for a repeated key (its form parser keeps one value silently); ours refuses it, since the
 * two values may disagree. Belongs in errors.ts with the other factories.
 */
function repeatedParameter(field: string): RembgError {
  return new RembgError(`Parameter '${field}' was given more than once. Give each parameter at most once.`, {
    status: 400,
    code: 'INVALID_PARAMETER',
    field,
  })
}

const toParameterName = (key: string): ParameterName | undefined =>
  Object.entries(aliases).find(([alias]) => alias === key)?.[1] ?? parameterNames.find((name) => name === key)

/** Errors in parameter order, then those about other keys in the order they were met. */
function orderErrors(errors: ReadonlyMap<string, RembgError>): RembgError[] {
  const known = parameterNames.flatMap((name) => errors.get(name) ?? [])
  const others = [...errors].filter(([key]) => toParameterName(key) === undefined).map(([, error]) => error)
  return [...known, ...others]
}

/**
 * Reads the input's keys into canonical names. A key whose value is `undefined` is absent (as JSON would drop it);
 * a field given twice (`bg_color` and `bgColor`) is an error and is not parsed further.
 */
function collectInput(
  input: object,
  options: ResolveParamsOptions,
  errors: Map<string, RembgError>,
): Map<ParameterName, unknown> {
  const values = new Map<ParameterName, unknown>()
  const extraKeys = options.extraKeys ?? []
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || extraKeys.includes(key)) continue
    const name = toParameterName(key)
    if (name === undefined) {
      if (options.strict ?? true) errors.set(key, unknownParameter(key, [...parameterNames, ...extraKeys]))
    } else if (values.has(name) || errors.has(name)) {
      values.delete(name)
      errors.set(name, repeatedParameter(name))
    } else {
      values.set(name, value)
    }
  }
  return values
}

function parseFormat(raw: unknown): Parsed<OutputFormat> {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined
  const wanted = text === 'jpg' ? 'jpeg' : text
  return outputFormats.find((format) => format === wanted) ?? invalidFormat(String(raw))
}

/**
 * Python's `int()` on a string, which is how the API reads w and h: spaces around are already trimmed, one sign is
 * allowed (`+5` is 5, `-05` is -5), `_` may group digits (`1_000`), nothing else: `12.0`, `1e3`, `0x10` are not
 * integers. Unlike Python, only ASCII digits count. NaN when the text is not an integer.
 */
const intPattern = /^[+-]?\d+(?:_\d+)*$/
const parsePythonInt = (text: string): number => (intPattern.test(text) ? Number(text.replaceAll('_', '')) : Number.NaN)

/** w and h. `0` (and `-0`, `000`), `''` and `null` mean "not set": the vendor client sends `w=0&h=0` by default. */
function parseSize(field: 'w' | 'h', raw: unknown): Parsed<number | null> {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return null
  const value = parseInteger(field, raw)
  if (value === 0) return null
  return value instanceof RembgError ? value : inRange(field, value, 1, limits.maxResize)
}

/** An integer from a number or a string (as Python's `int()` reads it), or the API's "must be an integer" error. */
export function parseInteger(field: string, raw: unknown): Parsed<number> {
  const text = typeof raw === 'string' ? raw.trim() : undefined
  const value = typeof raw === 'number' ? raw : text === undefined ? Number.NaN : parsePythonInt(text)
  return Number.isInteger(value) ? value : notAnInteger(field, String(raw))
}

/** `value` when it lies in min..max, else the API's "at least" / "at most" error. */
function inRange(field: string, value: number, min: number, max: number): Parsed<number> {
  if (value < min) return belowMinimum(field, min, value)
  if (value > max) return aboveMaximum(field, max, value)
  return value
}

/** Booleans: real booleans, the numbers 0 and 1, or `true/false/1/0` in any case. An empty string is not one. */
function parseBoolean(field: ParameterName, raw: unknown): Parsed<boolean> {
  if (typeof raw === 'boolean') return raw
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : typeof raw === 'number' ? String(raw) : undefined
  if (trueWords.some((word) => word === text)) return true
  if (falseWords.some((word) => word === text)) return false
  return notABoolean(field, String(raw))
}

function parseBgColor(raw: unknown): Parsed<string | null> {
  if (raw === null) return null
  const color = typeof raw === 'string' ? tryParseColor(raw) : undefined
  return color ?? invalidColor(String(raw))
}

/**
 * Python's `float()` grammar (`90`, `-45.5`, `.5`, `5.`, `1e2`, `1_0.5`). Its `inf` and `nan` spellings are left out
 * on purpose: a rotation by infinity is refused as "not a number", like NaN.
 */
const floatPattern = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/i
const parsePythonFloat = (text: string): number =>
  floatPattern.test(text) ? Number(text.replaceAll('_', '')) : Number.NaN

function parseAngle(raw: unknown): Parsed<number> {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parsePythonFloat(raw.trim()) : Number.NaN
  // Overflowing text such as `1e400` becomes Infinity here and is refused with the other non-finite values.
  if (!Number.isFinite(value)) return notANumber('angle', String(raw))
  if (Math.abs(value) > limits.maxAngle) return angleOutOfRange(value)
  // -0 and 0 rotate alike; one spelling keeps one cache key.
  return value === 0 ? 0 : value
}

/** crop_threshold: an integer as w and h are read, 0..255; unlike them, 0 is a value (any alpha above 0). */
function parseCropThreshold(raw: unknown): Parsed<number> {
  const value = parseInteger('crop_threshold', raw)
  if (value instanceof RembgError) return value
  return value === 0 ? 0 : inRange('crop_threshold', value, 0, limits.maxCropThreshold) // -0 and 0: one cache key
}

/** crop_margin, kept in its shortest spelling (`10px 5%`): a string like bg_color's `#rrggbbaa`, parsed again to crop. */
function parseCropMarginField(raw: unknown): Parsed<string> {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : undefined
  if (text === undefined) return invalidCropMargin(String(raw))
  const margin = parseCropMargin(text)
  return margin instanceof RembgError ? margin : formatCropMargin(margin)
}

/** One parser per field, a registry rather than a switch. */
const parsers: { [K in ParameterName]: (raw: unknown) => Parsed<ResolvedParams[K]> } = {
  format: parseFormat,
  w: (raw) => parseSize('w', raw),
  h: (raw) => parseSize('h', raw),
  exact_resize: (raw) => parseBoolean('exact_resize', raw),
  mask: (raw) => parseBoolean('mask', raw),
  bg_color: parseBgColor,
  angle: parseAngle,
  expand: (raw) => parseBoolean('expand', raw),
  crop: (raw) => parseBoolean('crop', raw),
  crop_threshold: parseCropThreshold,
  crop_margin: parseCropMarginField,
}

function resolveField<K extends ParameterName>(
  name: K,
  values: ReadonlyMap<ParameterName, unknown>,
  errors: Map<string, RembgError>,
): ResolvedParams[K] {
  const raw = values.get(name)
  if (raw === undefined) return defaultParams[name]
  const parsed = parsers[name](raw)
  if (!(parsed instanceof RembgError)) return parsed
  errors.set(name, parsed)
  return defaultParams[name]
}

/**
 * Validates every field and fills every default. All fields are checked before failing: one invalid field throws its
 * own error, several throw `Multiple validation errors` with one `details` entry per field, in parameter order.
 *
 * @param input the parameters from an object (camelCase `exactResize`, `bgColor`, `cropThreshold`, `cropMargin`
 *   accepted), {@link parseQuery}, form fields or CLI flags; `undefined` values count as absent.
 * @throws RembgError with the API's messages, word for word (e.g. `'w' must be an integer, got: 'abc'`).
 * @example
 * resolveParams({ format: 'JPG', w: '800', bgColor: 'white' })
 * // { format: 'jpeg', w: 800, h: null, exact_resize: false, mask: false, bg_color: '#ffffffff', angle: 0, expand: true,
 * //   crop: false, crop_threshold: 10, crop_margin: '0px' }
 * resolveParams({ crop: 'true', cropMargin: '10px, 5%' }) // crop: true, crop_margin: '10px 5%'
 * resolveParams({ w: '0', h: '0', return_base64: 'true' }, { strict: false }) // defaults: w=0 means not set
 * resolveParams({ w: '320', as: 'meta' }, { extraKeys: ['as'], defaults: { format: 'png' } }) // format png, w 320
 */
export function resolveParams(
  input: RemoveParams | Record<string, unknown>,
  options: ResolveParamsOptions = {},
): ResolvedParams {
  const errors = new Map<string, RembgError>()
  const given = collectInput(input, options, errors)
  const values = new Map([...collectInput(options.defaults ?? {}, options, errors), ...given])
  const params: ResolvedParams = {
    format: resolveField('format', values, errors),
    w: resolveField('w', values, errors),
    h: resolveField('h', values, errors),
    exact_resize: resolveField('exact_resize', values, errors),
    mask: resolveField('mask', values, errors),
    bg_color: resolveField('bg_color', values, errors),
    angle: resolveField('angle', values, errors),
    expand: resolveField('expand', values, errors),
    crop: resolveField('crop', values, errors),
    crop_threshold: resolveField('crop_threshold', values, errors),
    crop_margin: resolveField('crop_margin', values, errors),
  }
  // A refused field holds its default (mask false, bg_color null), so the conflict is reported only between valid ones.
  if (params.mask && params.bg_color !== null) errors.set('bg_color', maskWithBgColor())
  const error = combineErrors(orderErrors(errors))
  if (error) throw error
  return params
}

/**
 * Splits a query (`?rembg&w=800&format=png`, with or without the `?`) into fields for {@link resolveParams}. The
 * `rembg` marker is dropped; values stay strings (`&w=` gives `''`, which means "not set" for w and h only). A
 * boolean written bare in a query string (`&crop`, `&mask`) means true, as a directive does in image-import plugins;
 * written with an empty value (`&mask=`) it is still refused. A `#` inside the text is kept as a character, so
 * `bg_color=#fff` works in a bundler id.
 *
 * @throws RembgError when a key is repeated (the two values could disagree, so neither wins).
 * @example
 * parseQuery('?rembg&w=800&format=png') // { w: '800', format: 'png' }
 * parseQuery('?rembg&crop&crop_margin=10%') // { crop: 'true', crop_margin: '10%' }
 */
export function parseQuery(search: string | URLSearchParams): Record<string, string> {
  const entries = typeof search === 'string' ? new URLSearchParams(search) : search
  const bare = typeof search === 'string' ? bareKeys(search) : new Set<string>()
  const fields = new Map<string, string>()
  const errors = new Map<string, RembgError>()
  for (const [key, value] of entries) {
    if (key === queryMarker) continue
    if (fields.has(key)) errors.set(key, repeatedParameter(key))
    fields.set(key, value === '' && bare.has(key) && isBooleanParameter(key) ? 'true' : value)
  }
  const error = combineErrors(orderErrors(errors))
  if (error) throw error
  // fromEntries defines own properties, so a `__proto__` key stays a key (and strict parsing names it).
  return Object.fromEntries(fields)
}

/** The keys a query string writes without `=` (decoded as URLSearchParams decodes them). */
function bareKeys(search: string): Set<string> {
  const parts = search.replace(/^\?/, '').split('&')
  return new Set(
    parts.filter((part) => part !== '' && !part.includes('=')).flatMap((part) => [...new URLSearchParams(part).keys()]),
  )
}

const isBooleanParameter = (key: string): boolean => {
  const name = toParameterName(key)
  return name !== undefined && typeof defaultParams[name] === 'boolean'
}

const formatField = (value: ResolvedParams[ParameterName]): string => (value === null ? '' : String(value))

/** The fields that shape an output: the crop fields change nothing while crop is off, so they are left out then. */
const outputFieldNames = (params: ResolvedParams): readonly ParameterName[] =>
  params.crop ? parameterNames : apiParameterNames

/** The set fields among `names`, in that order, as strings. */
const fieldsOf = (params: ResolvedParams, names: readonly ParameterName[]): Record<string, string> =>
  Object.fromEntries(
    names.flatMap((name): [string, string][] => (params[name] === null ? [] : [[name, formatField(params[name])]])),
  )

/**
 * A stable serialisation for cache keys: every field, sorted by name, booleans as `true`/`false`, numbers as JS
 * prints them, null as empty. Values never contain `&` or `=` once resolved, so the string is unambiguous.
 * The crop fields are included only when `crop` is on: without it they change nothing in the output, and every key
 * made before they existed stays the same, so outputs already cached stay valid.
 *
 * @example
 * canonicalParams(resolveParams({ w: 1, h: 2 })) === canonicalParams(resolveParams({ h: '2', w: '1' })) // true
 * canonicalParams(defaultParams)
 * // 'angle=0&bg_color=&exact_resize=false&expand=true&format=webp&h=&mask=false&w='
 * canonicalParams(resolveParams({ crop: true }))
 * // 'angle=0&bg_color=&crop=true&crop_margin=0px&crop_threshold=10&exact_resize=false&expand=true&format=webp&h=&mask=false&w='
 */
export function canonicalParams(params: ResolvedParams): string {
  return outputFieldNames(params)
    .toSorted()
    .map((name) => `${name}=${formatField(params[name])}`)
    .join('&')
}

/**
 * The resolved parameters as API form fields, in the API's order, leaving out the fields that are not set. The crop
 * fields are never among them: the rembg.com API does not know them (core crops the matte it returns).
 *
 * @example
 * paramsToFormFields(resolveParams({ w: 800 }))
 * // { format: 'webp', w: '800', exact_resize: 'false', mask: 'false', angle: '0', expand: 'true' }
 */
export function paramsToFormFields(params: ResolvedParams): Record<string, string> {
  return fieldsOf(params, apiParameterNames)
}

/**
 * Every field that shapes the output, as strings, for an id or a URL that must carry a request whole (a bundler's
 * asset id, a link to a server of our own): {@link paramsToFormFields} plus the crop fields when `crop` is on.
 * `resolveParams` reads them back to the same parameters.
 *
 * @example
 * paramsToFields(resolveParams({ w: 800, crop: true, cropMargin: '5%' }))
 * // { format: 'webp', w: '800', exact_resize: 'false', mask: 'false', angle: '0', expand: 'true',
 * //   crop: 'true', crop_threshold: '10', crop_margin: '5%' }
 */
export function paramsToFields(params: ResolvedParams): Record<string, string> {
  return fieldsOf(params, outputFieldNames(params))
}
