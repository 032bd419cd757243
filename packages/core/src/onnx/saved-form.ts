/**
 * onnxruntime's own optimised form of a model, saved by the first session and loaded by later processes with graph
 * optimisation off. Optimising the graph ('all': NCHWc layouts, fused convolutions) costs every process 0.4 to 2 s
 * before its first matte; loading the saved form costs about a tenth of that and runs at the same speed.
 *
 * The saved form holds choices made for this CPU and this runtime (onnxruntime warns that it "should only be used in
 * the same environment"), so it is a cache entry and nothing more: it is loaded only when its record names this
 * runtime version, this CPU (model and instruction-set flags), this platform and the exact model file it was made
 * from, and when the file is still the one written (size, inode, modification and change times). Anything else is
 * rebuilt; a file that changed since it was written, or that the runtime refuses, is replaced with one warning.
 * Only the cpu provider: other providers compile parts of the graph in ways onnxruntime cannot save.
 *
 * The weights are saved beside the graph, in a file of their own (external initializers), which onnxruntime maps into
 * memory instead of reading and copying: a process then starts without touching 2 x the model's size of fresh memory
 * (about 90 000 page faults for IS-Net, 0.3 to 0.5 s of its cold start; measured by the bench's cold-start section).
 * The weights file gets a new name at each build and is never written again, so a process that has it mapped never
 * sees it change; the record holds its identity too.
 */
import { readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import { cpus } from 'node:os'
import { basename, dirname, extname, join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { type FileIdentity, fileIdentity, rememberedSha256, sameFileIdentity } from '../file-facts.js'
import { writeFileAtomic } from '../fs-atomic.js'
import { sha256 } from '../hash.js'

/** Everything the saved form depends on; a saved form is loaded only when all of it is equal. */
export interface SavedFormKey {
  /** Our layout of the saved form and its record. */
  format: number
  runtime: string
  platform: string
  arch: string
  /** CPU model name and a hash of its instruction-set flags. */
  cpu: string
  /** sha256 of the model file the form was made from. */
  source: string
}

/** The `.json` beside each saved form: its key and the identity of the file as it was written. */
export interface SavedFormRecord {
  key: SavedFormKey
  file: FileIdentity
  /** The weights file the graph refers to (in the same folder) and its identity as it was written. */
  weights: { name: string; file: FileIdentity }
  /** The model file it was made from. */
  model: string
}

/** What the saved form of a model is on this machine, for the engine and `rembg-kit doctor`. */
export type SavedFormState =
  | { state: 'none' }
  | { state: 'current'; record: SavedFormRecord }
  | { state: 'stale'; record: SavedFormRecord; differs: (keyof SavedFormKey)[] }
  | { state: 'changed'; reason: string }

// 2: the weights in a file of their own (format 1 held them in the graph's file).
const savedFormFormat = 2

/**
 * The CPU as the runtime's kernels see it: on Linux the model name and the instruction-set flags of /proc/cpuinfo
 * (two machines with one model name can differ in flags, e.g. AVX-512 turned off by a hypervisor); elsewhere the model
 * name Node reports.
 *
 * @example
 * cpuIdentity() // 'Intel(R) Xeon(R) Processor, flags 3f2a9c0d11b4'
 */
export function cpuIdentity(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): string {
  try {
    const info = read('/proc/cpuinfo')
    const field = (name: string): string => info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? ''
    const flags = field('flags') || field('Features')
    return `${field('model name') || field('CPU part') || cpus()[0]?.model || 'unknown'}, flags ${sha256(flags).slice(0, 12)}`
  } catch {
    return cpus()[0]?.model ?? 'unknown'
  }
}

/** The key the saved form of `modelPath` must have on this machine. `factsFolder` remembers the model's hash. */
export async function savedFormKey(modelPath: string, runtime: string, factsFolder: string): Promise<SavedFormKey> {
  return {
    format: savedFormFormat,
    runtime,
    platform: process.platform,
    arch: process.arch,
    cpu: cpuIdentity(),
    source: await rememberedSha256(modelPath, factsFolder),
  }
}

/**
 * Where the saved form of `modelPath` and its record live in `dir`: named after the model file and its full path, so
 * two models of one file name never take each other's place.
 */
export function savedFormPaths(dir: string, modelPath: string): { model: string; record: string } {
  const name = `${basename(modelPath, extname(modelPath))}.${sha256(modelPath).slice(0, 8)}.ort`
  return { model: join(dir, `${name}.onnx`), record: join(dir, `${name}.json`) }
}

async function readRecord(path: string): Promise<SavedFormRecord | null> {
  try {
    const record = JSON.parse(await readFile(path, 'utf8')) as SavedFormRecord
    const valid =
      record &&
      typeof record.key === 'object' &&
      typeof record.file === 'object' &&
      typeof record.model === 'string' &&
      (record.key.format !== savedFormFormat ||
        (typeof record.weights?.name === 'string' && typeof record.weights.file === 'object'))
    return valid ? record : null
  } catch {
    return null
  }
}

/**
 * Compares the saved form of `modelPath` in `dir` with `key`.
 *
 * @example
 * const form = await inspectSavedForm(dir, modelPath, await savedFormKey(modelPath, '1.30.0', dir))
 * if (form.state === 'stale') console.log('made for another', form.differs.join(', '))
 */
export async function inspectSavedForm(dir: string, modelPath: string, key: SavedFormKey): Promise<SavedFormState> {
  const paths = savedFormPaths(dir, modelPath)
  const [record, file] = await Promise.all([readRecord(paths.record), fileIdentity(paths.model)])
  if (!record && !file) return { state: 'none' }
  if (!record) return { state: 'changed', reason: 'its record is missing or unreadable' }
  if (!file) return { state: 'changed', reason: 'the file is missing' }
  const differs = (Object.keys(key) as (keyof SavedFormKey)[]).filter((name) => record.key[name] !== key[name])
  if (differs.length > 0) return { state: 'stale', record, differs }
  if (!sameFileIdentity(record.file, file)) return { state: 'changed', reason: 'the file changed after it was saved' }
  const weights = await fileIdentity(join(dir, basename(record.weights.name)))
  if (!weights) return { state: 'changed', reason: `its weights file ${record.weights.name} is missing` }
  if (!sameFileIdentity(record.weights.file, weights)) {
    return { state: 'changed', reason: `its weights file ${record.weights.name} changed after it was saved` }
  }
  return { state: 'current', record }
}

export type CreateSession = (
  path: string,
  options: ort.InferenceSession.SessionOptions,
) => Promise<ort.InferenceSession>

/** How the session was made: from the saved form, by optimising and saving it, or by optimising (nothing saved). */
export type SessionForm = 'saved' | 'built' | 'unsaved'

/**
 * Opens `modelPath` on the cpu provider through its saved form in `dir`: loads the form when it is current, else
 * optimises the model and saves the form for the next process (atomically: the runtime writes a temporary file that
 * is renamed into place, then the record is written). A form that changed since it was written, or that the runtime
 * refuses, is removed with one warning on stderr and rebuilt. A folder that cannot be written costs only the saving.
 */
export async function openWithSavedForm(
  modelPath: string,
  settings: ort.InferenceSession.SessionOptions,
  context: { dir: string; runtime: string; create: CreateSession; warn: (message: string) => void },
): Promise<{ session: ort.InferenceSession; form: SessionForm }> {
  const { dir, create, warn } = context
  const paths = savedFormPaths(dir, modelPath)
  const key = await savedFormKey(modelPath, context.runtime, dir)
  const found = await inspectSavedForm(dir, modelPath, key)
  if (found.state === 'current') {
    try {
      return { session: await create(paths.model, { ...settings, graphOptimizationLevel: 'disabled' }), form: 'saved' }
    } catch (error) {
      warn(`the saved session form ${paths.model} failed to load (${firstLine(error)}); rebuilding it`)
    }
  } else if (found.state === 'changed') {
    warn(`the saved session form ${paths.model} cannot be used (${found.reason}); rebuilding it`)
  }
  await removeSavedForm(dir, paths)
  return buildSavedForm(modelPath, settings, { ...context, key, paths })
}

/**
 * Removes a saved form: its graph, its record and the weights file the record names. A process still using those
 * weights keeps its mapping (the file goes when it is unmapped); where a mapped file cannot be removed (Windows), it
 * stays until the next rebuild.
 */
async function removeSavedForm(dir: string, paths: { model: string; record: string }): Promise<void> {
  const weights = (await readRecord(paths.record))?.weights?.name
  await Promise.all([
    rm(paths.model, { force: true }),
    rm(paths.record, { force: true }),
    weights === undefined ? undefined : rm(join(dir, basename(weights)), { force: true }).catch(() => {}),
  ])
}

async function buildSavedForm(
  modelPath: string,
  settings: ort.InferenceSession.SessionOptions,
  context: {
    dir: string
    create: CreateSession
    warn: (message: string) => void
    key: SavedFormKey
    paths: { model: string; record: string }
  },
): Promise<{ session: ort.InferenceSession; form: SessionForm }> {
  const { create, key, paths } = context
  const build = `${process.pid}.${Date.now().toString(36)}`
  const temp = `${paths.model}.${build}.tmp`
  // Written by the runtime beside the graph, under the name the graph refers to: unique to this build, never renamed.
  const weightsName = `${basename(paths.model, '.onnx')}.${build}.weights`
  const removeTemp = (): Promise<unknown> =>
    Promise.all([rm(temp, { force: true }), rm(join(dirname(temp), weightsName), { force: true }).catch(() => {})])
  let session: ort.InferenceSession
  try {
    await mkdir(context.dir, { recursive: true })
    // Error level: saving an 'all'-level graph makes the runtime warn that it is hardware specific, which is the point.
    session = await create(modelPath, {
      ...settings,
      optimizedModelFilePath: temp,
      logSeverityLevel: 3,
      extra: {
        session: {
          optimized_model_external_initializers_file_name: weightsName,
          optimized_model_external_initializers_min_size_in_bytes: String(externalWeightsMinBytes),
        },
      },
    })
  } catch (error) {
    await removeTemp()
    // An unwritable folder, a full disk: open the model the ordinary way, which fails again if the model is bad.
    const session = await create(modelPath, settings)
    context.warn(notSaved(context.dir, error))
    return { session, form: 'unsaved' }
  }
  try {
    const weights = await fileIdentity(join(context.dir, weightsName))
    if (!weights) throw new Error(`the runtime wrote no weights file ${weightsName}`)
    await rename(temp, paths.model)
    const file = await fileIdentity(paths.model)
    if (file) {
      const record: SavedFormRecord = { key, file, weights: { name: weightsName, file: weights }, model: modelPath }
      await writeFileAtomic(paths.record, Buffer.from(`${JSON.stringify(record, null, 2)}\n`))
    }
    return { session, form: 'built' }
  } catch (error) {
    await removeTemp()
    context.warn(notSaved(context.dir, error))
    return { session, form: 'unsaved' }
  }
}

// Tensors from this size up go to the weights file; the small ones (shapes, scalars) stay in the graph.
const externalWeightsMinBytes = 1024

const notSaved = (dir: string, error: unknown): string =>
  `could not save the session form in ${dir} (${firstLine(error)}); the next runs will optimise the model again`

function firstLine(error: unknown): string {
  return ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim()
}

/**
 * Whether a saved form listed by {@link listSavedForms} would be loaded on this machine, in words for
 * `rembg-kit doctor`.
 *
 * @example
 * await describeSavedForm(form, dir, '1.30.0') // 'matches this machine' or 'made for another cpu: rebuilt on next use'
 */
export async function describeSavedForm(
  form: { record: SavedFormRecord | null },
  dir: string,
  runtime: string,
): Promise<string> {
  const { record } = form
  if (!record) return 'no record: rebuilt on next use'
  if (!(await fileIdentity(record.model))) return `its model ${record.model} is gone: unused`
  const found = await inspectSavedForm(dir, record.model, await savedFormKey(record.model, runtime, dir))
  if (found.state === 'current') return 'matches this machine'
  if (found.state === 'stale') return `made for another ${found.differs.join(', ')}: rebuilt on next use`
  if (found.state === 'changed') return `${found.reason}: rebuilt on next use`
  return 'missing'
}

/**
 * Every saved form in `dir` with its record, for `rembg-kit doctor`.
 *
 * @example
 * for (const form of await listSavedForms(dir)) console.log(form.path, form.record?.key.cpu)
 */
export async function listSavedForms(
  dir: string,
): Promise<Array<{ path: string; size: number; record: SavedFormRecord | null }>> {
  const entries = await readdir(dir).catch(() => [] as string[])
  const forms = entries.filter((entry) => entry.endsWith('.ort.onnx')).sort()
  return Promise.all(
    forms.map(async (entry) => {
      const path = join(dir, entry)
      const record = await readRecord(path.replace(/\.onnx$/, '.json'))
      const weights = record?.weights ? await fileIdentity(join(dir, basename(record.weights.name))) : null
      return { path, size: ((await fileIdentity(path))?.size ?? 0) + (weights?.size ?? 0), record }
    }),
  )
}
