import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import sharp, { type Create, type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeBmp } from '../src/bmp.js'
import { decodeInput, loadInput, sniffFormat } from '../src/input.js'
import { limits } from '../src/values.js'

const messages = {
  empty: 'Uploaded file is empty (0 bytes).',
  invalid: 'File does not appear to be a valid image (invalid file signature)',
  exe: "File type '.exe' is not supported. Allowed formats: webp, bmp, png, jpg, jpeg",
  tooWide: 'Image width (12000px) exceeds the maximum allowed width of 10000px.',
  tooTall: 'Image height (15000px) exceeds the maximum allowed height of 10000px.',
}

let dir: string
/** A 6x4 RGBA PNG: left half opaque red, right half half-transparent blue. */
let png: Buffer

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rembg-kit-input-'))
  png = await twoHalves(6, 4, [255, 0, 0, 255], [0, 0, 255, 128]).png().toBuffer()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A raw image whose left half is one colour and right half another. */
function twoHalves(width: number, height: number, left: number[], right: number[]): Sharp {
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set(i % width < width / 2 ? left : right, i * 4)
  return sharp(data, { raw: { width, height, channels: 4 } })
}

/** A PNG that is only a signature, an IHDR, an empty IDAT and IEND: enough for a header read, not for a decode. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([length, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))])
}

/** A 54-byte BMP: file header and BITMAPINFOHEADER, no pixels. */
function bmpHeaderOnly(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(54)
  bytes.write('BM', 0, 'latin1')
  bytes.writeUInt32LE(54, 10)
  bytes.writeUInt32LE(40, 14)
  bytes.writeInt32LE(width, 18)
  bytes.writeInt32LE(height, 22)
  bytes.writeUInt16LE(1, 26)
  bytes.writeUInt16LE(24, 28)
  return bytes
}

async function file(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

/** Random pixels, so that compressed data is long enough to cut in the middle. */
const noisy: Create = {
  width: 64,
  height: 64,
  channels: 3,
  background: '#000',
  noise: { type: 'gaussian', mean: 128, sigma: 40 },
}

/** Bytes that match no image signature (the first byte rules out every magic number). */
const noise = Buffer.from([0x00, 0x13, 0x37, 0x42, 0x99, 0xaa, 0x17, 0x01, 0xfe, 0x55, 0x10, 0x20])

function expectPixel(data: Buffer, index: number, channels: number, expected: number[], tolerance = 0): void {
  const actual = [...data.subarray(index * channels, index * channels + channels)]
  for (const [i, value] of expected.entries()) {
    expect(Math.abs((actual[i] ?? -999) - value)).toBeLessThanOrEqual(tolerance)
  }
}

describe('sniffFormat', () => {
  it('recognises the four accepted signatures and nothing else', async () => {
    const jpeg = await sharp(png).jpeg().toBuffer()
    const webp = await sharp(png).webp().toBuffer()
    expect([png, jpeg, webp, bmpHeaderOnly(1, 1)].map(sniffFormat)).toEqual(['png', 'jpeg', 'webp', 'bmp'])
    expect(sniffFormat(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull()
    expect(sniffFormat(await sharp(png).gif().toBuffer())).toBeNull()
    expect(sniffFormat(png.subarray(0, 7))).toBeNull()
    expect(sniffFormat(noise)).toBeNull()
  })
})

describe('loadInput: every input form', () => {
  const expectPng = (loaded: Awaited<ReturnType<typeof loadInput>>): void => {
    expect(loaded.format).toBe('png')
    expect([loaded.width, loaded.height]).toEqual([6, 4])
    expect(loaded.bytes.equals(png)).toBe(true)
  }

  it('reads a path and keeps it as the file name', async () => {
    const path = await file('form.png', png)
    const loaded = await loadInput(path)
    expectPng(loaded)
    expect(loaded.fileName).toBe(path)
  })

  it('takes a Buffer with no MIME type and no name', async () => {
    const loaded = await loadInput(png)
    expectPng(loaded)
    expect(loaded.fileName).toBeUndefined()
  })

  it('takes a Uint8Array view into a larger buffer, honouring its offset', async () => {
    const backing = new Uint8Array(png.length + 10)
    backing.set(png, 5)
    expectPng(await loadInput(backing.subarray(5, 5 + png.length), { fileName: 'view.png' }))
  })

  it('takes an ArrayBuffer', async () => {
    const arrayBuffer = new Uint8Array(png).buffer
    expectPng(await loadInput(arrayBuffer))
  })

  it('takes { base64 } as plain base64 and as a data URL', async () => {
    expectPng(await loadInput({ base64: png.toString('base64') }))
    expectPng(await loadInput({ base64: `data:image/png;base64,${png.toString('base64')}` }))
  })

  it('takes a data URL string and sniffs the bytes instead of trusting its MIME type', async () => {
    expectPng(await loadInput(`data:image/jpeg;base64,${png.toString('base64')}`))
    const percent = [...png].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')
    expectPng(await loadInput(`data:image/png,${percent}`))
  })

  it('treats a Windows path as a path, never as a URL', async () => {
    await expect(loadInput('C:\\photos\\cat.png')).rejects.toMatchObject({
      message: 'File not found: C:\\photos\\cat.png',
      code: 'FILE_NOT_FOUND',
      status: 400,
      file: 'C:\\photos\\cat.png',
    })
  })

  it('reads BMP sizes from the BMP header', async () => {
    const bmp = encodeBmp({ data: Buffer.alloc(5 * 3 * 4, 200), width: 5, height: 3, channels: 4 })
    const loaded = await loadInput(bmp, { fileName: 'in.bmp' })
    expect([loaded.format, loaded.width, loaded.height, loaded.fileName]).toEqual(['bmp', 5, 3, 'in.bmp'])
  })
})

describe('loadInput: the checks, in the API order, with the API messages', () => {
  it('refuses an empty file before looking at its name', async () => {
    const path = await file('empty.exe', new Uint8Array(0))
    await expect(loadInput(path)).rejects.toMatchObject({
      message: messages.empty,
      code: 'EMPTY_FILE',
      status: 400,
      file: path,
    })
    await expect(loadInput(Buffer.alloc(0))).rejects.toMatchObject({ message: messages.empty, file: undefined })
  })

  it('refuses a buffer over 50 MB before looking at its name', async () => {
    const big = Buffer.alloc(51 * 1024 * 1024)
    await expect(loadInput(big, { fileName: 'big.exe' })).rejects.toMatchObject({
      message: 'File size (51.0 MB) exceeds the maximum allowed size of 50 MB.',
      code: 'FILE_TOO_LARGE',
      status: 400,
      file: 'big.exe',
    })
  })

  it('puts the limit at exactly 50 MB', async () => {
    const atLimit = Buffer.alloc(limits.maxFileBytes)
    await expect(loadInput(atLimit)).rejects.toMatchObject({ message: messages.invalid })
    const overLimit = Buffer.alloc(limits.maxFileBytes + 1)
    await expect(loadInput(overLimit)).rejects.toMatchObject({
      message: 'File size (50.0 MB) exceeds the maximum allowed size of 50 MB.',
    })
  })

  it('refuses a large file from its size on disk (a sparse file: nothing is read)', async () => {
    const path = join(dir, 'huge.png')
    await writeFile(path, png)
    await truncate(path, Math.ceil(55.2 * 1024 * 1024))
    await expect(loadInput(path)).rejects.toMatchObject({
      message: 'File size (55.2 MB) exceeds the maximum allowed size of 50 MB.',
      file: path,
    })
  })

  it('refuses an extension outside the list, even with valid image bytes', async () => {
    await expect(loadInput(png, { fileName: 'setup.exe' })).rejects.toMatchObject({
      message: messages.exe,
      code: 'UNSUPPORTED_FILE_TYPE',
      status: 400,
      file: 'setup.exe',
    })
    await expect(loadInput(noise, { fileName: 'C:\\Users\\me\\SETUP.EXE' })).rejects.toMatchObject({
      message: messages.exe,
      file: 'C:\\Users\\me\\SETUP.EXE',
    })
  })

  it('skips the extension check for a name without one, and accepts any listed extension', async () => {
    expect((await loadInput(png, { fileName: 'upload' })).format).toBe('png')
    // The signature, not the name, says what the bytes are.
    expect((await loadInput(png, { fileName: 'photo.JPG' })).format).toBe('png')
  })

  it('refuses bytes with no image signature, even named .png', async () => {
    const path = await file('noise.png', noise)
    await expect(loadInput(path)).rejects.toMatchObject({
      message: messages.invalid,
      code: 'INVALID_SIGNATURE',
      status: 400,
      file: path,
    })
  })

  it('refuses a PNG signature followed by a broken header', async () => {
    const broken = Buffer.concat([png.subarray(0, 8), noise])
    await expect(loadInput(broken, { fileName: 'broken.png' })).rejects.toMatchObject({
      message: messages.invalid,
      file: 'broken.png',
    })
  })

  it.each([
    ['png', pngHeaderOnly],
    ['bmp', bmpHeaderOnly],
  ])('refuses a %s over 10000 px on a side from its header alone', async (ext, make) => {
    await expect(loadInput(make(12000, 10), { fileName: `wide.${ext}` })).rejects.toMatchObject({
      message: messages.tooWide,
      code: 'IMAGE_TOO_WIDE',
      status: 400,
      file: `wide.${ext}`,
    })
    await expect(loadInput(make(10, 15000), { fileName: `tall.${ext}` })).rejects.toMatchObject({
      message: messages.tooTall,
      code: 'IMAGE_TOO_TALL',
      file: `tall.${ext}`,
    })
    await expect(loadInput(make(12000, 15000))).rejects.toMatchObject({ message: messages.tooWide })
  })

  it('accepts 10000 px exactly, without decoding (the header-only file could not be decoded)', async () => {
    const loaded = await loadInput(pngHeaderOnly(10000, 10000), { fileName: 'edge.png' })
    expect([loaded.width, loaded.height]).toEqual([10000, 10000])
    await expect(decodeInput(loaded)).rejects.toMatchObject({ message: messages.invalid, file: 'edge.png' })
  })

  it('checks the displayed size: EXIF orientation 6 turns a 10x12000 JPEG into 12000 px wide', async () => {
    const stored = await sharp({ create: { width: 10, height: 12000, channels: 3, background: '#808080' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    await expect(loadInput(stored, { fileName: 'turned.jpg' })).rejects.toMatchObject({ message: messages.tooWide })
  })

  it('names a missing file and a directory as not found', async () => {
    const missing = join(dir, 'nope', 'missing.png')
    await expect(loadInput(missing)).rejects.toMatchObject({
      message: `File not found: ${missing}`,
      code: 'FILE_NOT_FOUND',
      file: missing,
    })
    const folder = join(dir, 'folder.png')
    await mkdir(folder)
    await expect(loadInput(folder)).rejects.toMatchObject({ message: `File not found: ${folder}`, file: folder })
  })

  it('lets options.fileName name a path input in errors', async () => {
    const path = await file('tmp-upload-123', noise)
    await expect(loadInput(path, { fileName: 'holiday.png' })).rejects.toMatchObject({
      message: messages.invalid,
      file: 'holiday.png',
    })
  })

  it('refuses an empty string or a value that is no input at all', async () => {
    const noImage = "No image file provided. Please include an 'image' field in your form data."
    await expect(loadInput('')).rejects.toMatchObject({ message: noImage, code: 'NO_IMAGE' })
    await expect(loadInput(null as never)).rejects.toMatchObject({ message: noImage })
  })
})

describe('decodeInput', () => {
  it('decodes a PNG with alpha to 4 channels, exactly', async () => {
    const image = await decodeInput(await loadInput(png))
    expect([image.width, image.height, image.channels, image.data.length]).toEqual([6, 4, 4, 96])
    expectPixel(image.data, 0, 4, [255, 0, 0, 255])
    expectPixel(image.data, 5, 4, [0, 0, 255, 128])
  })

  it('decodes a JPEG to 3 channels', async () => {
    const jpeg = await twoHalves(40, 20, [255, 0, 0, 255], [0, 0, 255, 255]).jpeg({ quality: 95 }).toBuffer()
    const image = await decodeInput(await loadInput(jpeg))
    expect([image.width, image.height, image.channels]).toEqual([40, 20, 3])
    expectPixel(image.data, 5 * 40 + 5, 3, [255, 0, 0], 12)
  })

  it('applies EXIF orientation 6: a 40x20 JPEG, red left and blue right, shows 20x40, red on top', async () => {
    const jpeg = await twoHalves(40, 20, [255, 0, 0, 255], [0, 0, 255, 255])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const loaded = await loadInput(jpeg, { fileName: 'portrait.jpg' })
    expect([loaded.width, loaded.height]).toEqual([20, 40])
    const image = await decodeInput(loaded)
    expect([image.width, image.height, image.channels]).toEqual([20, 40, 3])
    expectPixel(image.data, 5 * 20 + 10, 3, [255, 0, 0], 12)
    expectPixel(image.data, 34 * 20 + 10, 3, [0, 0, 255], 12)
  })

  it('decodes a lossless WebP with alpha to 4 channels, exactly', async () => {
    const webp = await sharp(png).webp({ lossless: true }).toBuffer()
    const image = await decodeInput(await loadInput(webp))
    expect(image.channels).toBe(4)
    expect(image.data.equals(await sharp(png).raw().toBuffer())).toBe(true)
  })

  it('widens grayscale to 3 channels and 16-bit to 8-bit sRGB', async () => {
    const gray = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#646464' } })
      .toColourspace('b-w')
      .png()
      .toBuffer()
    const grayImage = await decodeInput(await loadInput(gray))
    expect(grayImage.channels).toBe(3)
    expectPixel(grayImage.data, 0, 3, [100, 100, 100], 1)
    const deep = await sharp({
      create: { width: 3, height: 2, channels: 4, background: { r: 128, g: 10, b: 200, alpha: 0.5 } },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer()
    const deepImage = await decodeInput(await loadInput(deep))
    expect([deepImage.channels, deepImage.data.length]).toEqual([4, 3 * 2 * 4])
    expectPixel(deepImage.data, 0, 4, [128, 10, 200, 128], 1)
  })

  it('converts an embedded colour profile to sRGB', async () => {
    const p3 = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ff0000' } })
      .withIccProfile('p3')
      .png()
      .toBuffer()
    const image = await decodeInput(await loadInput(p3))
    expectPixel(image.data, 0, 3, [255, 0, 0], 3)
  })

  it('decodes a BMP through decodeBmp', async () => {
    const data = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24])
    const loaded = await loadInput(encodeBmp({ data, width: 3, height: 2, channels: 4 }))
    expect(await decodeInput(loaded)).toEqual({ data, width: 3, height: 2, channels: 4 })
  })

  it.each(['png', 'jpeg'] as const)(
    'throws the corrupt-image error, file attached, for a truncated %s whose header was fine',
    async (format) => {
      const whole = await sharp({ create: noisy }).toFormat(format).toBuffer()
      const loaded = await loadInput(whole.subarray(0, Math.floor(whole.length / 2)), { fileName: `cut.${format}` })
      expect([loaded.format, loaded.width, loaded.height]).toEqual([format, 64, 64])
      await expect(decodeInput(loaded)).rejects.toMatchObject({
        message: messages.invalid,
        code: 'INVALID_SIGNATURE',
        file: `cut.${format}`,
      })
    },
  )

  it('refuses a truncated WebP already at load: its RIFF header states the full length', async () => {
    const whole = await sharp({ create: noisy }).webp().toBuffer()
    await expect(loadInput(whole.subarray(0, whole.length - 10), { fileName: 'cut.webp' })).rejects.toMatchObject({
      message: messages.invalid,
      file: 'cut.webp',
    })
  })

  it('keeps the BMP reader error for an unsupported BMP, file attached', async () => {
    const rle = bmpHeaderOnly(1, 1)
    rle.writeUInt16LE(8, 28)
    rle.writeUInt32LE(1, 30)
    const loaded = await loadInput(Buffer.concat([rle, Buffer.alloc(4)]), { fileName: 'old.bmp' })
    await expect(decodeInput(loaded)).rejects.toMatchObject({
      message:
        'Unsupported BMP: RLE8 compression. Supported: uncompressed 1, 2, 4, 8, 16, 24 and 32-bit (BI_RGB, BI_BITFIELDS).',
      code: 'UNSUPPORTED_BMP',
      file: 'old.bmp',
    })
  })
})
