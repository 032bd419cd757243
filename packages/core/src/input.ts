/**
 * Inputs: every form a user may hand us (path, bytes, base64, data URL) becomes bytes, which are checked in the API's
 * order (empty, size, extension, signature, dimensions) before anything is decoded. Dimensions come from the header
 * only, so a small file declaring a huge image (a decompression bomb) is refused without being expanded.
 */
import { open } from 'node:fs/promises'
import { win32 } from 'node:path'
import { types } from 'node:util'
import { decodeBmp, isBmp, readBmpSize } from './bmp.js'
import {
  emptyFile,
  fileTooLarge,
  imageTooTall,
  imageTooWide,
  invalidSignature,
  isRembgError,
  noImageProvided,
  RembgError,
  unsupportedFileType,
  withFile,
} from './errors.js'
import { loadSharp } from './sharp.js'
import type { RawImage } from './types.js'
import { type InputFormat, inputExtensions, limits } from './values.js'

/**
 * An image to process. A string is a file path (Windows paths included; never parsed as a URL) or a `data:` URL;
 * `{ base64 }` holds plain base64 or a data URL. Bytes need no MIME type: the format is sniffed from the signature.
 */
export type ImageInput = string | Buffer | Uint8Array | ArrayBuffer | { base64: string }

/** An input that passed every check that needs no decode. */
export interface LoadedInput {
  bytes: Buffer
  format: InputFormat
  /** Displayed width (EXIF orientation applied). */
  width: number
  /** Displayed height (EXIF orientation applied). */
  height: number
  /** The path, or the name the caller gave: what errors name and what the extension check used. */
  fileName?: string
}

/** `data:[<mediatype>][;base64],<data>`; the declared type is ignored, the bytes are sniffed like any others. */
const dataUrlPattern = /^data:([^,]*?)(;base64)?,/i

/**
 * The format a file's first bytes announce, or null when they match none we accept.
 *
 * @example
 * sniffFormat(await readFile('photo.jpg')) // 'jpeg'
 */
export function sniffFormat(bytes: Uint8Array): InputFormat | null {
  const startsWith = (signature: readonly number[], at = 0): boolean =>
    bytes.length >= at + signature.length && signature.every((value, i) => bytes[at + i] === value)
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (startsWith([0xff, 0xd8, 0xff])) return 'jpeg'
  // 'RIFF', four bytes of length, 'WEBP'.
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'webp'
  if (isBmp(bytes)) return 'bmp'
  return null
}

/**
 * Reads an input and checks it without decoding it: empty, over 50 MB, an unsupported extension (when a file name is
 * known), an unknown signature, or a side over 10000 px each throw the API's documented error, with `error.file` set.
 *
 * @example
 * const loaded = await loadInput('photos/cat.jpg') // { bytes, format: 'jpeg', width: 3024, height: 4032, fileName }
 * const fromUpload = await loadInput(buffer, { fileName: 'upload.png' })
 */
export async function loadInput(input: ImageInput, options: { fileName?: string } = {}): Promise<LoadedInput> {
  return checkDimensions(await readInput(input, options))
}

/** An input read and checked up to its signature: what a cache key needs, before any image library is loaded. */
export type ReadInput = Omit<LoadedInput, 'width' | 'height'>

/**
 * The first part of {@link loadInput}: reads the bytes and checks size, extension and signature. A cached result
 * needs no more (the same bytes passed every check when it was made); {@link checkDimensions} does the rest.
 */
export async function readInput(input: ImageInput, options: { fileName?: string } = {}): Promise<ReadInput> {
  const fileName = inputName(input, options.fileName)
  try {
    const bytes = await readBytes(input)
    const format = checkBytes(bytes, fileName)
    return { bytes, format, ...(fileName === undefined ? {} : { fileName }) }
  } catch (error) {
    throw withFile(error, fileName)
  }
}

/** The second part of {@link loadInput}: the displayed size from the header, refused over 10000 px a side. */
export async function checkDimensions(read: ReadInput): Promise<LoadedInput> {
  try {
    const { width, height } = await readDimensions(read.bytes, read.format)
    if (width > limits.maxSide) throw imageTooWide(width)
    if (height > limits.maxSide) throw imageTooTall(height)
    return { ...read, width, height }
  } catch (error) {
    throw withFile(error, read.fileName)
  }
}

/**
 * Decodes a loaded input to 8-bit sRGB pixels, EXIF orientation applied: channels 4 when the source has alpha, else
 * 3. A file whose header was fine but whose data is not (truncated, corrupt) throws `invalidSignature()`.
 *
 * @example
 * const image = await decodeInput(await loadInput('cat.jpg')) // { data, width, height, channels: 3 }
 */
export async function decodeInput(input: LoadedInput): Promise<RawImage> {
  try {
    if (input.format === 'bmp') return decodeBmp(input.bytes)
    return await decodeWithSharp(input.bytes)
  } catch (error) {
    throw withFile(isRembgError(error) ? error : invalidSignature(), input.fileName)
  }
}

// Reading ------------------------------------------------------------------------------------------------------------

const isPath = (input: unknown): input is string => typeof input === 'string' && !dataUrlPattern.test(input)

/** The name errors about an input give: the one passed, else the path itself; undefined for bytes without a name. */
export function inputName(input: ImageInput, fileName?: string): string | undefined {
  return fileName ?? (isPath(input) ? input : undefined)
}

async function readBytes(input: ImageInput): Promise<Buffer> {
  if (input === '') throw noImageProvided()
  if (typeof input === 'string') return isPath(input) ? readFileChecked(input) : decodeDataUrl(input)
  if (Buffer.isBuffer(input)) return input
  // Views and ArrayBuffers are wrapped, not copied.
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  if (types.isAnyArrayBuffer(input)) return Buffer.from(input)
  if (typeof input === 'object' && input !== null && typeof input.base64 === 'string') {
    return dataUrlPattern.test(input.base64) ? decodeDataUrl(input.base64) : Buffer.from(input.base64, 'base64')
  }
  throw noImageProvided()
}

/** Reads a file, refusing one over the size limit from its metadata so a huge file is never loaded into memory. */
async function readFileChecked(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' || error.code === 'ENOTDIR' ? fileNotFound(path) : error
  })
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw fileNotFound(path)
    if (stats.size > limits.maxFileBytes) throw fileTooLarge(stats.size)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

const fileNotFound = (path: string): RembgError =>
  new RembgError(`File not found: ${path}`, { status: 400, code: 'FILE_NOT_FOUND', field: 'image' })

function decodeDataUrl(url: string): Buffer {
  const match = dataUrlPattern.exec(url)
  const payload = url.slice(match?.[0].length ?? 0)
  return match?.[2] === undefined ? percentDecode(payload) : Buffer.from(payload, 'base64')
}

/** A data URL without `;base64` carries its bytes percent-encoded (RFC 2397). */
function percentDecode(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  const out = Buffer.alloc(bytes.length)
  let length = 0
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.toString('latin1', i + 1, i + 3) : ''
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      out[length++] = Number.parseInt(hex, 16)
      i += 2
    } else {
      out[length++] = bytes[i] ?? 0
    }
  }
  return out.subarray(0, length)
}

// Checks -------------------------------------------------------------------------------------------------------------

/** The checks that need only the bytes and the name, in the API's order; returns the sniffed format. */
function checkBytes(bytes: Buffer, fileName: string | undefined): InputFormat {
  if (bytes.length === 0) throw emptyFile()
  if (bytes.length > limits.maxFileBytes) throw fileTooLarge(bytes.length)
  const extension = fileName === undefined ? '' : win32.extname(fileName).toLowerCase()
  // win32 path functions split on both `\` and `/`, so Windows and POSIX paths give the same extension.
  if (extension !== '' && !(inputExtensions as readonly string[]).includes(extension.slice(1))) {
    throw unsupportedFileType(extension)
  }
  const format = sniffFormat(bytes)
  if (format === null) throw invalidSignature()
  return format
}

/** Displayed size from the header only (sharp's metadata() reads no pixel data). */
async function readDimensions(bytes: Buffer, format: InputFormat): Promise<{ width: number; height: number }> {
  if (format === 'bmp') return readBmpSize(bytes)
  const metadata = await loadSharp()(bytes)
    .metadata()
    .catch(() => {
      throw invalidSignature()
    })
  // EXIF orientations 5-8 turn the image a quarter: the user sees, and we check, the swapped size.
  return metadata.autoOrient
}

// Decoding -----------------------------------------------------------------------------------------------------------

async function decodeWithSharp(bytes: Buffer): Promise<RawImage> {
  // failOn 'error': truncated or broken data fails, but the harmless libjpeg warnings that browsers ignore do not.
  const { data, info } = await loadSharp()(bytes, { failOn: 'error', autoOrient: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3 && info.channels !== 4) throw invalidSignature()
  return { data, width: info.width, height: info.height, channels: info.channels }
}
