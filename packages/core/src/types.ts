import type { OutputFormat } from './values.js'

/** Decoded pixels, row-major, interleaved, 8 bits per channel. */
export interface RawImage {
  data: Buffer
  width: number
  height: number
  channels: 3 | 4
}

/**
 * A background-removal engine: it turns an image into an 8-bit alpha matte of the same size, nothing more. Core's
 * composer applies every output parameter, so all engines give identical outputs for identical mattes.
 */
export interface Engine {
  /** Stable name of the engine kind (`local`, `remote`). */
  readonly id: string
  /** Identifies what the engine computes (model id + model file hash, or API base URL): part of every matte key. */
  fingerprint(): Promise<string>
  /** One byte per pixel, `width * height` long, 255 = subject. */
  matte(image: RawImage, signal?: AbortSignal): Promise<Uint8Array>
}

/** The parameter set with every default filled in: the canonical form used by the composer and in cache keys. */
export interface ResolvedParams {
  format: OutputFormat
  /** Target width, or null when not set. */
  w: number | null
  /** Target height, or null when not set. */
  h: number | null
  exact_resize: boolean
  mask: boolean
  /** Normalised `#rrggbbaa`, or null when not set. */
  bg_color: string | null
  angle: number
  expand: boolean
}
