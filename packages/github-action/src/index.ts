/** The action's entry (dist/index.js): runs it and turns any error into a failed step with core's message. */
import { setFlagsFromString } from 'node:v8'
import * as core from '@actions/core'
import { describeError } from '@rembg-kit/core'
import { run } from './main.js'
import { modelCacheKey, modelCacheName } from './model-cache-key.js'

/** `dist/index.js model-cache-key`: action.yml's step naming the model cache (outputs `name`, `key`). */
async function nameModelCache(): Promise<void> {
  const model = core.getInput('model') || 'isnet-general-use'
  core.setOutput('name', modelCacheName(model))
  core.setOutput('key', await modelCacheKey(model, process.env.GITHUB_WORKSPACE || process.cwd()))
}

// fetch parses HTTP with llhttp, a WebAssembly module: V8 compiles it at once with its baseline compiler, then again
// with its optimising one on a background thread, which the process waits for when it exits (30 to 60 ms on 2 shared
// cores, longer than the REST calls of a run take). The baseline code parses a few kilobytes of JSON just as well.
// Set before anything compiles WebAssembly (nothing does on import).
setFlagsFromString('--liftoff-only')

const work = process.argv[2] === 'model-cache-key' ? nameModelCache() : run()
work.catch((error: unknown) => core.setFailed(describeError(error)))
