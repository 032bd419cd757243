/**
 * Reads a POST /rmbg body: the `image` file and the text fields, streamed through busboy. At most 50 MB of the image
 * is ever held: past that its bytes are counted and dropped, so a 1 GB upload costs no more memory than a 50 MB one,
 * and the error still reports the file's real size (`File size (1024.0 MB) exceeds ...`). Reading the body to its end
 * (instead of answering mid-upload) lets every HTTP client read the answer; the request timeout bounds how long.
 */

import type { MultipartFile, MultipartValue } from '@fastify/multipart'
import { limits } from '@rembg-kit/core'
import { fileTooLarge, noFileSelected, noImageProvided } from '@rembg-kit/core/internal'
import type { FastifyRequest } from 'fastify'
import { malformedBody } from './http-errors.js'

export interface Upload {
  /** The image's bytes (at most 50 MB) and the name the client gave it. */
  image: { bytes: Buffer; fileName: string }
  /** Text fields, first value of each name (as the API's form parser keeps); file fields other than `image` ignored. */
  fields: Record<string, string>
}

/** busboy's own limits: ours is the image size, checked below; these bound everything else a client could send. */
export const multipartLimits = {
  fileSize: Number.POSITIVE_INFINITY,
  files: 20,
  fields: 100,
  fieldSize: 64 * 1024,
  parts: 200,
  headerPairs: 200,
} as const

interface ImagePart {
  bytes: Buffer | null
  size: number
  fileName: string
}

/**
 * Reads the whole body. Throws the API's errors in its order: no `image` file, a file field without a file, and a
 * file over 50 MB.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw noImageProvided()
  const fields: Record<string, string> = {}
  let image: ImagePart | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') keepField(fields, part)
      else if (part.fieldname === 'image' && !image) image = await readImage(part)
      else await discard(part)
    }
  } catch (error) {
    // @fastify/multipart's own errors (limits) carry their status; busboy's parse errors do not.
    throw typeof (error as { statusCode?: unknown }).statusCode === 'number' ? error : malformedBody(error)
  }
  if (!image) throw noImageProvided()
  if (!image.fileName) throw noFileSelected()
  if (!image.bytes) throw fileTooLarge(image.size)
  return { image: { bytes: image.bytes, fileName: image.fileName }, fields }
}

function keepField(fields: Record<string, string>, part: MultipartValue): void {
  if (part.fieldname in fields || typeof part.value !== 'string') return
  fields[part.fieldname] = part.value
}

/** Keeps the file's bytes while they fit the limit; past it, only counts them. `bytes` is null for a file too large. */
async function readImage(part: MultipartFile): Promise<ImagePart> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= limits.maxFileBytes) chunks.push(chunk)
    else chunks.length = 0
  }
  const bytes = size <= limits.maxFileBytes ? Buffer.concat(chunks, size) : null
  return { bytes, size, fileName: part.filename ?? '' }
}

async function discard(part: MultipartFile): Promise<void> {
  for await (const _ of part.file) {
    // Read to the end: busboy moves to the next part only once this one is consumed.
  }
}
