/**
 * The model's part of the model cache's key (action.yml's `model-key` step): the model's name and a checksum of its
 * file, so every pull request and run of a repository shares one entry per model file, and a changed file gets a new
 * one. Registry models are named by the digest core verifies their download with; a repository's `.onnx` file by the
 * sha256 of its bytes.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { models } from '@rembg-kit/core'

/** The model's name as a cache key may hold it (a path's slashes, a comma are not allowed): the restore prefix. */
export const modelCacheName = (model: string): string => model.replace(/[^A-Za-z0-9._@-]+/g, '_')

/**
 * @example
 * await modelCacheKey('isnet-general-use', cwd) // 'isnet-general-use-fc16ebd8b0c10d971d3513d564d01e29'
 */
export async function modelCacheKey(model: string, cwd: string): Promise<string> {
  const name = modelCacheName(model)
  const source = models[model]?.source
  if (source?.kind === 'url') return `${name}-${source.sha256 ?? source.md5 ?? 'unverified'}`
  // Assembled from the npm package the checkout installs: its weights change with that package, not with the key.
  if (source?.kind === 'imgly') return `${name}-imgly-${source.variant}`
  const path = resolve(cwd, model)
  if (!existsSync(path)) return name // the run itself reports the unknown model, by name
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return `${name}-${hash.digest('hex')}`
}
