/**
 * Makes the cutouts: one Remover for the run (one model load, core's result cache), two files in flight (core runs
 * one inference at a time; decoding and encoding overlap it). A failure is recorded for its file and never stops the
 * others. An output whose bytes are already on disk is left untouched, so a re-run changes nothing.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describeError, mapLimit, type Remover, type ResolvedParams } from '@rembg-kit/core'
import type { PlannedFile } from './plan.js'

export interface FileResult {
  input: string
  output: string
  status: 'written' | 'unchanged' | 'failed'
  /** Core's message (its details on further lines) when the file failed. */
  error?: string
  bytesBefore: number
  bytesAfter?: number
  width?: number
  height?: number
  ms: number
  /** `output`: the result cache answered; `matte`: the matte was cached; `computed`: an inference ran. */
  cache?: 'output' | 'matte' | 'computed'
}

const concurrency = 2

export async function processFiles(
  files: readonly PlannedFile[],
  remover: Remover,
  params: ResolvedParams,
  cwd: string,
): Promise<FileResult[]> {
  return mapLimit(files, concurrency, (file) => processOne(file, remover, params, cwd))
}

async function processOne(
  file: PlannedFile,
  remover: Remover,
  params: ResolvedParams,
  cwd: string,
): Promise<FileResult> {
  const started = performance.now()
  const inputPath = join(cwd, file.input)
  const bytesBefore = await stat(inputPath).then(
    (s) => s.size,
    () => 0,
  )
  try {
    const result = await remover.remove(inputPath, { ...params, fileName: file.input })
    const outputPath = join(cwd, file.output)
    const existing = await readFile(outputPath).catch(() => null)
    const unchanged = existing?.equals(result.data) ?? false
    if (!unchanged) {
      await mkdir(dirname(outputPath), { recursive: true })
      await writeFile(outputPath, result.data)
    }
    return {
      ...file,
      status: unchanged ? 'unchanged' : 'written',
      bytesBefore,
      bytesAfter: result.data.length,
      width: result.width,
      height: result.height,
      ms: performance.now() - started,
      cache: result.cache.output ? 'output' : result.cache.matte ? 'matte' : 'computed',
    }
  } catch (error) {
    return { ...file, status: 'failed', error: describeError(error), bytesBefore, ms: performance.now() - started }
  }
}
