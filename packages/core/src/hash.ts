import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** Hex sha256 of bytes or of several strings joined with NUL (so `a|bc` and `ab|c` never collide). */
export function sha256(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256')
  parts.forEach((part, index) => {
    if (index > 0) hash.update('\0')
    hash.update(part)
  })
  return hash.digest('hex')
}

/** Hex sha256 of a file, streamed (model files are tens or hundreds of MB). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
