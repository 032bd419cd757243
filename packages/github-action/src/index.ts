/** The action's entry (dist/index.js): runs it and turns any error into a failed step with core's message. */
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

const work = process.argv[2] === 'model-cache-key' ? nameModelCache() : run()
work.catch((error: unknown) => core.setFailed(describeError(error)))
