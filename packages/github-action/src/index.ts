/** The action's entry (dist/index.js): runs it and turns any error into a failed step with core's message. */
import * as core from '@actions/core'
import { describeError } from '@rembg-kit/core'
import { run } from './main.js'

run().catch((error: unknown) => core.setFailed(describeError(error)))
