import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeBmp, encodeBmp, isBmp, readBmpSize } from '../src/bmp.js'
import type { RawImage } from '../src/types.js'

const unsupportedMessage = (what: string): string =>
  `Unsupported BMP: ${what}. Supported: uncompressed 1, 2, 4, 8, 16, 24 and 32-bit (BI_RGB, BI_BITFIELDS).`
const corruptMessage = 'File does not appear to be a valid image (invalid file signature)'

interface Spec {
  width: number
  /** Negative: top-down. */
  height: number
  bpp: number
  compression?: number
  /** 40 (BITMAPINFOHEADER), 56 (V3), 108 (V4), 124 (V5)... */
  headerSize?: number
  /** R, G, B[, A] masks, written at offset 54 (inside a V2+ header or right after a 40-byte one). */
  masks?: number[]
  /** BGRA palette entries, 4 bytes each. */
  palette?: number[][]
  /** Stored rows, in file order, each already padded to 4 bytes. */
  rows: number[][]
}

/** Builds a Windows BMP from its parts, so each test states exactly the bytes it feeds the decoder. */
function buildBmp(spec: Spec): Buffer {
  const headerSize = spec.headerSize ?? 40
  const info = Buffer.alloc(headerSize)
  info.writeUInt32LE(headerSize, 0)
  info.writeInt32LE(spec.width, 4)
  info.writeInt32LE(spec.height, 8)
  info.writeUInt16LE(1, 12)
  info.writeUInt16LE(spec.bpp, 14)
  info.writeUInt32LE(spec.compression ?? 0, 16)
  info.writeUInt32LE(spec.palette?.length ?? 0, 32)
  const masks = Buffer.alloc((spec.masks?.length ?? 0) * 4)
  for (const [i, mask] of (spec.masks ?? []).entries()) masks.writeUInt32LE(mask >>> 0, i * 4)
  // Masks live inside V2+ headers (same offset), after a 40-byte one.
  if (headerSize > 40) masks.copy(info, 40)
  const afterHeader = headerSize > 40 ? Buffer.alloc(0) : masks
  const palette = Buffer.from((spec.palette ?? []).flat())
  const pixels = Buffer.from(spec.rows.flat())
  const offset = 14 + headerSize + afterHeader.length + palette.length
  const file = Buffer.alloc(14)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(offset + pixels.length, 2)
  file.writeUInt32LE(offset, 10)
  return Buffer.concat([file, info, afterHeader, palette, pixels])
}

const pixelsOf = (image: RawImage): number[] => [...image.data]

describe('isBmp', () => {
  it('recognises the BM signature and nothing else', () => {
    expect(isBmp(Buffer.from('BM\x00\x00', 'latin1'))).toBe(true)
    expect(isBmp(Buffer.from('MB\x00\x00', 'latin1'))).toBe(false)
    expect(isBmp(Buffer.from('B', 'latin1'))).toBe(false)
    expect(isBmp(new Uint8Array(0))).toBe(false)
  })
})

describe('decodeBmp', () => {
  it('decodes a 24-bit bottom-up BMP written byte by byte, with padded rows (odd width)', () => {
    // biome-ignore format: one line per structure of the file
    const bytes = Uint8Array.from([
      // BITMAPFILEHEADER: 'BM', file size 78, reserved, pixels at 54
      0x42, 0x4d, 78, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
      // BITMAPINFOHEADER: size 40, width 3, height 2 (bottom-up), 1 plane, 24 bpp, BI_RGB, 24 bytes of pixels,
      // 2835 px/m both ways, no palette
      40, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 24, 0, 0, 0,
      0x13, 0x0b, 0, 0, 0x13, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // bottom row first, BGR, 9 bytes + 3 bytes of padding
      30, 20, 10, 255, 255, 255, 50, 100, 200, 0, 0, 0,
      // top row: red, green, blue
      0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0,
    ])
    const image = decodeBmp(bytes)
    expect({ width: image.width, height: image.height, channels: image.channels }).toEqual({
      width: 3,
      height: 2,
      channels: 3,
    })
    // biome-ignore format: one line per structure of the file
    expect(pixelsOf(image)).toEqual([
      255, 0, 0, 0, 255, 0, 0, 0, 255,
      10, 20, 30, 255, 255, 255, 200, 100, 50,
    ])
  })

  it('reads top-down rows (negative height) in file order', () => {
    const bytes = buildBmp({
      width: 1,
      height: -2,
      bpp: 24,
      rows: [
        [0, 0, 255, 0],
        [255, 0, 0, 0],
      ],
    })
    expect(pixelsOf(decodeBmp(bytes))).toEqual([255, 0, 0, 0, 0, 255])
    expect(readBmpSize(bytes)).toEqual({ width: 1, height: 2 })
  })

  it('reads a 32-bit BI_RGB file whose fourth bytes are all 0 as 3 channels (reserved, not transparency)', () => {
    const bytes = buildBmp({ width: 2, height: 1, bpp: 32, rows: [[1, 2, 3, 0, 4, 5, 6, 0]] })
    const image = decodeBmp(bytes)
    expect(image.channels).toBe(3)
    expect(pixelsOf(image)).toEqual([3, 2, 1, 6, 5, 4])
  })

  it('reads a 32-bit BI_RGB file with non-zero fourth bytes as alpha', () => {
    const bytes = buildBmp({ width: 2, height: 1, bpp: 32, rows: [[1, 2, 3, 0, 4, 5, 6, 128]] })
    const image = decodeBmp(bytes)
    expect(image.channels).toBe(4)
    expect(pixelsOf(image)).toEqual([3, 2, 1, 0, 6, 5, 4, 128])
  })

  it('honours V5 bit field masks, alpha included, in whatever byte order they say', () => {
    // RGBA byte order instead of the usual BGRA.
    const bytes = buildBmp({
      width: 2,
      height: 1,
      bpp: 32,
      compression: 3,
      headerSize: 124,
      masks: [0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000],
      rows: [[10, 20, 30, 0, 40, 50, 60, 255]],
    })
    const image = decodeBmp(bytes)
    expect(image.channels).toBe(4)
    expect(pixelsOf(image)).toEqual([10, 20, 30, 0, 40, 50, 60, 255])
  })

  it('reads BI_BITFIELDS masks that follow a BITMAPINFOHEADER (16-bit 5-6-5), scaling fields to 0..255', () => {
    const pixels = [0xf800, 0x07e0, 0x001f, 0x8410]
    const bytes = buildBmp({
      width: 4,
      height: 1,
      bpp: 16,
      compression: 3,
      masks: [0xf800, 0x07e0, 0x001f],
      rows: [pixels.flatMap((p) => [p & 0xff, p >> 8])],
    })
    const image = decodeBmp(bytes)
    expect(image.channels).toBe(3)
    // 0x8410 = 16/31, 32/63, 16/31 of full scale.
    expect(pixelsOf(image)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 132, 130, 132])
  })

  it('reads 16-bit BI_RGB as 5-5-5 with padded rows', () => {
    // 0x7c00 red, 0x03e0 green, one pixel + 2 bytes of padding per row.
    const bytes = buildBmp({
      width: 1,
      height: 2,
      bpp: 16,
      rows: [
        [0x00, 0x7c, 0, 0],
        [0xe0, 0x03, 0, 0],
      ],
    })
    expect(pixelsOf(decodeBmp(bytes))).toEqual([0, 255, 0, 255, 0, 0])
  })

  it('decodes 8-bit paletted files (a plus), with padding and a short palette', () => {
    const bytes = buildBmp({
      width: 3,
      height: 1,
      bpp: 8,
      // BGRx entries: red, green, blue.
      palette: [
        [0, 0, 255, 0],
        [0, 255, 0, 0],
        [255, 0, 0, 0],
      ],
      rows: [[2, 0, 1, 0]],
    })
    const image = decodeBmp(bytes)
    expect(image.channels).toBe(3)
    expect(pixelsOf(image)).toEqual([0, 0, 255, 255, 0, 0, 0, 255, 0])
  })

  it('decodes 1-bit and 4-bit paletted rows, most significant bits first', () => {
    const palette = [
      [0, 0, 0, 0],
      [255, 255, 255, 0],
    ]
    const mono = buildBmp({ width: 10, height: 1, bpp: 1, palette, rows: [[0b10110000, 0b01000000, 0, 0]] })
    expect(pixelsOf(decodeBmp(mono)).filter((_, i) => i % 3 === 0)).toEqual([255, 0, 255, 255, 0, 0, 0, 0, 0, 255])
    const nibbles = buildBmp({ width: 3, height: 1, bpp: 4, palette, rows: [[0x10, 0x10, 0, 0]] })
    expect(pixelsOf(decodeBmp(nibbles))).toEqual([255, 255, 255, 0, 0, 0, 255, 255, 255])
  })

  it('reads OS/2 1.x files (12-byte header, 3-byte palette entries)', () => {
    const header = Buffer.alloc(12)
    header.writeUInt32LE(12, 0)
    header.writeUInt16LE(2, 4)
    header.writeUInt16LE(1, 6)
    header.writeUInt16LE(1, 8)
    header.writeUInt16LE(8, 10)
    const palette = Buffer.from([0, 0, 0, 10, 20, 30])
    const file = Buffer.from([0x42, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 14 + 12 + 6, 0, 0, 0])
    const bytes = Buffer.concat([file, header, palette, Buffer.from([1, 0, 0, 0])])
    expect(readBmpSize(bytes)).toEqual({ width: 2, height: 1 })
    expect(pixelsOf(decodeBmp(bytes))).toEqual([30, 20, 10, 0, 0, 0])
  })

  it.each([
    [1, 8, 'RLE8 compression'],
    [2, 4, 'RLE4 compression'],
    [4, 0, 'embedded JPEG'],
    [5, 0, 'embedded PNG'],
    [11, 32, 'CMYK'],
    [7, 24, 'compression 7'],
  ])('refuses compression %i with UNSUPPORTED_BMP', (compression, bpp, what) => {
    const bytes = buildBmp({ width: 1, height: 1, bpp, compression, rows: [[0, 0, 0, 0]] })
    expect(() => decodeBmp(bytes)).toThrow(
      expect.objectContaining({ status: 400, code: 'UNSUPPORTED_BMP', message: unsupportedMessage(what) }),
    )
  })

  it('refuses bit depths and layouts it cannot read, naming them', () => {
    const deep = buildBmp({ width: 1, height: 1, bpp: 64, rows: [[0, 0, 0, 0, 0, 0, 0, 0]] })
    expect(() => decodeBmp(deep)).toThrow(unsupportedMessage('64 bits per pixel'))
    const fields24 = buildBmp({ width: 1, height: 1, bpp: 24, compression: 3, masks: [1, 2, 4], rows: [[0, 0, 0, 0]] })
    expect(() => decodeBmp(fields24)).toThrow(unsupportedMessage('bit fields with 24 bits per pixel'))
    const os2v2 = buildBmp({ width: 1, height: 1, bpp: 24, headerSize: 64, rows: [[0, 0, 0, 0]] })
    expect(() => decodeBmp(os2v2)).toThrow(unsupportedMessage('OS/2 2.x header (64 bytes)'))
  })

  it('throws the corrupt-image error for truncated pixels or a broken header, before allocating', () => {
    const whole = buildBmp({ width: 3, height: 2, bpp: 24, rows: [new Array(12).fill(7), new Array(12).fill(7)] })
    // Cutting the last row's padding is tolerated (many writers do); cutting a pixel is not.
    expect(decodeBmp(whole.subarray(0, whole.length - 3)).data.length).toBe(18)
    expect(() => decodeBmp(whole.subarray(0, whole.length - 4))).toThrow(corruptMessage)
    expect(() => decodeBmp(whole.subarray(0, 30))).toThrow(corruptMessage)
    expect(() => decodeBmp(Buffer.from('not a bmp at all'))).toThrow(corruptMessage)
    // A header declaring 100000 x 100000 pixels with no pixel data must fail fast, not allocate 30 GB.
    const bomb = buildBmp({ width: 100_000, height: 100_000, bpp: 24, rows: [] })
    expect(() => decodeBmp(bomb)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }))
  })
})

describe('readBmpSize', () => {
  it('reads the size from a header alone, without any pixel data', () => {
    const header = buildBmp({ width: 12000, height: -10, bpp: 24, rows: [] })
    expect(header.length).toBe(54)
    expect(readBmpSize(header)).toEqual({ width: 12000, height: 10 })
  })

  it('rejects a zero-sized or cut header with the corrupt-image error', () => {
    expect(() => readBmpSize(buildBmp({ width: 0, height: 5, bpp: 24, rows: [] }))).toThrow(corruptMessage)
    expect(() => readBmpSize(buildBmp({ width: 5, height: 5, bpp: 24, rows: [] }).subarray(0, 40))).toThrow(
      corruptMessage,
    )
  })
})

describe('encodeBmp', () => {
  const random = (width: number, height: number, channels: 3 | 4): RawImage => ({
    data: randomBytes(width * height * channels),
    width,
    height,
    channels,
  })

  it.each([
    [7, 5, 4],
    [7, 5, 3],
    [1, 1, 4],
    [33, 2, 3],
  ] as const)('round-trips a %ix%i %i-channel image exactly', (width, height, channels) => {
    const image = random(width, height, channels)
    expect(decodeBmp(encodeBmp(image))).toEqual(image)
  })

  it('keeps a fully transparent image transparent (an explicit alpha mask is always honoured)', () => {
    const image: RawImage = { data: Buffer.from([9, 8, 7, 0, 6, 5, 4, 0]), width: 2, height: 1, channels: 4 }
    expect(decodeBmp(encodeBmp(image))).toEqual(image)
  })

  it('writes a 32-bit BITMAPV4HEADER with BGRA bit fields, sRGB, bottom-up rows', () => {
    // 2x2: top row red (alpha 10), green (20); bottom row blue (30), white (40).
    const data = Buffer.from([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30, 255, 255, 255, 40])
    const bytes = encodeBmp({ data, width: 2, height: 2, channels: 4 })
    expect(bytes.toString('latin1', 0, 2)).toBe('BM')
    expect(bytes.length).toBe(122 + 16)
    expect(bytes.readUInt32LE(2)).toBe(bytes.length)
    expect(bytes.readUInt32LE(10)).toBe(122)
    expect(bytes.readUInt32LE(14)).toBe(108)
    expect([bytes.readInt32LE(18), bytes.readInt32LE(22), bytes.readUInt16LE(26), bytes.readUInt16LE(28)]).toEqual([
      2, 2, 1, 32,
    ])
    expect(bytes.readUInt32LE(30)).toBe(3)
    expect([54, 58, 62, 66].map((at) => bytes.readUInt32LE(at))).toEqual([0xff0000, 0xff00, 0xff, 0xff000000])
    expect(bytes.toString('latin1', 70, 74)).toBe('BGRs')
    // First stored row is the bottom one, BGRA.
    expect([...bytes.subarray(122)]).toEqual([255, 0, 0, 30, 255, 255, 255, 40, 0, 0, 255, 10, 0, 255, 0, 20])
  })

  it('writes 3-channel images with alpha bytes 255 and no alpha mask', () => {
    const bytes = encodeBmp({ data: Buffer.from([1, 2, 3]), width: 1, height: 1, channels: 3 })
    expect(bytes.readUInt32LE(66)).toBe(0)
    expect([...bytes.subarray(122)]).toEqual([3, 2, 1, 255])
  })

  it('refuses pixel data that does not match the declared size', () => {
    expect(() => encodeBmp({ data: Buffer.alloc(5), width: 2, height: 1, channels: 3 })).toThrow(
      'RawImage of 2x1x3 cannot hold 5 bytes',
    )
  })
})
