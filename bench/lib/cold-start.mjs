// Issue 11: the first cutout of a process against the further ones of a batch. Every process here uses a model home
// of its own (converted once by a first process), so the saved session form can be removed without touching the
// user's, and runs the CLI or the parts script with the IS-Net weights of @imgly/background-removal-data.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { cLibrary, hugetlbTunable, thpMode } from './host.mjs'
import { ms, table } from './report.mjs'
import { median } from './stats.mjs'

const run = promisify(execFile)
const partsScript = fileURLToPath(new URL('./cold-start-child.mjs', import.meta.url))
/** Issue 24's goals for the one-image process against a further image: 1.5x where THP is `always`, 2.0x elsewhere. */
export function coldStartGoal(thp = thpMode()) {
  return thp === 'always' ? 1.5 : 2.0
}

async function timedNode(args, env) {
  const started = performance.now()
  const { stdout, stderr } = await run(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 })
  return { wallMs: performance.now() - started, stdout, stderr }
}

/**
 * Measures, with `runs` repeats each: the wall time of a one-image CLI process (model on disk, no result cache), the
 * parts of such a process with the saved session form, rebuilding it, and with glibc's huge-page malloc; and the
 * per-image time of a batch of every photo in one CLI process (`--concurrency 1`: the CLI's per-file times are then
 * each file's own). The CLI process and the batch are measured twice: without GLIBC_TUNABLES (whatever the bench's own
 * environment holds) and with the huge-page malloc tunable, beside the host's THP mode and C library.
 */
export async function measureColdStart({ root, photos, workDir, runs, log }) {
  const home = join(workDir, 'cold-start-home')
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, REMBG_KIT_HOME: home }
  delete env.GLIBC_TUNABLES
  const tunedEnv = { ...env, GLIBC_TUNABLES: hugetlbTunable }
  const cli = join(root, 'packages', 'core', 'bin', 'rembg-kit.js')
  const one = photos.find((p) => p.name === 'car-1') ?? photos[0]
  const remove = (inputs, output) => [cli, 'remove', ...inputs, '-o', output, '--model', 'isnet-imgly', '--no-cache']
  log('cold start: converting the model into a home of its own')
  await timedNode(remove([one.path], join(workDir, 'cold-prepare.png')), env)

  const cliWall = async (runEnv) => {
    const walls = []
    for (let i = 0; i < runs; i++)
      walls.push((await timedNode(remove([one.path], join(workDir, 'cold.png')), runEnv)).wallMs)
    return median(walls)
  }
  log('cold start: one-image CLI processes, without and with the tunable')
  const cliWallMs = await cliWall(env)
  const tunedCliWallMs = await cliWall(tunedEnv)

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
  const hugetlb = await parts(`saved form, GLIBC_TUNABLES=${hugetlbTunable}`, { GLIBC_TUNABLES: hugetlbTunable })

  log(`cold start: a batch of ${photos.length} photos in one process`)
  const batchDir = join(workDir, 'cold-batch')
  await mkdir(batchDir, { recursive: true })
  for (const photo of photos) await copyFile(photo.path, join(batchDir, `${photo.name}.jpg`))
  const batch = async (runEnv) => {
    const done = await timedNode(
      [...remove([batchDir], join(workDir, 'cold-batch-out/')), '--concurrency', '1'],
      runEnv,
    )
    // "ok   in -> out (WxH, 1234 ms, computed)" per file, in the order they finished (one at a time here).
    const perFile = [...done.stdout.matchAll(/\((\d+)x(\d+), (\d+) ms, computed\)/g)].map((m) => Number(m[3]))
    return { wallMs: done.wallMs, files: perFile.length, furtherMs: median(perFile.slice(1)), firstMs: perFile[0] }
  }
  const plain = { label: 'no GLIBC_TUNABLES', cliWallMs, batch: await batch(env) }
  const tuned = { label: `GLIBC_TUNABLES=${hugetlbTunable}`, cliWallMs: tunedCliWallMs, batch: await batch(tunedEnv) }
  return {
    photo: one.name,
    thp: thpMode(),
    cLibrary: cLibrary(),
    parts: [saved, rebuilt, hugetlb],
    cli: [plain, tuned],
  }
}

/** The section: the host, the parts table, and the CLI table without and with the tunable. */
export function coldStartSection(result) {
  const headers = ['one-image process', 'form', 'node start', 'imports', 'session', 'decode', 'first run', 'encode']
  const parts = ['startMs', 'importMs', 'sessionMs', 'decodeMs', 'firstRunMs', 'encodeMs']
  const rows = result.parts.map((p) => [p.label, p.form, ...parts.map((key) => ms(p[key]))])
  const cliHeaders = ['CLI environment', `one image (${result.photo})`, 'batch wall', 'batch first', 'further', 'ratio']
  const cliRows = result.cli.map(({ label, cliWallMs, batch }) => [
    label,
    ms(cliWallMs),
    ms(batch.wallMs),
    ms(batch.firstMs),
    ms(batch.furtherMs),
    `${(cliWallMs / batch.furtherMs).toFixed(2)}x`,
  ])
  return [
    `host: THP ${result.thp}, ${result.cLibrary} (the tunable needs glibc 2.35 or later; THP always needs none)`,
    '',
    table(headers, rows),
    '',
    table(cliHeaders, cliRows),
    '',
    `one image: the process's wall time, the median of the runs (Node's start included); batch: ` +
      `${result.cli[0]?.batch.files} photos in one process, 'further' the median time of each file after the first; ` +
      `ratio: one image / further`,
  ].join('\n')
}

/** The summary's targets: the one-image process against one further image of a batch, without and with the tunable. */
export function coldStartTargets(result) {
  const goal = coldStartGoal(result.thp)
  return result.cli.map(({ label, cliWallMs, batch }, index) => {
    const ratio = cliWallMs / batch.furtherMs
    return {
      label: `one-image CLI <= ${goal.toFixed(1)}x a batch's per-image time, THP ${result.thp}, ${label} (issue 24)`,
      figure: `${ratio.toFixed(2)}x (${ms(cliWallMs)} ms / ${ms(batch.furtherMs)} ms)`,
      // The row without the tunable is the target (users' default environment); the other says what it would give.
      ...(index === 0 ? { ok: Number.isFinite(ratio) ? ratio <= goal : null } : { info: true }),
    }
  })
}
