/**
 * The IS-Net weights shipped by the npm package `@imgly/background-removal-data` (AGPL-3.0), assembled into one
 * `.onnx` file. The package splits each model into 4 MB chunks named by their sha256 and lists them in
 * `dist/resources.json`; joining them needs no network, which is why the repository's tests and demo use them.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { RembgError } from '../errors.js'

export type ImglyVariant = 'medium' | 'small'

export const imglyPackage = '@imgly/background-removal-data'

interface ImglyChunk {
  hash: string
  offsets: [number, number]
}

/** One entry of `resources.json`. */
export interface ImglyResource {
  chunks: ImglyChunk[]
  size: number
}

/**
 * The package's `dist` folder (holding `resources.json` and the chunks), or null when the package is not installed.
 * Resolved from the current directory first (the user's project), then from this module (a dependency of core).
 *
 * @example
 * const dir = imglyDataDir() // '/app/node_modules/@imgly/background-removal-data/dist' or null
 */
export function imglyDataDir(): string | null {
  for (const base of [join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      return join(dirname(createRequire(base).resolve(`${imglyPackage}/package.json`)), 'dist')
    } catch {
      // not resolvable from here: try the next base
    }
  }
  return null
}

/** The error for a model that needs the package when it is not installed; `subject` names what needed it. */
export function imglyDataMissing(subject: string): RembgError {
  return new RembgError(
    `${subject} needs the package ${imglyPackage}, which is not installed. ` +
      `Install it with \`pnpm add -D ${imglyPackage}\` (its weights are licensed AGPL-3.0), ` +
      'or choose another model, e.g. --model isnet-general-use.',
    { status: 500, code: 'IMGLY_DATA_MISSING' },
  )
}

/**
 * Reads the chunk list of one model variant from `resources.json`.
 *
 * @example
 * const { size, chunks } = await readImglyResource('medium', imglyDataDir() ?? '')
 */
export async function readImglyResource(variant: ImglyVariant, dataDir: string): Promise<ImglyResource> {
  const key = `/models/${variant}`
  const resources = JSON.parse(await readFile(join(dataDir, 'resources.json'), 'utf8')) as Record<string, unknown>
  const entry = resources[key] as Partial<ImglyResource> | undefined
  if (!entry || !Array.isArray(entry.chunks) || typeof entry.size !== 'number') {
    throw corrupt(`${join(dataDir, 'resources.json')} has no valid entry '${key}'`)
  }
  return { chunks: entry.chunks, size: entry.size }
}

/**
 * Joins the chunks of `variant` into `destPath`, checking each chunk's sha256 against its name and the total size,
 * through a temp file renamed at the end, so no reader ever sees a partial model.
 *
 * @example
 * await assembleImglyModel('medium', join(modelDirs().home, 'isnet-imgly.onnx'))
 */
export async function assembleImglyModel(
  variant: ImglyVariant,
  destPath: string,
  dataDir: string | null = imglyDataDir(),
): Promise<void> {
  if (dataDir === null) throw imglyDataMissing(`The '${variant}' IS-Net model`)
  const resource = await readImglyResource(variant, dataDir)
  await mkdir(dirname(destPath), { recursive: true })
  const temp = `${destPath}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`
  try {
    const written = await writeChunks(resource.chunks, dataDir, temp)
    if (written !== resource.size) {
      throw corrupt(`model '${variant}' assembles to ${written} bytes, resources.json says ${resource.size}`)
    }
    await rename(temp, destPath)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

async function writeChunks(chunks: ImglyChunk[], dataDir: string, temp: string): Promise<number> {
  const file = await open(temp, 'w')
  let written = 0
  try {
    for (const chunk of chunks) {
      const data = await readChunk(chunk, dataDir)
      await file.write(data)
      written += data.length
    }
  } finally {
    await file.close()
  }
  return written
}

async function readChunk(chunk: ImglyChunk, dataDir: string): Promise<Buffer> {
  const path = join(dataDir, chunk.hash)
  const data = await readFile(path).catch((error: unknown) => {
    throw corrupt(`chunk ${path} cannot be read`, error)
  })
  const expected = chunk.offsets[1] - chunk.offsets[0]
  if (data.length !== expected) throw corrupt(`chunk ${path} has ${data.length} bytes, expected ${expected}`)
  const digest = createHash('sha256').update(data).digest('hex')
  if (digest !== chunk.hash) throw corrupt(`chunk ${path} has sha256 ${digest}`)
  return data
}

function corrupt(what: string, cause?: unknown): RembgError {
  return new RembgError(`The installed ${imglyPackage} is damaged: ${what}. Reinstall it (\`pnpm install --force\`).`, {
    status: 500,
    code: 'MODEL_CHECKSUM',
    ...(cause === undefined ? {} : { cause }),
  })
}
