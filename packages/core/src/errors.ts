/**
 * The one error type of rembg-kit, and one factory per documented failure. The messages are the rembg.com API
 * documentation's, word for word (they are the contract our server and every adapter repeat); the codes are ours and
 * stable, for programs that branch on them.
 */
import { engineNames, presetNames } from './values.js'

export interface RembgErrorDetail {
  field: string
  message: string
}

export interface RembgErrorInit {
  status: number
  code: string
  field?: string
  details?: RembgErrorDetail[]
  /** The file the error is about, when one is known (printed by the CLI, never part of `message`). */
  file?: string
  cause?: unknown
}

export class RembgError extends Error {
  override readonly name = 'RembgError'
  readonly status: number
  readonly code: string
  readonly field: string | undefined
  readonly details: RembgErrorDetail[] | undefined
  file: string | undefined

  constructor(message: string, init: RembgErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.status = init.status
    this.code = init.code
    this.field = init.field
    this.details = init.details
    this.file = init.file
  }

  /** The API's JSON error body: `{ error, details?, status }`. */
  toJSON(): { error: string; details?: RembgErrorDetail[]; status: number } {
    return this.details
      ? { error: this.message, details: this.details, status: this.status }
      : { error: this.message, status: this.status }
  }
}

/** True for errors thrown by rembg-kit (works across duplicate copies of the package). */
export function isRembgError(error: unknown): error is RembgError {
  return (
    error instanceof RembgError ||
    (error instanceof Error && error.name === 'RembgError' && 'code' in error && 'status' in error)
  )
}

/**
 * What a user is told about any failure, in every adapter (the CLI's lines, the action's failed step, the Strapi
 * plugin's recorded status, the server's log): rembg-kit's documented message with one indented line per detail,
 * another error's message, or the thrown value as text. The file and the program's name are the caller's to add.
 *
 * @example
 * describeError(combineErrors([notAnInteger('w', 'abc'), invalidFormat('gif')]))
 * // "Multiple validation errors\n  w: 'w' must be an integer, got: 'abc'\n  format: Invalid format 'gif'. ..."
 */
export function describeError(error: unknown): string {
  if (!isRembgError(error)) return error instanceof Error ? error.message : String(error)
  return error.message + (error.details ?? []).map((d) => `\n  ${d.field}: ${d.message}`).join('')
}

/** Attaches the file name to an error about an input, leaving the message (the documented text) as it is. */
export function withFile<E>(error: E, file: string | undefined): E {
  if (file !== undefined && isRembgError(error) && error.file === undefined) error.file = file
  return error
}

/** Prints a value as the API's Python server prints it in messages: strings quoted, floats with a decimal point. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'number') return formatFloat(value)
  return String(value)
}

/** Python's `repr(float)` for the values we meet: `500` → `500.0`, `12.5` → `12.5`. */
export function formatFloat(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value)
}

const badRequest = (message: string, code: string, field?: string): RembgError =>
  new RembgError(message, { status: 400, code, ...(field === undefined ? {} : { field }) })

// Inputs -------------------------------------------------------------------------------------------------------------

export const noImageProvided = (): RembgError =>
  badRequest("No image file provided. Please include an 'image' field in your form data.", 'NO_IMAGE', 'image')

export const noFileSelected = (): RembgError =>
  badRequest('No file selected. Please choose an image file to upload.', 'NO_FILE_SELECTED', 'image')

/** `extension` with its dot, as the API prints it: `.exe`. */
export const unsupportedFileType = (extension: string): RembgError =>
  badRequest(
    `File type '${extension}' is not supported. Allowed formats: webp, bmp, png, jpg, jpeg`,
    'UNSUPPORTED_FILE_TYPE',
    'image',
  )

export const invalidSignature = (): RembgError =>
  badRequest('File does not appear to be a valid image (invalid file signature)', 'INVALID_SIGNATURE', 'image')

export const emptyFile = (): RembgError => badRequest('Uploaded file is empty (0 bytes).', 'EMPTY_FILE', 'image')

export const fileTooLarge = (bytes: number): RembgError =>
  badRequest(
    `File size (${(bytes / (1024 * 1024)).toFixed(1)} MB) exceeds the maximum allowed size of 50 MB.`,
    'FILE_TOO_LARGE',
    'image',
  )

export const imageTooWide = (width: number): RembgError =>
  badRequest(`Image width (${width}px) exceeds the maximum allowed width of 10000px.`, 'IMAGE_TOO_WIDE', 'image')

export const imageTooTall = (height: number): RembgError =>
  badRequest(`Image height (${height}px) exceeds the maximum allowed height of 10000px.`, 'IMAGE_TOO_TALL', 'image')

// Parameters ---------------------------------------------------------------------------------------------------------

export const notAnInteger = (field: string, raw: string): RembgError =>
  badRequest(`'${field}' must be an integer, got: ${formatValue(raw)}`, 'INVALID_PARAMETER', field)

export const belowMinimum = (field: string, min: number, value: number): RembgError =>
  badRequest(`'${field}' must be at least ${min}, got: ${value}`, 'INVALID_PARAMETER', field)

export const aboveMaximum = (field: string, max: number, value: number): RembgError =>
  badRequest(`'${field}' must be at most ${max}, got: ${value}`, 'INVALID_PARAMETER', field)

/** Not in the API's table (its query parameters have no documented messages); the shape of the angle's range one. */
export const notBetween = (field: string, min: number, max: number, value: number): RembgError =>
  badRequest(`'${field}' must be between ${min} and ${max}, got: ${value}`, 'INVALID_PARAMETER', field)

export const notANumber = (field: string, raw: string): RembgError =>
  badRequest(`'${field}' must be a number, got: ${formatValue(raw)}`, 'INVALID_PARAMETER', field)

export const angleOutOfRange = (value: number): RembgError =>
  badRequest(`'angle' must be between -360 and 360 degrees, got: ${formatFloat(value)}`, 'INVALID_PARAMETER', 'angle')

export const invalidFormat = (raw: string): RembgError =>
  badRequest(`Invalid format '${raw}'. Allowed formats: PNG, JPEG, WEBP, BMP`, 'INVALID_PARAMETER', 'format')

export const invalidColor = (raw: string): RembgError =>
  badRequest(
    `Invalid color format '${raw}'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA`,
    'INVALID_PARAMETER',
    'bg_color',
  )

/** Booleans have no row in the API's table; this message follows the shape of the integer one. */
export const notABoolean = (field: string, raw: string): RembgError =>
  badRequest(`'${field}' must be a boolean (true/false/1/0), got: ${formatValue(raw)}`, 'INVALID_PARAMETER', field)

export const maskWithBgColor = (): RembgError =>
  badRequest(
    "Cannot use 'mask=true' together with 'bg_color'. Choose one or the other.",
    'PARAMETER_CONFLICT',
    'bg_color',
  )

/** Ours: an engine name no adapter knows (the engines are listed from values.ts). */
export const unknownEngine = (raw: string): RembgError =>
  badRequest(`Unknown engine '${raw}'. Engines: ${engineNames.join(', ')}`, 'UNKNOWN_ENGINE', 'engine')

/** Ours: a preset name no engine knows (the presets are listed from values.ts). */
export const unknownPreset = (raw: string): RembgError =>
  badRequest(`Unknown preset '${raw}'. Presets: ${presetNames.join(', ')}`, 'UNKNOWN_PRESET', 'preset')

/** Ours: a preset other than `quality` asked of an engine that has only one (remote, or an engine object). */
export const presetNeedsLocal = (preset: string, engine: unknown): RembgError =>
  badRequest(
    `Preset '${preset}' needs engine 'local'; engine '${typeof engine === 'string' ? engine : 'custom'}' has only 'quality'`,
    'PRESET_UNSUPPORTED',
    'preset',
  )

/** Not in the API (which ignores unknown form fields); ours, for query strings and configs where a typo is a bug. */
export const unknownParameter = (field: string, allowed: readonly string[]): RembgError =>
  badRequest(`Unknown parameter '${field}'. Allowed parameters: ${allowed.join(', ')}`, 'UNKNOWN_PARAMETER', field)

/** One error for several: a single error is returned as it is, several as `Multiple validation errors`. */
export function combineErrors(errors: RembgError[]): RembgError | undefined {
  if (errors.length <= 1) return errors[0]
  return new RembgError('Multiple validation errors', {
    status: 400,
    code: 'MULTIPLE_ERRORS',
    details: errors.map((e) => ({ field: e.field ?? '', message: e.message })),
  })
}

// API service errors (the remote engine and the server) --------------------------------------------------------------

export const invalidApiKey = (): RembgError =>
  new RembgError('invalid api key', { status: 401, code: 'INVALID_API_KEY' })

export const apiKeyAndToken = (): RembgError =>
  new RembgError('This is a mistake: Cannot use both API key and user token', { status: 400, code: 'KEY_AND_TOKEN' })

export const emailNotVerified = (): RembgError =>
  new RembgError('Email address not verified — please check your inbox', { status: 403, code: 'EMAIL_NOT_VERIFIED' })

export const tooManyRequests = (): RembgError =>
  new RembgError("You're making requests too quickly, Please Upgrade or slow down.", {
    status: 429,
    code: 'RATE_LIMITED',
  })

export const dailyLimitReached = (): RembgError =>
  new RembgError("You've reached your daily limit. Please sign up for more access.", {
    status: 429,
    code: 'DAILY_LIMIT',
  })

export const monthlyLimitReached = (): RembgError =>
  new RembgError("You've reached your monthly limit. Consider purchasing more credits.", {
    status: 429,
    code: 'MONTHLY_LIMIT',
  })

/** Not in the API's table: our server's answer when its inference queue is full (sent with `Retry-After`). */
export const serverBusy = (): RembgError =>
  new RembgError('The server is busy. Please retry later.', { status: 503, code: 'SERVER_BUSY' })

// Crop (ours, after remove.bg's `crop_margin`; the API has no such parameter, so the messages follow its shape) -----

export const invalidCropMargin = (raw: string): RembgError =>
  badRequest(
    `'crop_margin' must be 1, 2 or 4 margins (all; top-bottom left-right; top right bottom left), each in whole pixels (30px or 30) or percent (10%), got: ${formatValue(raw)}`,
    'INVALID_PARAMETER',
    'crop_margin',
  )

/** `margin` is the one side that is too large, as given (`600px`, `60%`). */
export const cropMarginTooLarge = (margin: string): RembgError =>
  badRequest(
    `'crop_margin' must be at most 500px or 50% a side, got: ${formatValue(margin)}`,
    'INVALID_PARAMETER',
    'crop_margin',
  )
