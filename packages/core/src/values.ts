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

/** Spellings of booleans, compared case-insensitively. */
export const trueWords = ['true', '1'] as const
export const falseWords = ['false', '0'] as const

/** The names of the parameters, in the API documentation's order. */
export const parameterNames = ['format', 'w', 'h', 'exact_resize', 'mask', 'bg_color', 'angle', 'expand'] as const
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
