import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RemoveResult } from '@rembg-kit/core'
import type { EmitAsset } from '../load.js'
import { assetName } from './rollup.js'

/** Where the dev server serves cutouts: under `base`, beside Vite's own `/@fs/` and `/@id/`. */
const devPrefix = '@rembg-kit/'

/**
 * The Vite dev server's cutouts: each is kept in memory under a URL with its content hash, so a request is answered
 * from the bytes core made (no re-encode per request) and an edited source image gets a new URL.
 */
export class DevAssets {
  private readonly files = new Map<string, RemoveResult>()

  constructor(private readonly base: () => string) {}

  readonly emit: EmitAsset = (result, file) => {
    const hash = createHash('sha256').update(result.data).digest('hex').slice(0, 10)
    const name = assetName(file, result.extension).replace(/\.[^.]+$/, `-${hash}.${result.extension}`)
    this.files.set(name, result)
    return { expression: JSON.stringify(`${this.base()}${devPrefix}${name}`) }
  }

  /** Connect middleware answering `<base>@rembg-kit/<name>-<hash>.<ext>`; other requests go on. */
  readonly middleware = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    const at = path.lastIndexOf(`/${devPrefix}`)
    const result = at === -1 ? undefined : this.files.get(decodeURIComponent(path.slice(at + devPrefix.length + 1)))
    if (!result) {
      next()
      return
    }
    response.setHeader('Content-Type', result.mime)
    response.setHeader('Content-Length', result.data.length)
    response.setHeader('Cache-Control', 'no-cache')
    response.end(result.data)
  }
}
