/**
 * Where model files come from: found on disk (ours first, then the Python rembg's `~/.u2net`), assembled from
 * `@imgly/background-removal-data`, or downloaded once, verified, and renamed into place (dirs.ts, download.ts,
 * verify.ts). The store shares one job per model between concurrent callers and remembers what it verified.
 */

import { join, resolve } from 'node:path'
import { RembgError } from '../errors.js'
import { modelPresets } from '../presets.js'
import { SharedWork } from '../shared-work.js'
import type { Preset } from '../values.js'
import { type Env, fileSize, findModel, localFileName, modelDirs } from './dirs.js'
import { type DownloadOptions, download, downloadUrl } from './download.js'
import { assembleImglyModel, imglyDataDir, imglyDataMissing, readImglyResource } from './imgly.js'
import { type ImglyModelSource, type ModelSpec, models, type UrlModelSource } from './registry.js'
import { isVerified } from './verify.js'

export { findModel, type ModelDirs, modelDirs } from './dirs.js'

export interface EnsureModelOptions extends DownloadOptions {
  /** @default process.env */
  env?: Env
  signal?: AbortSignal
}

export interface ModelListing {
  name: string
  description: string
  license: string
  nonCommercial: boolean
  /** The local engine's presets this model has (`fast` only for IS-Net). */
  presets: Preset[]
  present: boolean
  path?: string
  size?: number
}

function fileMissing(path: string): RembgError {
  return new RembgError(`Model file '${path}' does not exist.`, {
    status: 400,
    code: 'MODEL_NOT_FOUND',
    field: 'model',
  })
}

async function ensureUrlModel(
  spec: ModelSpec,
  source: UrlModelSource,
  options: EnsureModelOptions,
  signal: AbortSignal,
): Promise<string> {
  const env = options.env ?? process.env
  const dirs = modelDirs(env)
  // A file in a reuse folder that fails verification is skipped, never touched: it belongs to the Python rembg.
  for (const folder of [dirs.home, ...dirs.reuse]) {
    const path = join(folder, source.fileName)
    if (await isVerified(path, source, dirs.home)) return path
  }
  const url = downloadUrl(source, options, env)
  return download({ spec, source, url, dest: join(dirs.home, source.fileName), env, options, signal })
}

async function ensureImglyModel(spec: ModelSpec, source: ImglyModelSource, env: Env): Promise<string> {
  const dest = join(modelDirs(env).home, localFileName(spec))
  const dataDir = imglyDataDir()
  const size = await fileSize(dest)
  // Assembled by us through a verified, atomic write: the size is check enough; without the package, trust it.
  if (size !== null && (dataDir === null || size === (await readImglyResource(source.variant, dataDir)).size)) {
    return dest
  }
  if (dataDir === null) throw imglyDataMissing(`Model '${spec.name}'`)
  await assembleImglyModel(source.variant, dest, dataDir)
  return dest
}

async function locate(spec: ModelSpec, options: EnsureModelOptions, signal: AbortSignal): Promise<string> {
  const source = spec.source
  if (source.kind === 'url') return ensureUrlModel(spec, source, options, signal)
  if (source.kind === 'imgly') return ensureImglyModel(spec, source, options.env ?? process.env)
  const path = resolve(source.path)
  if ((await fileSize(path)) === null) throw fileMissing(source.path)
  return path
}

/**
 * Holds the model jobs of one process: concurrent `ensure` calls for one model share one download, and a model once
 * verified is not hashed again while its file exists. The options of the call that starts a job (mirror, fetch,
 * onProgress) are the ones used; each caller's `signal` cancels only its own wait, and the last caller to give up
 * stops the download and is answered once its temporary file is gone.
 */
export class ModelStore {
  readonly #jobs = new SharedWork<string>({ lastCallerAwaitsCancel: true })
  /** Models verified by this process, by job key: trusted while their file is there. */
  readonly #verified = new Map<string, string>()

  /**
   * Returns the path of a verified local copy of the model, downloading or assembling it first when needed.
   *
   * @example
   * const store = new ModelStore()
   * const path = await store.ensure(models['isnet-general-use'])
   */
  async ensure(spec: ModelSpec, options: EnsureModelOptions = {}): Promise<string> {
    const key = jobKey(spec, options.env ?? process.env)
    const known = this.#verified.get(key)
    // Verified earlier in this process: trust it while the file is there, instead of hashing it again.
    if (known !== undefined && (await fileSize(known)) !== null) return known
    const path = await this.#jobs.run(key, options.signal, (signal) => locate(spec, options, signal))
    this.#verified.set(key, path)
    return path
  }
}

function jobKey(spec: ModelSpec, env: Env): string {
  const dirs = modelDirs(env)
  return JSON.stringify([spec.name, spec.source, dirs.home, dirs.reuse])
}

/** The store `ensureModel` uses. */
export const modelStore: ModelStore = new ModelStore()

/**
 * Returns the path of a verified local copy of the model (see `ModelStore.ensure`), using the default store.
 *
 * @example
 * const path = await ensureModel(models.u2net, { mirror: 'https://models.example.com/rembg' })
 */
export function ensureModel(spec: ModelSpec, options?: EnsureModelOptions): Promise<string> {
  return modelStore.ensure(spec, options)
}

/**
 * Every registered model with its license and whether a local copy exists, for `rembg-kit models`.
 *
 * @example
 * for (const m of await listModels()) console.log(m.name, m.present ? m.path : '-')
 */
export async function listModels(env: Env = process.env): Promise<ModelListing[]> {
  return Promise.all(
    Object.values(models).map(async (spec) => {
      const path = await findModel(spec, env)
      const size = path === null ? null : await fileSize(path)
      const listing: ModelListing = {
        name: spec.name,
        description: spec.description,
        license: spec.license,
        nonCommercial: spec.nonCommercial === true,
        presets: modelPresets(spec),
        present: path !== null,
      }
      return path === null || size === null ? listing : { ...listing, path, size }
    }),
  )
}
