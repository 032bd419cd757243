/**
 * action.yml as GitHub reads it, parsed with `yaml` (a YAML 1.2 parser): enough to compare the declared inputs,
 * outputs and steps with the code.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const packageDir = fileURLToPath(new URL('..', import.meta.url))

export interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>
  outputs: Record<string, { value?: string }>
  steps: Record<string, unknown>[]
}

/** Reads `path`; throws with the file's name when a section the tests compare is missing. */
export function readActionYml(path = join(packageDir, 'action.yml')): ActionYml {
  const root = parse(readFileSync(path, 'utf8')) as {
    inputs?: ActionYml['inputs']
    outputs?: ActionYml['outputs']
    runs?: { steps?: ActionYml['steps'] }
  }
  if (!root.inputs || !root.outputs || !root.runs?.steps) {
    throw new Error(`${path}: expected 'inputs', 'outputs' and 'runs.steps'`)
  }
  return { inputs: root.inputs, outputs: root.outputs, steps: root.runs.steps }
}
