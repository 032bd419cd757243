// Issue 11: the first cutout of a process against the further ones of a batch. Every process here uses a model home
// of its own (converted once by a first process), so the saved session form can be removed without touching the
// user's, and runs the CLI or the parts script with the IS-Net weights of @imgly/background-removal-data.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ms, table } from './report.mjs'
import { median } from './stats.mjs'

const run = promisify(execFile)
const partsScript = fileURLToPath(new URL('./cold-start-child.mjs', import.meta.url))
export const coldStartGoal = 2.0

async function timedNode(args, env) {
  const started = performance.now()
  const { stdout, stderr } = await run(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 })
  return { wallMs: performance.now() - started, stdout, stderr }
}

/**
 * Measures, with `runs` repeats each: the wall time of a one-image CLI process (model on disk, no result cache), the
 * parts of such a process with the saved session form, rebuilding it, and with glibc's huge-page malloc; and the
 * per-image time of a batch of every photo in one CLI process (`--concurrency 1`: the CLI's per-file times are then
 * each file's own).
 */
export async function measureColdStart({ root, photos, workDir, runs, log }) {
  const home = join(workDir, 'cold-start-home')
  const env = { ...process.env, REMBG_KIT_HOME: home }
  const cli = join(root, 'packages', 'core', 'bin', 'rembg-kit.js')
  const one = photos.find((p) => p.name === 'car-1') ?? photos[0]
  const remove = (inputs, output) => [cli, 'remove', ...inputs, '-o', output, '--model', 'isnet-imgly', '--no-cache']
  log('cold start: converting the model into a home of its own')
  await timedNode(remove([one.path], join(workDir, 'cold-prepare.png')), env)

  const cliWall = []
  for (let i = 0; i < runs; i++)
    cliWall.push((await timedNode(remove([one.path], join(workDir, 'cold.png')), env)).wallMs)

  const parts = async (label, extraEnv = {}, before = async () => {}) => {
    const rows = []
    for (let i = 0; i < runs; i++) {
      await before()
      const { stdout } = await timedNode([partsScript, one.path], { ...env, ...extraEnv })
      rows.push(JSON.parse(stdout.trim().split('\n').at(-1)))
    }
    const keys = ['startMs', 'importMs', 'sessionMs', 'decodeMs', 'firstRunMs', 'encodeMs', 'totalMs']
    return { label, form: rows[0].form, ...Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k]))])) }
  }
  log('cold start: parts of a one-image process')
  const saved = await parts('saved session form')
  const rebuilt = await parts('session form rebuilt', {}, () =>
    rm(join(home, 'models', 'sessions'), { recursive: true }),
  )
  const hugetlb = await parts('saved form, GLIBC_TUNABLES=glibc.malloc.hugetlb=1', {
    GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
  })

  log(`cold start: a batch of ${photos.length} photos in one process`)
  const batchDir = join(workDir, 'cold-batch')
  await mkdir(batchDir, { recursive: true })
  for (const photo of photos) await copyFile(photo.path, join(batchDir, `${photo.name}.jpg`))
  const batch = await timedNode([...remove([batchDir], join(workDir, 'cold-batch-out/')), '--concurrency', '1'], env)
  // "ok   in -> out (WxH, 1234 ms, computed)" per file, in the order they finished (one at a time here).
  const perFile = [...batch.stdout.matchAll(/\((\d+)x(\d+), (\d+) ms, computed\)/g)].map((m) => Number(m[3]))
  return {
    photo: one.name,
    cliWallMs: median(cliWall),
    parts: [saved, rebuilt, hugetlb],
    batch: { wallMs: batch.wallMs, files: perFile.length, furtherMs: median(perFile.slice(1)), firstMs: perFile[0] },
  }
}

/** The section: the parts table and the batch line. */
export function coldStartSection(result) {
  const headers = ['one-image process', 'form', 'node start', 'imports', 'session', 'decode', 'first run', 'encode']
  const parts = ['startMs', 'importMs', 'sessionMs', 'decodeMs', 'firstRunMs', 'encodeMs']
  const rows = result.parts.map((p) => [p.label, p.form, ...parts.map((key) => ms(p[key]))])
  return [
    table(headers, rows),
    '',
    `CLI, one image (${result.photo}): ${ms(result.cliWallMs)} ms wall, the median of the runs (Node's start included)`,
    `CLI, batch of ${result.batch.files}: ${ms(result.batch.wallMs)} ms wall; first file ${ms(result.batch.firstMs)} ms, ` +
      `each further file ${ms(result.batch.furtherMs)} ms (median)`,
  ].join('\n')
}

/** The summary's target: the one-image process against one further image of a batch. */
export function coldStartTarget(result) {
  const ratio = result.cliWallMs / result.batch.furtherMs
  return {
    label: `one-image CLI process <= ${coldStartGoal}x a batch's per-image time (issue 11)`,
    figure: `${ratio.toFixed(2)}x (${ms(result.cliWallMs)} ms / ${ms(result.batch.furtherMs)} ms)`,
    ok: Number.isFinite(ratio) ? ratio <= coldStartGoal : null,
  }
}
