import { mkdir, mkdtemp, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLocalEngine } from '../src/engines/local.js'
import { RembgError } from '../src/errors.js'
import type { Engine, RawImage } from '../src/types.js'

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')

// Models assembled and converted by one test run are reused by the next (the conversion is keyed by the source hash).
process.env.REMBG_KIT_HOME ??= join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')

export const testModel = 'isnet-imgly'

/**
 * A fresh folder inside the repository, as a user's project folder would be: the CLI run there finds the packages the
 * project installed (the imgly weights) the way it does for users, from its working directory up.
 */
export async function tempDir(prefix = 'rembg-kit-'): Promise<string> {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  return mkdtemp(join(parent, prefix))
}

/** The real local engine, counting its inferences (the proof that a cache hit ran none). */
export function countingEngine(model = testModel): Engine & { calls: number } {
  const engine = createLocalEngine({ model })
  const counting = {
    id: engine.id,
    calls: 0,
    fingerprint: () => engine.fingerprint(),
    matte: (image: RawImage, signal?: AbortSignal) => {
      counting.calls++
      return engine.matte(image, signal)
    },
  }
  return counting
}

/** Every file under `dir`, relative, sorted (to assert the exact cache layout). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort()
}

export { iou, renderScene, sceneNames } from '../../../examples/demo/scenes.mjs'

/** Runs `fn`, which must throw a RembgError, and returns that error. */
export function thrown(fn: () => unknown): RembgError {
  try {
    fn()
  } catch (error) {
    if (error instanceof RembgError) return error
    throw error
  }
  throw new Error('expected a RembgError, nothing was thrown')
}
