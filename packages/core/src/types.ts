import type { TransferProgress } from './api-client.js'
import type { InputFormat, OutputFormat } from './values.js'

/** Decoded pixels, row-major, interleaved, 8 bits per channel. */
export interface RawImage {
  data: Buffer
  width: number
  height: number
  channels: 3 | 4
  /**
   * The encoded file the pixels came from, when there is one: an engine that uploads the image (remote) sends these
   * bytes instead of a larger lossless re-encoding.
   */
  source?: { bytes: Uint8Array; format: InputFormat; fileName?: string }
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
  /**
   * One byte per pixel, `width * height` long, 255 = subject. `callbacks` are the asking call's own: an engine shared
   * by many calls sends each call's notes and progress to that call.
   */
  matte(image: RawImage, signal?: AbortSignal, callbacks?: CallCallbacks): Promise<Uint8Array>
}

/** The callbacks of one call, where an engine sends what it has to say while computing that call's matte. */
export interface CallCallbacks {
  /** The engine's notes (model loaded, provider fallback, retries) and the warning about an unwritable cache. */
  log?: (line: string) => void
  /** Upload progress of a remote engine's request. */
  onUploadProgress?: (event: TransferProgress) => void
  /** Download progress of a remote engine's request. */
  onDownloadProgress?: (event: TransferProgress) => void
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
  /** Trim to the subject's bounding box (ours and remove.bg's; never sent to the rembg.com API). */
  crop: boolean
  /** Matte values strictly above this (0..255) are the subject when cropping. */
  crop_threshold: number
  /** The crop margin in its shortest spelling, top right bottom left: `0px`, `10%`, `10px 5%`, `1px 2px 3px 4%`. */
  crop_margin: string
}
