import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeBmp } from '../src/bmp.js'
import { isCompleteImage } from '../src/image-check.js'

const pixels = { data: Buffer.alloc(8 * 6 * 4, 200), width: 8, height: 6, channels: 4 as const }
const encoded = async (format: 'png' | 'jpeg' | 'webp' | 'bmp'): Promise<Buffer> =>
  format === 'bmp' ? encodeBmp(pixels) : sharp(pixels.data, { raw: pixels }).toFormat(format).toBuffer()

describe('isCompleteImage', () => {
  it.each(['png', 'jpeg', 'webp', 'bmp'] as const)(
    'accepts a whole %s and refuses it cut short by one byte',
    async (format) => {
      const bytes = await encoded(format)
      expect(isCompleteImage(bytes)).toBe(true)
      expect(isCompleteImage(bytes.subarray(0, bytes.length - 1))).toBe(false)
    },
  )

  it('refuses bytes of no known format', () => {
    expect(isCompleteImage(Buffer.from('not an image'))).toBe(false)
    expect(isCompleteImage(Buffer.alloc(0))).toBe(false)
  })
})
