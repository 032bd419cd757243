/**
 * Telling a model file from what a failed download leaves (an HTML error page from a proxy, a truncated transfer):
 * its size and the checksums the registry lists, measured while the bytes stream past; a verdict on a file on disk is
 * remembered until the file changes (rembg #267, #328).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { RembgError } from '../errors.js'
import { rememberedFact } from '../file-facts.js'
import { sha256 } from '../hash.js'
import { fileSize } from './dirs.js'
import type { ModelSpec, UrlModelSource } from './registry.js'

export function checksumMismatch(spec: ModelSpec, url: string, expected: string, got: string): RembgError {
  return new RembgError(
    `Model '${spec.name}' downloaded from ${url} failed verification: expected ${expected}, got ${got}. ` +
      'Nothing was saved; an error page from a proxy or server is the usual cause.',
    { status: 502, code: 'MODEL_CHECKSUM' },
  )
}

type Algorithm = 'md5' | 'sha256'

function expectedDigests(source: UrlModelSource): Array<{ algorithm: Algorithm; hex: string }> {
  const digests: Array<{ algorithm: Algorithm; hex: string }> = []
  if (source.md5) digests.push({ algorithm: 'md5', hex: source.md5.toLowerCase() })
  if (source.sha256) digests.push({ algorithm: 'sha256', hex: source.sha256.toLowerCase() })
  return digests
}

/** What a download or a file on disk turned out to be. */
export interface Measured {
  size: number
  digests: Partial<Record<Algorithm, string>>
  /** The first bytes, to recognise an HTML page when no checksum is known. */
  head: Buffer
}

/** The first difference between `measured` and `source`, as [expected, got], or null when it is the model. */
export function mismatch(source: UrlModelSource, measured: Measured): [string, string] | null {
  if (source.size !== undefined && source.size !== measured.size) {
    return [`${source.size} bytes`, `${measured.size} bytes`]
  }
  for (const { algorithm, hex } of expectedDigests(source)) {
    const got = measured.digests[algorithm] ?? ''
    if (got !== hex) return [`${algorithm} ${hex}`, got]
  }
  // Without a checksum, at least never take a web page for a model.
  if (/^\s*</.test(measured.head.toString('latin1'))) return ['an ONNX model', 'an HTML/XML page']
  return null
}

/** Measures bytes as they stream past: size, the digests `source` lists, and the first bytes. */
export function createMeter(source: UrlModelSource): { add(chunk: Uint8Array): void; result(): Measured } {
  const hashes = new Map(expectedDigests(source).map(({ algorithm }) => [algorithm, createHash(algorithm)]))
  let size = 0
  let head = Buffer.alloc(0)
  return {
    add(chunk) {
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64)])
      for (const hash of hashes.values()) hash.update(chunk)
      size += chunk.length
    },
    result: () => ({
      size,
      head,
      digests: Object.fromEntries([...hashes].map(([name, h]) => [name, h.digest('hex')])),
    }),
  }
}

async function measureFile(path: string, source: UrlModelSource): Promise<Measured> {
  const meter = createMeter(source)
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) meter.add(chunk)
  return meter.result()
}

/** True when `path` exists and is the model `source` describes. */
export async function isVerified(path: string, source: UrlModelSource, factsFolder: string): Promise<boolean> {
  const size = await fileSize(path)
  if (size === null || (source.size !== undefined && size !== source.size)) return false
  // Read once per version of the file: a warm run stats the model instead of hashing hundreds of MB again.
  const fact = `verified ${sha256(JSON.stringify([source.size, source.md5, source.sha256]))}`
  const verdict = await rememberedFact(path, fact, factsFolder, async () =>
    mismatch(source, await measureFile(path, source)) === null ? 'yes' : 'no',
  )
  return verdict === 'yes'
}
