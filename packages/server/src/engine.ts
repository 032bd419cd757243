/**
 * The remover the server runs, and its warm-up: the model is loaded (and run once on a tiny image, which also makes
 * onnxruntime pick its kernels) at start, so `GET /healthz` turns 200 only once the first request will be fast.
 */
import { createRemover, type Engine, LocalEngine, type Preset, type Remover } from '@rembg-kit/core'
import type { ResolvedPluginOptions } from './options.js'

/**
 * One remover per preset for the whole process: its work-in-flight map and its loaded model are shared by every
 * request. The server's own preset is made at start (and warmed up); another one on the first request asking for it.
 */
export function createServerRemovers(
  options: ResolvedPluginOptions,
  log: (line: string) => void,
): (preset?: Preset) => Remover {
  const removers = new Map<Preset, Remover>()
  const removerFor = (preset: Preset = options.preset): Remover => {
    let remover = removers.get(preset)
    if (!remover) {
      remover = createRemover({
        ...(options.engine ? { engine: options.engine } : { model: options.model }),
        // Only when not the default: an engine of the caller's own has no presets, and refuses `fast` in core's words.
        ...(preset === 'quality' ? {} : { preset }),
        concurrency: options.concurrency,
        cacheDir: options.cacheDir ?? false,
        cacheMaxSize: options.cacheMaxSize,
        log,
      })
      removers.set(preset, remover)
    }
    return remover
  }
  removerFor()
  return removerFor
}

/** Loads a local model and runs it once. Other engines (a test's, a remote API) have nothing to load. */
export async function warmUp(engine: Engine): Promise<void> {
  if (!(engine instanceof LocalEngine)) return
  await engine.load()
  const side = 8
  await engine.matte({ data: Buffer.alloc(side * side * 3, 128), width: side, height: side, channels: 3 })
}
