import { execFile } from 'node:child_process'
import { link, mkdir, open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { createLocalEngine } from '../src/engines/local.js'
import { modelDirs } from '../src/models/store.js'
import {
  cpuIdentity,
  inspectSavedForm,
  type SavedFormRecord,
  savedFormKey,
  savedFormPaths,
} from '../src/onnx/saved-form.js'
import { repoRoot, tempDir, testModel } from './helpers.js'

const dist = join(repoRoot, 'packages', 'core', 'dist', 'index.js')
const scenes = join(repoRoot, 'examples', 'demo', 'scenes.mjs')

// One process as a user's would be: load the engine, make one matte, report how the session was made.
const childScript = `
const { createLocalEngine } = await import(${JSON.stringify(dist)})
const { renderScene } = await import(${JSON.stringify(scenes)})
const scene = await renderScene('ball', 320, 240)
const engine = createLocalEngine({ model: ${JSON.stringify(testModel)} })
const { form } = await engine.load()
const matte = await engine.matte({ data: scene.rgb, width: scene.width, height: scene.height, channels: 3 })
process.stdout.write(JSON.stringify({ form, matte: Buffer.from(matte).toString('base64') }))
`

interface ChildRun {
  form: string
  matte: Buffer
  stderr: string
}

async function runProcess(home: string): Promise<ChildRun> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', childScript], {
    env: { ...process.env, REMBG_KIT_HOME: home },
    maxBuffer: 16 * 1024 * 1024,
  })
  const { form, matte } = JSON.parse(stdout) as { form: string; matte: string }
  return { form, matte: Buffer.from(matte, 'base64'), stderr }
}

function maxDifference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
  return max
}

/**
 * A model home of its own for each test, holding the converted model of the shared test home (hard links: no copy,
 * no conversion), and the path of the saved form the engine will make there.
 */
async function freshHome(): Promise<{ home: string; form: { model: string; record: string } }> {
  const shared = modelDirs().home
  const home = await tempDir('saved-form-')
  const models = join(home, 'models')
  await mkdir(models, { recursive: true })
  const files = (await readdir(shared)).filter((name) => name.startsWith(`${testModel}.`) && name.endsWith('.onnx'))
  for (const name of files) await link(join(shared, name), join(models, name))
  const optimized = files.find((name) => name.endsWith('.opt.onnx') && !name.includes('winograd')) as string
  return { home, form: savedFormPaths(join(models, 'sessions'), join(models, optimized)) }
}

const readRecord = async (path: string): Promise<SavedFormRecord> =>
  JSON.parse(await readFile(path, 'utf8')) as SavedFormRecord

const warning = (path: string, reason: string): string =>
  `rembg-kit: the saved session form ${path} ${reason}; rebuilding it\n`

describe('saved session form (a second process skips graph optimisation)', () => {
  let reference: ChildRun

  beforeAll(async () => {
    // Makes sure the shared test home holds the assembled and converted model the fresh homes link to.
    await createLocalEngine({ model: testModel }).load()
    const { home } = await freshHome()
    reference = await runProcess(home)
  })

  it('is saved by the first process and loaded by the next, giving the same matte', async () => {
    const { home, form } = await freshHome()
    const first = await runProcess(home)
    expect(first.form).toBe('built')
    expect(first.stderr).toMatch(/model isnet-imgly on cpu, \d+ threads, session form saved for the next runs\n/)
    const record = await readRecord(form.record)
    expect(record.key.cpu).toBe(cpuIdentity())
    expect(record.file.size).toBe((await stat(form.model)).size)
    // The weights are a file of their own beside the graph, which the runtime maps instead of copying.
    const weights = join(dirname(form.model), record.weights.name)
    expect(record.weights.file.size).toBe((await stat(weights)).size)
    expect(record.weights.file.size).toBeGreaterThan(100 * 1024 * 1024)
    expect(record.file.size).toBeLessThan(1024 * 1024)

    const second = await runProcess(home)
    expect(second.form).toBe('saved')
    expect(second.stderr).toMatch(/model isnet-imgly on cpu, \d+ threads, saved session form\n/)
    expect(maxDifference(second.matte, first.matte)).toBeLessThanOrEqual(2)
    expect(maxDifference(second.matte, reference.matte)).toBeLessThanOrEqual(2)
  })

  it.each([
    ['cpu', 'Some Other CPU, flags 000000000000'],
    ['runtime', '1.29.0'],
    ['source', 'a'.repeat(64)],
  ] as const)('is rebuilt, without a warning, when it was made for another %s', async (field, value) => {
    const { home, form } = await freshHome()
    await runProcess(home)
    const record = await readRecord(form.record)
    await writeFile(form.record, JSON.stringify({ ...record, key: { ...record.key, [field]: value } }))

    const rebuilt = await runProcess(home)
    expect(rebuilt.form).toBe('built')
    expect(rebuilt.stderr).not.toContain('rebuilding')
    const rebuiltRecord = await readRecord(form.record)
    expect(rebuiltRecord.key[field]).toBe(record.key[field])
    // The old weights file went with the old form: one weights file in the folder, the one the record names.
    const weightsFiles = (await readdir(dirname(form.model))).filter((name) => name.endsWith('.weights'))
    expect(weightsFiles).toEqual([rebuiltRecord.weights.name])
    expect(maxDifference(rebuilt.matte, reference.matte)).toBeLessThanOrEqual(2)
    expect((await runProcess(home)).form).toBe('saved')
  })

  it('replaces a form whose weights file was truncated or removed, with a warning', async () => {
    const { home, form } = await freshHome()
    await runProcess(home)
    const { weights } = await readRecord(form.record)
    await truncate(join(dirname(form.model), weights.name), 1000)

    const rebuilt = await runProcess(home)
    const reason = `its weights file ${weights.name} changed after it was saved`
    expect(rebuilt.stderr).toContain(warning(form.model, `cannot be used (${reason})`))
    expect(rebuilt.form).toBe('built')
    expect(maxDifference(rebuilt.matte, reference.matte)).toBeLessThanOrEqual(2)

    const { weights: second } = await readRecord(form.record)
    await rm(join(dirname(form.model), second.name))
    const again = await runProcess(home)
    expect(again.stderr).toContain(warning(form.model, `cannot be used (its weights file ${second.name} is missing)`))
    expect(again.form).toBe('built')
    expect((await runProcess(home)).form).toBe('saved')
  })

  it('is listed by doctor with whether this machine can load it', async () => {
    const { home, form } = await freshHome()
    const doctor = async (): Promise<string> => {
      const bin = join(repoRoot, 'packages', 'core', 'bin', 'rembg-kit.js')
      const env = { ...process.env, REMBG_KIT_HOME: home }
      return (await promisify(execFile)(process.execPath, [bin, 'doctor', '--model', testModel], { env })).stdout
    }
    expect(await doctor()).toContain(
      `session forms     none in ${join(home, 'models', 'sessions')} yet (the first run of a model on cpu saves one)\n`,
    )
    await runProcess(home)
    const row = (state: string): RegExp =>
      new RegExp(`^  ${basename(form.model).replaceAll('.', '\\.')} +176\\.2 MB +${state}$`, 'm')
    expect(await doctor()).toMatch(row('matches this machine'))
    const record = await readRecord(form.record)
    await writeFile(form.record, JSON.stringify({ ...record, key: { ...record.key, cpu: 'other', runtime: '1.0.0' } }))
    expect(await doctor()).toMatch(row('made for another runtime, cpu: rebuilt on next use'))
  })

  it('replaces a truncated form with a warning', async () => {
    const { home, form } = await freshHome()
    await runProcess(home)
    await truncate(form.model, 1000)

    const rebuilt = await runProcess(home)
    expect(rebuilt.stderr).toContain(warning(form.model, 'cannot be used (the file changed after it was saved)'))
    expect(rebuilt.form).toBe('built')
    expect(maxDifference(rebuilt.matte, reference.matte)).toBeLessThanOrEqual(2)
    expect((await runProcess(home)).form).toBe('saved')
  })

  it('replaces a form whose bytes were changed in place (same size) with a warning', async () => {
    const { home, form } = await freshHome()
    await runProcess(home)
    const size = (await stat(form.model)).size
    const file = await open(form.model, 'r+')
    await file.write(Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2))
    await file.close()
    expect((await stat(form.model)).size).toBe(size)

    const rebuilt = await runProcess(home)
    expect(rebuilt.stderr).toContain(warning(form.model, 'cannot be used (the file changed after it was saved)'))
    expect(maxDifference(rebuilt.matte, reference.matte)).toBeLessThanOrEqual(2)
  })

  it('replaces a form the runtime refuses with a warning, even when its record matches', async () => {
    const { home, form } = await freshHome()
    await runProcess(home)
    await writeFile(form.model, '<html>not a model</html>')
    const record = await readRecord(form.record)
    const now = await stat(form.model)
    const file = { size: now.size, ino: now.ino, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs }
    await writeFile(form.record, JSON.stringify({ ...record, file }))

    const rebuilt = await runProcess(home)
    expect(rebuilt.stderr).toContain(`rembg-kit: the saved session form ${form.model} failed to load (`)
    expect(rebuilt.stderr).toContain('; rebuilding it\n')
    expect(rebuilt.form).toBe('built')
    expect(maxDifference(rebuilt.matte, reference.matte)).toBeLessThanOrEqual(2)
  })
})

describe('inspectSavedForm', () => {
  it('tells none, current, stale (naming what differs) and changed apart', async () => {
    const dir = await tempDir('saved-form-state-')
    const model = join(dir, 'model.onnx')
    await writeFile(model, 'model bytes')
    const key = await savedFormKey(model, '1.30.0', dir)
    expect(await inspectSavedForm(dir, model, key)).toEqual({ state: 'none' })

    const paths = savedFormPaths(dir, model)
    const identity = async (path: string) => {
      const info = await stat(path)
      return { size: info.size, ino: info.ino, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs }
    }
    await writeFile(paths.model, 'saved form')
    await writeFile(join(dir, 'model.1.weights'), 'weights')
    const file = await identity(paths.model)
    const record = {
      key,
      file,
      weights: { name: 'model.1.weights', file: await identity(join(dir, 'model.1.weights')) },
      model,
    }
    await writeFile(paths.record, JSON.stringify(record))
    expect(await inspectSavedForm(dir, model, key)).toEqual({ state: 'current', record })
    expect(await inspectSavedForm(dir, model, { ...key, runtime: '1.31.0', cpu: 'other' })).toEqual({
      state: 'stale',
      record,
      differs: ['runtime', 'cpu'],
    })
    await writeFile(join(dir, 'model.1.weights'), 'weights, changed')
    expect(await inspectSavedForm(dir, model, key)).toEqual({
      state: 'changed',
      reason: 'its weights file model.1.weights changed after it was saved',
    })
    await writeFile(paths.model, 'saved form, changed')
    expect(await inspectSavedForm(dir, model, key)).toEqual({
      state: 'changed',
      reason: 'the file changed after it was saved',
    })
  })

  it('names two model files of one name apart', () => {
    expect(savedFormPaths('/s', '/a/model.onnx').model).not.toBe(savedFormPaths('/s', '/b/model.onnx').model)
  })
})

describe('cpuIdentity', () => {
  const cpuinfo = (flags: string): string =>
    `processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6230\nflags\t\t: ${flags}\n`

  it('is the model name and a hash of the instruction-set flags', () => {
    const identity = cpuIdentity(() => cpuinfo('fpu sse2 avx2 avx512f'))
    expect(identity).toMatch(/^Intel\(R\) Xeon\(R\) Gold 6230, flags [0-9a-f]{12}$/)
    expect(cpuIdentity(() => cpuinfo('fpu sse2 avx2'))).not.toBe(identity)
  })
})
