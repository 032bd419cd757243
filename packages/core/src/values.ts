/**
 * The enumerations of the parameter set and of inputs, once. This file imports nothing, so any stage
 * (parser, composer, CLI, adapters) can use it without pulling in sharp or onnxruntime.
 */

/** Output encodings, as the API names them (`jpg` is accepted as an alias of `jpeg`). */
export const outputFormats = ['webp', 'png', 'jpeg', 'bmp'] as const
export type OutputFormat = (typeof outputFormats)[number]

/** Input encodings we accept, judged by signature. */
export const inputFormats = ['png', 'jpeg', 'webp', 'bmp'] as const
export type InputFormat = (typeof inputFormats)[number]

/** File extensions accepted for inputs, in the order the API's error message lists them. */
export const inputExtensions = ['webp', 'bmp', 'png', 'jpg', 'jpeg'] as const

/**
 * The engines core builds by name: `local` runs an ONNX model on this machine, `remote` asks the rembg.com API or a
 * compatible server. Every adapter parses, checks and lists engine names from this one array.
 */
export const engineNames = ['local', 'remote'] as const
export type EngineName = (typeof engineNames)[number]

/**
 * The local engine's presets: `quality` runs the model at the input size it was trained at; `fast` at a smaller one
 * (presets.ts says what each costs). Every adapter parses, checks and lists preset names from this one array.
 */
export const presetNames = ['quality', 'fast'] as const
export type Preset = (typeof presetNames)[number]

/** Spellings of booleans, compared case-insensitively. */
export const trueWords = ['true', '1'] as const
export const falseWords = ['false', '0'] as const

/** The rembg.com API's parameters, in its documentation's order: the only ones a remote engine may send. */
export const apiParameterNames = ['format', 'w', 'h', 'exact_resize', 'mask', 'bg_color', 'angle', 'expand'] as const

/**
 * Cropping to the subject, named as remove.bg names it. Not the rembg.com API's: core applies them to any engine's
 * matte, so they are never sent to an API, and they enter a cache key only when `crop` is on.
 */
export const cropParameterNames = ['crop', 'crop_threshold', 'crop_margin'] as const

/** The names of the parameters: the API documentation's order, then ours. */
export const parameterNames = [...apiParameterNames, ...cropParameterNames] as const
export type ParameterName = (typeof parameterNames)[number]

export const limits = {
  /** Largest accepted input file, in bytes (50 MB). */
  maxFileBytes: 50 * 1024 * 1024,
  /** Largest accepted input side, in pixels. */
  maxSide: 10000,
  /** Largest w or h. */
  maxResize: 10000,
  /** Largest absolute angle, in degrees. */
  maxAngle: 360,
  /** Largest crop_threshold (matte values are 0..255). */
  maxCropThreshold: 255,
  /** Largest crop margin a side, in pixels (remove.bg's limit). */
  maxCropMarginPx: 500,
  /** Largest crop margin a side, in percent of the subject's size (remove.bg's limit). */
  maxCropMarginPercent: 50,
} as const

/** MIME type of each output format. */
export const mimeTypes: Record<OutputFormat, string> = {
  webp: 'image/webp',
  png: 'image/png',
  jpeg: 'image/jpeg',
  bmp: 'image/bmp',
}

/** File extension written for each output format. */
export const fileExtensions: Record<OutputFormat, string> = {
  webp: 'webp',
  png: 'png',
  jpeg: 'jpg',
  bmp: 'bmp',
}
