/**
 * Cheap structural checks that an encoded file is whole, without decoding it: a cache hit must cost milliseconds, and
 * entries are written atomically, so these only have to catch files damaged after the fact (disk, a user's edit).
 * The format comes from the signature (input.ts's sniffFormat); each check here looks only at where the file ends.
 */
import { sniffFormat } from './input.js'
import type { InputFormat } from './values.js'

const endsWith = (bytes: Uint8Array, tail: readonly number[]): boolean =>
  bytes.length >= tail.length && tail.every((value, i) => bytes[bytes.length - tail.length + i] === value)

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

const endsWhereItSays: Record<InputFormat, (bytes: Uint8Array) => boolean> = {
  // The IEND chunk: length 0, type 'IEND', CRC ae 42 60 82.
  png: (bytes) => endsWith(bytes, [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
  // The EOI marker.
  jpeg: (bytes) => endsWith(bytes, [0xff, 0xd9]),
  // The RIFF chunk size counts everything after its first 8 bytes.
  webp: (bytes) => view(bytes).getUint32(4, true) + 8 === bytes.length,
  // The BMP header's file size.
  bmp: (bytes) => bytes.length >= 14 && view(bytes).getUint32(2, true) === bytes.length,
}

/** True when `bytes` is a PNG, JPEG, WEBP or BMP file that ends where its own structure says it ends. */
export function isCompleteImage(bytes: Uint8Array): boolean {
  const format = sniffFormat(bytes)
  return format !== null && endsWhereItSays[format](bytes)
}
