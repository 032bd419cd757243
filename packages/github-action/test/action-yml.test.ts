import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { inputDefaults, inputVariable, readOptions } from '../src/inputs.js'
import { packageDir, readActionYml } from './action-yml.js'
import { repoRoot } from './harness.js'

const yml = readActionYml()
const declared = Object.keys(yml.inputs)

/** The INPUT_* variables a full read of the options looks at (readOptions plus the api-key masking in main.ts). */
function variablesRead(): Set<string> {
  const read = new Set<string>()
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_, key) => {
      if (typeof key === 'string' && key.startsWith('INPUT_')) read.add(key)
      return undefined
    },
  })
  readOptions(env)
  return read
}

describe('action.yml', () => {
  it('declares every input the code reads, the code reads every declared input, with the same defaults', () => {
    expect([...variablesRead()].sort()).toEqual(declared.map(inputVariable).sort())
    expect(Object.keys(inputDefaults).sort()).toEqual([...declared].sort())
    for (const name of declared)
      expect(yml.inputs[name]?.default, name).toBe(inputDefaults[name as keyof typeof inputDefaults])
  })

  it('maps every input into the run step as INPUT_<NAME>, as GitHub derives it for a JavaScript action', () => {
    const step = yml.steps.find((s) => s.id === 'rembg') as { env: Record<string, string>; run: string }
    const mapped = Object.entries(step.env).filter(([key]) => key.startsWith('INPUT_'))
    expect(Object.fromEntries(mapped)).toEqual(
      Object.fromEntries(declared.map((name) => [inputVariable(name), `\${{ inputs.${name} }}`])),
    )
    expect(step.run).toBe('node "$GITHUB_ACTION_PATH/dist/index.js"')
  })

  it('installs and caches exactly the native modules core was tested with, onnxruntime-node only for the local engine', async () => {
    const version = (name: string) =>
      JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'node_modules', name, 'package.json'), 'utf8')).version
    const [sharp, ort, protobufjs] = ['sharp', 'onnxruntime-node', 'protobufjs'].map(
      (name) => `${name}@${version(name)}`,
    )
    const install = yml.steps.find((s) => String(s.name).includes('install')) as {
      env: Record<string, string>
      run: string
    }
    expect(install.env.ENGINE).toBe(`\${{ inputs.engine }}`)
    // The step's script as the runner's bash runs it, with an npm on PATH that prints the packages it is asked for.
    const bin = await mkdtemp(join(tmpdir(), 'rembg-kit-npm-'))
    try {
      await writeFile(
        join(bin, 'npm'),
        '#!/bin/sh\nfor a in "$@"; do case "$a" in -*|install|*/*) ;; *) echo "$a";; esac; done\n',
        {
          mode: 0o755,
        },
      )
      const installed = async (engine: string) => {
        const env = {
          ...process.env,
          ...install.env,
          ENGINE: engine,
          RUNNER_TEMP: bin,
          PATH: `${bin}:${process.env.PATH}`,
        }
        return (await promisify(execFile)('bash', ['-e', '-c', install.run], { env })).stdout.trim().split('\n')
      }
      expect(await installed('local')).toEqual([sharp, ort, protobufjs])
      expect(await installed('remote')).toEqual([sharp])
    } finally {
      await rm(bin, { recursive: true, force: true })
    }
    const cache = yml.steps.find((s) => s.id === 'runtime') as { with: { key: string } }
    expect(cache.with.key).toBe(
      `rembg-kit-runtime-\${{ inputs.engine == 'local' && '${sharp}-${ort}-${protobufjs}' || '${sharp}' }}-\${{ runner.os }}-\${{ runner.arch }}`,
    )
  })

  it('caches the model once per model file for the whole repository, restored by prefix, saved even after a failure', async () => {
    type CacheStep = { id?: string; if?: string; uses?: string; run?: string; with: Record<string, string> }
    const step = (id: string) => yml.steps.find((s) => s.id === id) as CacheStep
    const ort = `onnxruntime-node@${JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version}`
    const restore = step('model')
    const save = yml.steps.find((s) => s.uses === 'actions/cache/save@v4') as CacheStep
    const prefix = `rembg-kit-model-\${{ runner.os }}-\${{ runner.arch }}-${ort}-`
    expect(restore.uses).toBe('actions/cache/restore@v4')
    expect(restore.with.key).toBe(`${prefix}\${{ steps.model-key.outputs.key }}`)
    expect(restore.with['restore-keys']).toBe(`${prefix}\${{ steps.model-key.outputs.name }}-`)
    // Shared by every pull request and run: nothing in the key names one.
    expect(restore.with.key).not.toMatch(/github\.(sha|ref|head_ref|run_id|run_number|run_attempt|event)|pull_request/)
    expect(save.with).toEqual({ path: restore.with.path, key: restore.with.key })
    expect(save.if).toMatch(/^always\(\) && /)
    expect(yml.steps.indexOf(save)).toBeGreaterThan(yml.steps.findIndex((s) => s.id === 'rembg'))
    for (const cacheStep of [step('model-key'), restore, save])
      expect(cacheStep.if).toContain("inputs.engine == 'local'")

    // The key step's script as the runner's bash runs it, for a registry model and for a repository's .onnx file.
    const keyStep = step('model-key') as CacheStep & { env: Record<string, string> }
    expect(keyStep.env.INPUT_MODEL).toBe(`\${{ inputs.model }}`)
    const workspace = await mkdtemp(join(tmpdir(), 'rembg-kit-model-key-'))
    try {
      const weights = Buffer.from('not really weights, but bytes to hash')
      await mkdir(join(workspace, 'models'))
      await writeFile(join(workspace, 'models', 'shop model.onnx'), weights)
      let outputFiles = 0
      const outputs = async (model: string) => {
        const file = join(workspace, `output-${outputFiles++}.txt`)
        await writeFile(file, '')
        const env = {
          ...process.env,
          INPUT_MODEL: model,
          GITHUB_ACTION_PATH: packageDir,
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: file,
        }
        await promisify(execFile)('bash', ['-e', '-c', keyStep.run as string], { env, cwd: workspace })
        const text = await readFile(file, 'utf8')
        return Object.fromEntries([...text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]))
      }
      expect(await outputs('isnet-general-use')).toEqual({
        name: 'isnet-general-use',
        key: 'isnet-general-use-fc16ebd8b0c10d971d3513d564d01e29',
      })
      expect(await outputs('models/shop model.onnx')).toEqual({
        name: 'models_shop_model.onnx',
        key: `models_shop_model.onnx-${createHash('sha256').update(weights).digest('hex')}`,
      })
    } finally {
      await rm(workspace, { recursive: true, force: true })
    }
  })

  it('declares every output the code sets', () => {
    const source = readFileSync(join(repoRoot, 'packages', 'github-action', 'src', 'main.ts'), 'utf8')
    const set = [...source.matchAll(/setOutput\(\s*'([^']+)'/g)].map((m) => m[1] as string)
    const internal = ['artifact-path'] // read by the upload step, not an output of the action
    expect([...set.filter((name) => !internal.includes(name))].sort()).toEqual(Object.keys(yml.outputs).sort())
    for (const name of Object.keys(yml.outputs)) {
      expect(yml.outputs[name]?.value).toBe(`\${{ steps.rembg.outputs.${name} }}`)
    }
  })
})
