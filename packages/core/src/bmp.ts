/**
 * A small, exact BMP reader and writer: sharp (libvips) reads and writes no BMP. Reads uncompressed 1/2/4/8-bit
 * paletted, 16/32-bit (BI_RGB or BI_BITFIELDS masks) and 24-bit files, bottom-up or top-down, with any of the
 * Windows and OS/2 1.x headers; writes 32-bit BGRA with a BITMAPV4HEADER so the alpha channel survives.
 */
import { invalidSignature, RembgError } from './errors.js'
import type { RawImage } from './types.js'

const FILE_HEADER_SIZE = 14
/** OS/2 1.x BITMAPCOREHEADER: 16-bit sizes, 3-byte palette entries. */
const CORE_HEADER_SIZE = 12
/** BITMAPINFOHEADER, the smallest Windows header; V2..V5 extend it and keep its layout. */
const INFO_HEADER_SIZE = 40
const V4_HEADER_SIZE = 108
/** Offset of the R, G, B, A masks: inside V2+ headers, or right after a BITMAPINFOHEADER. Both land here. */
const MASKS_OFFSET = FILE_HEADER_SIZE + INFO_HEADER_SIZE
/** `LCS_sRGB` ('sRGB' as a little-endian DWORD): tells viewers the pixels are sRGB. */
const LCS_SRGB = 0x73524742
/** 72 dpi in pixels per metre, what most writers put in the resolution fields. */
const PIXELS_PER_METRE = 2835

const BI_RGB = 0
const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6

/** Names of the compression codes we do not decode, for the error message. */
const unsupportedCompressions: Record<number, string> = {
  1: 'RLE8 compression',
  2: 'RLE4 compression',
  4: 'embedded JPEG',
  5: 'embedded PNG',
  11: 'CMYK',
  12: 'CMYK RLE8 compression',
  13: 'CMYK RLE4 compression',
}

interface BmpHeader {
  headerSize: number
  width: number
  height: number
  topDown: boolean
  bitsPerPixel: number
  compression: number
  pixelOffset: number
  colorsUsed: number
}

/** One channel of a 16/32-bit pixel: `(pixel & mask) >>> shift` ranges over 0..max. */
interface Channel {
  mask: number
  shift: number
  max: number
}

interface Masks {
  red: Channel
  green: Channel
  blue: Channel
  alpha: Channel
}

/**
 * True when the bytes start with the BMP signature `BM`.
 *
 * @example
 * isBmp(readFileSync('photo.bmp')) // true
 */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d
}

/**
 * Width and height from the header alone, without touching the pixels (so a huge declared size costs nothing).
 * Throws `invalidSignature()` when the header is missing or cannot describe an image.
 *
 * @example
 * readBmpSize(bytes) // { width: 640, height: 480 } (also for top-down files, whose stored height is negative)
 */
export function readBmpSize(bytes: Uint8Array): { width: number; height: number } {
  const { width, height } = readHeader(bytes)
  return { width, height }
}

/**
 * Decodes a BMP file to raw pixels: channels 4 when the file carries a real alpha channel (an alpha mask, or a
 * 32-bit BI_RGB file whose fourth bytes are not all zero), else 3. RLE, embedded JPEG/PNG and CMYK files throw a
 * `RembgError` with code `UNSUPPORTED_BMP`; a truncated or malformed file throws `invalidSignature()`.
 *
 * @example
 * const { data, width, height, channels } = decodeBmp(readFileSync('logo.bmp'))
 */
export function decodeBmp(bytes: Uint8Array): RawImage {
  const header = readHeader(bytes)
  checkSupported(header)
  checkLength(bytes, header)
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (header.bitsPerPixel <= 8) return decodePaletted(view, header)
  if (header.bitsPerPixel === 24) return decodeBgr(view, header)
  return decodeMasked(view, header, readMasks(view, header))
}

/**
 * Encodes raw pixels as a 32-bit BMP (BITMAPV4HEADER, BI_BITFIELDS, bottom-up rows). A 4-channel image gets an
 * alpha mask so viewers and `decodeBmp` read its alpha; a 3-channel image is written with alpha bytes 255 and no
 * alpha mask, so it reads back as 3 channels and `decodeBmp(encodeBmp(x))` equals `x` either way.
 *
 * @example
 * writeFileSync('cutout.bmp', encodeBmp({ data, width, height, channels: 4 }))
 */
export function encodeBmp(image: RawImage): Buffer {
  const { width, height, channels, data } = image
  if (width < 1 || height < 1 || data.length !== width * height * channels) {
    throw new RangeError(`RawImage of ${width}x${height}x${channels} cannot hold ${data.length} bytes`)
  }
  const pixelOffset = FILE_HEADER_SIZE + V4_HEADER_SIZE
  const out = Buffer.alloc(pixelOffset + width * height * 4)
  out.write('BM', 0, 'latin1')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(pixelOffset, 10)
  writeV4Header(out, image)
  writeBgraRows(out, image, pixelOffset)
  return out
}

// Reading -------------------------------------------------------------------------------------------------------------

const unsupported = (what: string): RembgError =>
  new RembgError(
    `Unsupported BMP: ${what}. Supported: uncompressed 1, 2, 4, 8, 16, 24 and 32-bit (BI_RGB, BI_BITFIELDS).`,
    {
      status: 400,
      code: 'UNSUPPORTED_BMP',
      field: 'image',
    },
  )

function readHeader(bytes: Uint8Array): BmpHeader {
  if (!isBmp(bytes) || bytes.length < FILE_HEADER_SIZE + 4) throw invalidSignature()
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerSize = view.readUInt32LE(FILE_HEADER_SIZE)
  const core = headerSize === CORE_HEADER_SIZE
  if ((!core && headerSize < INFO_HEADER_SIZE) || view.length < FILE_HEADER_SIZE + headerSize) throw invalidSignature()
  const width = core ? view.readUInt16LE(18) : view.readInt32LE(18)
  const storedHeight = core ? view.readUInt16LE(20) : view.readInt32LE(22)
  if (width <= 0 || storedHeight === 0) throw invalidSignature()
  return {
    headerSize,
    width,
    height: Math.abs(storedHeight),
    // A negative height is how a BMP says its first row is the top one.
    topDown: storedHeight < 0,
    bitsPerPixel: view.readUInt16LE(core ? 24 : 28),
    compression: core ? BI_RGB : view.readUInt32LE(30),
    pixelOffset: view.readUInt32LE(10),
    colorsUsed: core ? 0 : view.readUInt32LE(46),
  }
}

function checkSupported(header: BmpHeader): void {
  const { headerSize, bitsPerPixel: bpp, compression } = header
  // OS/2 2.x headers reuse compression codes 3 and 4 for Huffman and RLE24: reading them as Windows files would lie.
  if (headerSize === 16 || headerSize === 64) throw unsupported(`OS/2 2.x header (${headerSize} bytes)`)
  const name = unsupportedCompressions[compression]
  if (name !== undefined) throw unsupported(name)
  if (![BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression)) throw unsupported(`compression ${compression}`)
  if (![1, 2, 4, 8, 16, 24, 32].includes(bpp)) throw unsupported(`${bpp} bits per pixel`)
  if (compression !== BI_RGB && bpp !== 16 && bpp !== 32) throw unsupported(`bit fields with ${bpp} bits per pixel`)
}

/** Bytes per stored row: rows are padded to a multiple of 4 bytes. */
const rowStride = (header: BmpHeader): number => Math.floor((header.bitsPerPixel * header.width + 31) / 32) * 4

/** Byte offset of the image's row `y` (0 = top), whichever way the file stores them. */
function rowOffset(header: BmpHeader, y: number): number {
  const storedRow = header.topDown ? y : header.height - 1 - y
  return header.pixelOffset + storedRow * rowStride(header)
}

/** Checks that every row is there before allocating anything, so a lying header cannot make us allocate. */
function checkLength(bytes: Uint8Array, header: BmpHeader): void {
  const lastRowStart = header.pixelOffset + (header.height - 1) * rowStride(header)
  // The padding of the last row is often cut off by writers; the pixels themselves must be there.
  const lastRowBytes = Math.ceil((header.width * header.bitsPerPixel) / 8)
  if (header.pixelOffset < FILE_HEADER_SIZE + header.headerSize || lastRowStart + lastRowBytes > bytes.length) {
    throw invalidSignature()
  }
}

/** The palette as RGB triplets; indices past its end read as black, as browsers show them. */
function readPalette(view: Buffer, header: BmpHeader): Uint8Array {
  const size = 1 << header.bitsPerPixel
  const entryBytes = header.headerSize === CORE_HEADER_SIZE ? 3 : 4
  const start = FILE_HEADER_SIZE + header.headerSize
  const available = Math.floor((header.pixelOffset - start) / entryBytes)
  const count = Math.min(header.colorsUsed || size, size, available)
  const palette = new Uint8Array(size * 3)
  for (let i = 0; i < count; i++) {
    const at = start + i * entryBytes
    palette[i * 3] = view[at + 2] ?? 0
    palette[i * 3 + 1] = view[at + 1] ?? 0
    palette[i * 3 + 2] = view[at] ?? 0
  }
  return palette
}

function decodePaletted(view: Buffer, header: BmpHeader): RawImage {
  const { width, height, bitsPerPixel: bpp } = header
  const palette = readPalette(view, header)
  const data = Buffer.alloc(width * height * 3)
  const perByte = 8 / bpp
  const indexMask = (1 << bpp) - 1
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y)
    for (let x = 0; x < width; x++) {
      // Pixels are packed most significant bits first.
      const byte = view[row + Math.floor(x / perByte)] ?? 0
      const index = (byte >> ((perByte - 1 - (x % perByte)) * bpp)) & indexMask
      const to = (y * width + x) * 3
      data[to] = palette[index * 3] ?? 0
      data[to + 1] = palette[index * 3 + 1] ?? 0
      data[to + 2] = palette[index * 3 + 2] ?? 0
    }
  }
  return { data, width, height, channels: 3 }
}

function decodeBgr(view: Buffer, header: BmpHeader): RawImage {
  const { width, height } = header
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y)
    for (let x = 0; x < width; x++) {
      const from = row + x * 3
      const to = (y * width + x) * 3
      data[to] = view[from + 2] ?? 0
      data[to + 1] = view[from + 1] ?? 0
      data[to + 2] = view[from] ?? 0
    }
  }
  return { data, width, height, channels: 3 }
}

function channel(mask: number): Channel {
  const unsignedMask = mask >>> 0
  if (unsignedMask === 0) return { mask: 0, shift: 0, max: 0 }
  // Index of the lowest set bit.
  const shift = 31 - Math.clz32(unsignedMask & -unsignedMask)
  return { mask: unsignedMask, shift, max: unsignedMask >>> shift }
}

function readMasks(view: Buffer, header: BmpHeader): Masks {
  const { compression, headerSize, bitsPerPixel } = header
  if (compression === BI_RGB) {
    // The defaults: 5-5-5 for 16 bits, 8-8-8 for 32 bits with the top byte reserved (see hasImplicitAlpha).
    const [r, g, b, a] = bitsPerPixel === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, 0xff000000]
    return { red: channel(r), green: channel(g), blue: channel(b), alpha: channel(a) }
  }
  const hasAlphaMask = headerSize >= 56 || compression === BI_ALPHABITFIELDS
  const end = MASKS_OFFSET + (hasAlphaMask ? 16 : 12)
  if (view.length < end) throw invalidSignature()
  return {
    red: channel(view.readUInt32LE(MASKS_OFFSET)),
    green: channel(view.readUInt32LE(MASKS_OFFSET + 4)),
    blue: channel(view.readUInt32LE(MASKS_OFFSET + 8)),
    alpha: channel(hasAlphaMask ? view.readUInt32LE(MASKS_OFFSET + 12) : 0),
  }
}

/**
 * A 32-bit BI_RGB file's fourth byte is "reserved": most writers leave it 0, some store alpha in it. Like Firefox
 * and Chromium, read it as alpha unless it is 0 everywhere (which would otherwise make the image invisible).
 */
function hasImplicitAlpha(view: Buffer, header: BmpHeader): boolean {
  for (let y = 0; y < header.height; y++) {
    const row = rowOffset(header, y)
    for (let x = 0; x < header.width; x++) if (view[row + x * 4 + 3] !== 0) return true
  }
  return false
}

/** Scales a channel's raw value to 0..255 (5-bit and 6-bit fields become full range). */
function scaled(pixel: number, c: Channel): number {
  const value = (pixel & c.mask) >>> c.shift
  return c.max === 255 ? value : Math.round((value * 255) / c.max)
}

function decodeMasked(view: Buffer, header: BmpHeader, masks: Masks): RawImage {
  const { width, height, bitsPerPixel, compression } = header
  const hasAlpha = masks.alpha.max > 0 && (compression !== BI_RGB || hasImplicitAlpha(view, header))
  const channels = hasAlpha ? 4 : 3
  const bytesPerPixel = bitsPerPixel / 8
  const data = Buffer.alloc(width * height * channels)
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y)
    for (let x = 0; x < width; x++) {
      const at = row + x * bytesPerPixel
      const pixel = bytesPerPixel === 2 ? view.readUInt16LE(at) : view.readUInt32LE(at)
      const to = (y * width + x) * channels
      data[to] = scaled(pixel, masks.red)
      data[to + 1] = scaled(pixel, masks.green)
      data[to + 2] = scaled(pixel, masks.blue)
      if (hasAlpha) data[to + 3] = scaled(pixel, masks.alpha)
    }
  }
  return { data, width, height, channels }
}

// Writing -------------------------------------------------------------------------------------------------------------

function writeV4Header(out: Buffer, image: RawImage): void {
  const at = FILE_HEADER_SIZE
  out.writeUInt32LE(V4_HEADER_SIZE, at)
  out.writeInt32LE(image.width, at + 4)
  // Positive height = bottom-up rows: the orientation every reader supports.
  out.writeInt32LE(image.height, at + 8)
  out.writeUInt16LE(1, at + 12)
  out.writeUInt16LE(32, at + 14)
  out.writeUInt32LE(BI_BITFIELDS, at + 16)
  out.writeUInt32LE(image.width * image.height * 4, at + 20)
  out.writeInt32LE(PIXELS_PER_METRE, at + 24)
  out.writeInt32LE(PIXELS_PER_METRE, at + 28)
  out.writeUInt32LE(0x00ff0000, MASKS_OFFSET)
  out.writeUInt32LE(0x0000ff00, MASKS_OFFSET + 4)
  out.writeUInt32LE(0x000000ff, MASKS_OFFSET + 8)
  out.writeUInt32LE(image.channels === 4 ? 0xff000000 : 0, MASKS_OFFSET + 12)
  out.writeUInt32LE(LCS_SRGB, MASKS_OFFSET + 16)
  // The CIE endpoints and gammas that follow stay zero: they are ignored with LCS_sRGB.
}

function writeBgraRows(out: Buffer, image: RawImage, pixelOffset: number): void {
  const { data, width, height, channels } = image
  for (let y = 0; y < height; y++) {
    let to = pixelOffset + (height - 1 - y) * width * 4
    let from = y * width * channels
    for (let x = 0; x < width; x++, to += 4, from += channels) {
      out[to] = data[from + 2] ?? 0
      out[to + 1] = data[from + 1] ?? 0
      out[to + 2] = data[from] ?? 0
      out[to + 3] = channels === 4 ? (data[from + 3] ?? 0) : 255
    }
  }
}
