/**
 * Downloading a model: from the registry's URL or a mirror, streamed to a temporary file beside its place with a
 * progress bar, verified, then renamed into place; a failure removes the temporary file and says how to fix it.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { RembgError } from '../errors.js'
import { createProgress } from '../progress.js'
import { type Env, localFileName, modelDirs } from './dirs.js'
import type { ModelSpec, UrlModelSource } from './registry.js'
import { checksumMismatch, createMeter, type Measured, mismatch } from './verify.js'

export interface DownloadOptions {
  /** Base URL serving the release's files by name; also read from `REMBG_KIT_MODEL_MIRROR`. */
  mirror?: string
  /** Download progress; without it a progress bar is drawn on stderr when it is a terminal. */
  onProgress?: (received: number, total?: number) => void
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

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

/** Names the cause of a failed fetch as Node reports it: `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`... */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  if (cause && typeof cause.code === 'string') return cause.code
  if (cause && typeof cause.message === 'string' && cause.message !== '') return cause.message
  return error instanceof Error ? error.message : String(error)
}

export interface DownloadContext {
  spec: ModelSpec
  source: UrlModelSource
  url: string
  dest: string
  env: Env
  options: DownloadOptions
  signal: AbortSignal
}

/** The URL to fetch: the mirror's copy of the release asset when a mirror is set, else the registry's URL. */
export function downloadUrl(source: UrlModelSource, options: DownloadOptions, env: Env): string {
  const mirror = options.mirror ?? env.REMBG_KIT_MODEL_MIRROR
  if (!mirror) return source.url
  return `${mirror.replace(/\/+$/, '')}/${basename(new URL(source.url).pathname)}`
}

/** Streams the model to a temp file beside `dest`, verifies it, then renames it into place. */
export async function download(context: DownloadContext): Promise<string> {
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
