/**
 * Cheap structural checks that an encoded file is whole, without decoding it: a cache hit must cost milliseconds, and
 * entries are written atomically, so these only have to catch files damaged after the fact (disk, a user's edit).
 */

const endsWith = (bytes: Uint8Array, tail: readonly number[]): boolean =>
  bytes.length >= tail.length && tail.every((value, i) => bytes[bytes.length - tail.length + i] === value)

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const
// The IEND chunk: length 0, type 'IEND', CRC ae 42 60 82.
const pngEnd = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82] as const

function isCompletePng(bytes: Uint8Array): boolean {
  return pngSignature.every((value, i) => bytes[i] === value) && endsWith(bytes, pngEnd)
}

function isCompleteJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && endsWith(bytes, [0xff, 0xd9])
}

function isCompleteWebp(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4))
  return (
    bytes.length >= 12 && ascii(0) === 'RIFF' && ascii(8) === 'WEBP' && view.getUint32(4, true) + 8 === bytes.length
  )
}

function isCompleteBmp(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return bytes.length >= 14 && bytes[0] === 0x42 && bytes[1] === 0x4d && view.getUint32(2, true) === bytes.length
}

/** True when `bytes` is a PNG, JPEG, WEBP or BMP file that ends where its own structure says it ends. */
export function isCompleteImage(bytes: Uint8Array): boolean {
  return isCompletePng(bytes) || isCompleteJpeg(bytes) || isCompleteWebp(bytes) || isCompleteBmp(bytes)
}
