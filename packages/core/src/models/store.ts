/**
 * Where model files live and how they get there: found on disk (ours first, then the Python rembg's `~/.u2net`),
 * assembled from `@imgly/background-removal-data`, or downloaded once, verified, and renamed into place. A file that
 * fails its checksum (an HTML error page from a proxy, a truncated transfer) is never kept: rembg #267, #328.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { RembgError } from '../errors.js'
import { rememberedFact } from '../file-facts.js'
import { sha256 } from '../hash.js'
import { createProgress } from '../progress.js'
import { assembleImglyModel, imglyDataDir, imglyDataMissing, readImglyResource } from './imgly.js'
import { type ImglyModelSource, type ModelSpec, models, type UrlModelSource } from './registry.js'

type Env = Record<string, string | undefined>

export interface ModelDirs {
  /** Where rembg-kit writes models. */
  home: string
  /** Folders searched after `home` and never written to (the Python rembg's). */
  reuse: string[]
}

export interface EnsureModelOptions {
  /** Base URL serving the release's files by name; also read from `REMBG_KIT_MODEL_MIRROR`. */
  mirror?: string
  /** @default process.env */
  env?: Env
  /** Download progress; without it a progress bar is drawn on stderr when it is a terminal. */
  onProgress?: (received: number, total?: number) => void
  signal?: AbortSignal
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface ModelListing {
  name: string
  description: string
  license: string
  nonCommercial: boolean
  present: boolean
  path?: string
  size?: number
}

/**
 * The model folders: `home` = `$REMBG_KIT_HOME/models` or `~/.cache/rembg-kit/models`; `reuse` = `$U2NET_HOME` or
 * `$XDG_DATA_HOME/.u2net` or `~/.u2net`, exactly where the Python rembg keeps its downloads.
 *
 * @example
 * modelDirs({ REMBG_KIT_HOME: '/srv/rembg' }) // { home: '/srv/rembg/models', reuse: ['/home/me/.u2net'] }
 */
export function modelDirs(env: Env = process.env): ModelDirs {
  const home = env.REMBG_KIT_HOME
    ? join(expandHome(env.REMBG_KIT_HOME), 'models')
    : join(homedir(), '.cache', 'rembg-kit', 'models')
  const reuse = env.U2NET_HOME ? expandHome(env.U2NET_HOME) : join(expandHome(env.XDG_DATA_HOME || '~'), '.u2net')
  return { home, reuse: [reuse] }
}

function expandHome(path: string): string {
  if (path === '~') return homedir()
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2))
  return path
}

/** The name a model has on disk. */
function localFileName(spec: ModelSpec): string {
  if (spec.source.kind === 'url') return spec.source.fileName
  if (spec.source.kind === 'file') return basename(spec.source.path)
  return `${spec.name}.onnx`
}

/**
 * The path of a model file already on disk (home first, then the reuse folders), or null. It does not verify the
 * file's checksum; `ensureModel` does.
 *
 * @example
 * const path = await findModel(models.u2net) // '/home/me/.u2net/u2net.onnx' when the Python rembg fetched it
 */
export async function findModel(spec: ModelSpec, env: Env = process.env): Promise<string | null> {
  if (spec.source.kind === 'file') {
    const path = resolve(spec.source.path)
    return (await fileSize(path)) === null ? null : path
  }
  const dirs = modelDirs(env)
  const folders = spec.source.kind === 'url' ? [dirs.home, ...dirs.reuse] : [dirs.home]
  for (const folder of folders) {
    const path = join(folder, localFileName(spec))
    if ((await fileSize(path)) !== null) return path
  }
  return null
}

async function fileSize(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null)
  return info?.isFile() ? info.size : null
}

// Errors -------------------------------------------------------------------------------------------------------------

function downloadFailed(spec: ModelSpec, url: string, reason: string, env: Env): RembgError {
  const fileName = localFileName(spec)
  return new RembgError(
    [
      `Could not download model '${spec.name}' from ${url} (${reason}). Fix it in one of these ways:`,
      `- set REMBG_KIT_MODEL_MIRROR to a base URL that serves ${basename(new URL(url).pathname)}`,
      `- put the file at ${join(modelDirs(env).home, fileName)}`,
      '- pass a local model file: --model ./path/to/model.onnx',
      `- run \`rembg-kit models pull ${spec.name}\` where the network is reachable`,
    ].join('\n'),
    { status: 502, code: 'MODEL_DOWNLOAD_FAILED' },
  )
}

function checksumMismatch(spec: ModelSpec, url: string, expected: string, got: string): RembgError {
  return new RembgError(
    `Model '${spec.name}' downloaded from ${url} failed verification: expected ${expected}, got ${got}. ` +
      'Nothing was saved; an error page from a proxy or server is the usual cause.',
    { status: 502, code: 'MODEL_CHECKSUM' },
  )
}

function fileMissing(path: string): RembgError {
  return new RembgError(`Model file '${path}' does not exist.`, {
    status: 400,
    code: 'MODEL_NOT_FOUND',
    field: 'model',
  })
}

/** Names the cause of a failed fetch as Node reports it: `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`... */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  if (cause && typeof cause.code === 'string') return cause.code
  if (cause && typeof cause.message === 'string' && cause.message !== '') return cause.message
  return error instanceof Error ? error.message : String(error)
}

// Verification -------------------------------------------------------------------------------------------------------

type Algorithm = 'md5' | 'sha256'

function expectedDigests(source: UrlModelSource): Array<{ algorithm: Algorithm; hex: string }> {
  const digests: Array<{ algorithm: Algorithm; hex: string }> = []
  if (source.md5) digests.push({ algorithm: 'md5', hex: source.md5.toLowerCase() })
  if (source.sha256) digests.push({ algorithm: 'sha256', hex: source.sha256.toLowerCase() })
  return digests
}

/** What a download or a file on disk turned out to be. */
interface Measured {
  size: number
  digests: Partial<Record<Algorithm, string>>
  /** The first bytes, to recognise an HTML page when no checksum is known. */
  head: Buffer
}

/** The first difference between `measured` and `source`, as [expected, got], or null when it is the model. */
function mismatch(source: UrlModelSource, measured: Measured): [string, string] | null {
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
function createMeter(source: UrlModelSource): { add(chunk: Uint8Array): void; result(): Measured } {
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
async function isVerified(path: string, source: UrlModelSource, factsFolder: string): Promise<boolean> {
  const size = await fileSize(path)
  if (size === null || (source.size !== undefined && size !== source.size)) return false
  // Read once per version of the file: a warm run stats the model instead of hashing hundreds of MB again.
  const fact = `verified ${sha256(JSON.stringify([source.size, source.md5, source.sha256]))}`
  const verdict = await rememberedFact(path, fact, factsFolder, async () =>
    mismatch(source, await measureFile(path, source)) === null ? 'yes' : 'no',
  )
  return verdict === 'yes'
}

// Download -----------------------------------------------------------------------------------------------------------

interface DownloadContext {
  spec: ModelSpec
  source: UrlModelSource
  url: string
  dest: string
  env: Env
  options: EnsureModelOptions
  signal: AbortSignal
}

/** The URL to fetch: the mirror's copy of the release asset when a mirror is set, else the registry's URL. */
function downloadUrl(source: UrlModelSource, options: EnsureModelOptions, env: Env): string {
  const mirror = options.mirror ?? env.REMBG_KIT_MODEL_MIRROR
  if (!mirror) return source.url
  return `${mirror.replace(/\/+$/, '')}/${basename(new URL(source.url).pathname)}`
}

/** Streams the model to a temp file beside `dest`, verifies it, then renames it into place. */
async function download(context: DownloadContext): Promise<string> {
  await mkdir(dirname(context.dest), { recursive: true })
  const temp = `${context.dest}.${process.pid}-${randomUUID().slice(0, 8)}.download`
  try {
    const measured = await fetchToFile(context, temp)
    const problem = mismatch(context.source, measured)
    if (problem) throw checksumMismatch(context.spec, context.url, ...problem)
    await rename(temp, context.dest)
    return context.dest
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

async function fetchToFile(context: DownloadContext, temp: string): Promise<Measured> {
  const { spec, url, env, signal } = context
  const fail = (error: unknown): never => {
    if (signal.aborted) throw signal.reason
    // A full disk or a read-only folder is not a network problem: report it as it is.
    if (error instanceof Error && 'syscall' in error && 'path' in error) throw error
    throw downloadFailed(spec, url, describeNetworkError(error), env)
  }
  const response = await (context.options.fetch ?? fetch)(url, { signal }).catch(fail)
  if (!response.ok || !response.body) {
    throw downloadFailed(spec, url, `HTTP ${response.status} ${response.statusText}`.trim(), env)
  }
  // fetch decodes gzip/br bodies, so an encoded response's content-length is not the model's size.
  const length = response.headers.has('content-encoding') ? 0 : Number(response.headers.get('content-length'))
  const total = Number.isFinite(length) && length > 0 ? length : context.source.size
  const measured = await writeBody(response.body, temp, context, total).catch(fail)
  if (length > 0 && measured.size !== length) {
    throw downloadFailed(spec, url, `connection closed after ${measured.size} of ${length} bytes`, env)
  }
  return measured
}

async function writeBody(
  body: AsyncIterable<Uint8Array>,
  temp: string,
  context: DownloadContext,
  total: number | undefined,
): Promise<Measured> {
  const bar = context.options.onProgress
    ? undefined
    : createProgress({ label: `Downloading ${context.spec.name}`, total, unit: 'bytes' })
  const report = context.options.onProgress ?? ((received: number) => bar?.update(received))
  const meter = createMeter(context.source)
  const file = await open(temp, 'w')
  let received = 0
  try {
    for await (const chunk of body) {
      meter.add(chunk)
      await file.write(chunk)
      received += chunk.length
      report(received, total)
    }
  } finally {
    await file.close()
    bar?.done()
  }
  return meter.result()
}

// Locating each kind of source ---------------------------------------------------------------------------------------

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

// The store ----------------------------------------------------------------------------------------------------------

interface Job {
  promise: Promise<string>
  controller: AbortController
  /** Callers still waiting; the download is aborted only when every one of them has given up. */
  waiters: number
  settled: boolean
}

/**
 * Holds the model jobs of one process: concurrent `ensure` calls for one model share one download, and a model once
 * verified is not hashed again while its file exists. The options of the call that starts a job (mirror, fetch,
 * onProgress) are the ones used; each caller's `signal` cancels only its own wait.
 */
export class ModelStore {
  readonly #jobs = new Map<string, Job>()

  /**
   * Returns the path of a verified local copy of the model, downloading or assembling it first when needed.
   *
   * @example
   * const store = new ModelStore()
   * const path = await store.ensure(models['isnet-general-use'])
   */
  async ensure(spec: ModelSpec, options: EnsureModelOptions = {}): Promise<string> {
    const key = jobKey(spec, options.env ?? process.env)
    const done = this.#jobs.get(key)
    if (done?.settled) {
      // Verified earlier in this process: trust it while the file is there, instead of hashing it again.
      const path = await done.promise
      if ((await fileSize(path)) !== null) return path
      if (this.#jobs.get(key) === done) this.#jobs.delete(key)
    }
    const current = this.#jobs.get(key)
    // A job its callers abandoned is finishing its cleanup; a new caller starts afresh rather than inherit the abort.
    const job = current && !current.controller.signal.aborted ? current : this.#start(key, spec, options)
    return wait(job, options.signal)
  }

  #start(key: string, spec: ModelSpec, options: EnsureModelOptions): Job {
    const controller = new AbortController()
    const job: Job = { controller, waiters: 0, settled: false, promise: locate(spec, options, controller.signal) }
    this.#jobs.set(key, job)
    job.promise.then(
      () => {
        job.settled = true
      },
      () => {
        job.settled = true
        if (this.#jobs.get(key) === job) this.#jobs.delete(key)
      },
    )
    return job
  }
}

function jobKey(spec: ModelSpec, env: Env): string {
  const dirs = modelDirs(env)
  return JSON.stringify([spec.name, spec.source, dirs.home, dirs.reuse])
}

function wait(job: Job, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  job.waiters += 1
  return new Promise((resolvePath, reject) => {
    let left = false
    const leave = (): void => {
      if (left) return
      left = true
      job.waiters -= 1
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = (): void => {
      leave()
      if (job.waiters > 0 || job.settled) {
        reject(signal?.reason)
        return
      }
      // The last caller stops the download; it returns once the temp file is gone, so it sees a clean folder.
      job.controller.abort(signal?.reason)
      job.promise.then(
        () => reject(signal?.reason),
        () => reject(signal?.reason),
      )
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    job.promise.then(
      (path) => {
        leave()
        resolvePath(path)
      },
      (error: unknown) => {
        leave()
        reject(error)
      },
    )
  })
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
        present: path !== null,
      }
      return path === null || size === null ? listing : { ...listing, path, size }
    }),
  )
}
