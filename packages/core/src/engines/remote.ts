import { ApiClient, type ApiClientOptions, normalizeBaseUrl } from '../api-client.js'
import { RembgError } from '../errors.js'
import { parseIntegerOption } from '../option-checks.js'
import { loadSharp } from '../sharp.js'
import type { CallCallbacks, Engine, RawImage } from '../types.js'
import { mimeTypes } from '../values.js'
import { Limiter } from './limit.js'

export interface RemoteEngineOptions extends ApiClientOptions {
  /** Requests in flight at once; the others wait their turn. @default 4 */
  concurrency?: number
}

/**
 * The remote engine: asks a rembg.com-compatible API for the matte only (`mask=true`, `format=png`), so core composes
 * every output itself: outputs and the cache behave exactly as with the local engine, and all variants of one image
 * cost one credit. Its fingerprint is the base URL, never the key.
 *
 * @example
 * const remover = createRemover({ engine: 'remote', apiKey: process.env.REMBG_API_KEY })
 * const { data } = await remover.remove('photo.jpg', { format: 'png', w: 800 })
 */
export function createRemoteEngine(options: RemoteEngineOptions = {}): RemoteEngine {
  return new RemoteEngine(options)
}

export class RemoteEngine implements Engine {
  readonly id = 'remote'
  readonly baseUrl: string
  private readonly api: ApiClient
  private readonly limiter: Limiter

  constructor(options: RemoteEngineOptions = {}) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl)
    this.api = new ApiClient({ ...options, baseUrl: this.baseUrl })
    this.limiter = new Limiter(parseIntegerOption('concurrency', options.concurrency ?? 4))
  }

  fingerprint(): Promise<string> {
    return Promise.resolve(`remote:${this.baseUrl}`)
  }

  matte(image: RawImage, signal?: AbortSignal, callbacks?: CallCallbacks): Promise<Uint8Array> {
    return this.limiter.run(async () => {
      signal?.throwIfAborted()
      const body = new FormData()
      const upload = await uploadFile(image)
      body.append('image', new Blob([upload.bytes], { type: upload.mime }), upload.name)
      body.append('format', 'png')
      body.append('mask', 'true')
      const png = await this.api.request({
        method: 'post',
        path: '/rmbg',
        body,
        ...(signal ? { signal } : {}),
        ...(callbacks ? { callbacks } : {}),
      })
      return readMatte(png, image)
    })
  }
}

/**
 * What to upload: the source file as it is (smallest, nothing lost) when its pixels need no EXIF rotation, so the
 * service sees the same image as our decoder; otherwise a lossless PNG of the upright pixels.
 */
async function uploadFile(image: RawImage): Promise<{ bytes: Uint8Array; mime: string; name: string }> {
  const source = image.source
  if (source && (source.format === 'bmp' || ((await loadSharp()(source.bytes).metadata()).orientation ?? 1) === 1)) {
    const extension = source.format === 'jpeg' ? 'jpg' : source.format
    return { bytes: source.bytes, mime: mimeTypes[source.format], name: `image.${extension}` }
  }
  const png = await loadSharp()(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .png({ compressionLevel: 1 })
    .toBuffer()
  return { bytes: png, mime: 'image/png', name: 'image.png' }
}

/** The API's grayscale mask as one byte per pixel, refused when it is not the size of the image it is for. */
async function readMatte(png: Buffer, image: RawImage): Promise<Uint8Array> {
  const { data, info } = await loadSharp()(png)
    .toColourspace('b-w')
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw new RembgError('The API answered with a mask that is not a readable image.', {
        status: 502,
        code: 'API_BAD_MASK',
      })
    })
  if (info.width !== image.width || info.height !== image.height) {
    throw new RembgError(
      `The API answered with a ${info.width}x${info.height} mask for a ${image.width}x${image.height} image.`,
      { status: 502, code: 'API_BAD_MASK' },
    )
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length)
}
