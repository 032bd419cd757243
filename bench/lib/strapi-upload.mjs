// Issue 13: what the Strapi plugin adds to an upload. The example app (examples/strapi) runs in a child process per
// configuration and run, from a copy in the run's work folder (its node_modules linked to the example's, so Strapi
// finds the plugin as the example does), and receives the same 10 photos through the content API: without the plugin,
// with it (sync) and with it (async). In the sync process core alone also makes each photo's cutout right after its
// upload, so that the sync upload's extra time is compared with core's own per-image time under the same load.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { ms, signedMs, table } from './report.mjs'
import { median } from './stats.mjs'

const run = promisify(execFile)
const childScript = fileURLToPath(new URL('./strapi-upload-child.mjs', import.meta.url))
export const asyncGoalMs = 50
export const syncGoal = 1.15
const photoCount = 10
const configurations = [
  { id: 'plain', label: 'without the plugin', plugins: { rembg: { enabled: false } } },
  { id: 'sync', label: 'with the plugin (sync)', plugins: { rembg: { config: { async: false } } } },
  { id: 'async', label: 'with the plugin (async)', plugins: { rembg: { config: { async: true } } } },
]
// A run that hangs must not hold the whole bench: a sync run (boot, model load, 20 cutouts) takes under a minute.
const timeoutMs = 10 * 60 * 1000

/**
 * Measures, with `runs` repeats of 10 uploads each: the content API's answer time per upload in each configuration,
 * and core's per-image time for the same photos (model loaded, a result cache as the plugin has). Each run of each
 * configuration is a fresh process on a fresh database, uploads and result cache (every upload is an inference), and
 * the configurations take turns run by run, so that a change of load on the machine hits all of them. The async
 * configuration waits for each file's `done` before the next upload: its answer times are free of the previous
 * file's background work.
 */
export async function measureStrapiUpload({ root, photos, workDir, runs, log }) {
  const dir = join(workDir, 'strapi-upload')
  const example = join(root, 'examples', 'strapi')
  if (!existsSync(join(root, 'packages', 'strapi-plugin', 'dist', 'server', 'index.js'))) {
    throw new Error('packages/strapi-plugin/dist is missing: build it first (`pnpm --filter ./packages/* run build`)')
  }
  const env = { ...process.env, REMBG_KIT_HOME: join(dir, 'home'), STRAPI_TELEMETRY_DISABLED: 'true' }
  const sources = await makeSources(photos, join(dir, 'photos'))
  const warmup = join(dir, 'warmup.jpg')
  await sharp(sources[0].path).flip().jpeg({ quality: 90 }).toFile(warmup)
  const apps = {}
  for (const config of configurations) apps[config.id] = await copyApp(example, join(dir, `app-${config.id}`), config)

  const results = Object.fromEntries(configurations.map((config) => [config.id, []]))
  for (let turn = 0; turn < runs; turn++) {
    for (const config of configurations) {
      log(`strapi upload: run ${turn + 1}/${runs}, ${sources.length} uploads ${config.label}`)
      await resetApp(apps[config.id])
      results[config.id].push(
        await runChild({ mode: config.id, appDir: apps[config.id], photos: sources, warmup }, dir, env),
      )
    }
  }
  return summarize(results, sources.length)
}

/** 10 distinct photos: each photo as it is, then mirrored, until there are 10 (distinct bytes, real photo sizes). */
async function makeSources(photos, dir) {
  await mkdir(dir, { recursive: true })
  const sources = []
  for (const mirrored of [false, true]) {
    for (const photo of photos) {
      if (sources.length === photoCount) return sources
      const name = `${photo.name}${mirrored ? '-mirrored' : ''}.jpg`
      const path = join(dir, name)
      if (mirrored) await sharp(photo.path).flop().jpeg({ quality: 90 }).toFile(path)
      else await copyFile(photo.path, path)
      sources.push({ name, path })
    }
  }
  return sources
}

/**
 * The example app as `strapi build` leaves it for `strapi start` (server files compiled to CommonJS; the admin panel
 * is not served, so not built), with the configuration's plugin settings in `config/env/production/plugins.js`.
 */
export async function copyApp(example, dir, { plugins }) {
  for (const entry of ['package.json', 'tsconfig.json', 'config', 'src']) {
    await cp(join(example, entry), join(dir, entry), { recursive: true })
  }
  const ts = createRequire(join(example, 'package.json'))('typescript')
  const entries = await readdir(dir, { recursive: true })
  const files = entries.filter((f) => /^(config|src)\/.*(?<!\.d)\.ts$/.test(f))
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(join(dir, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019, esModuleInterop: true },
    })
    const out = join(dir, 'dist', file.replace(/\.ts$/, '.js'))
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, outputText)
  }
  // Content-type schemas are JSON, which `strapi build` copies to dist as they are.
  for (const file of entries.filter((f) => /^src\/.*\.json$/.test(f))) {
    await mkdir(dirname(join(dir, 'dist', file)), { recursive: true })
    await copyFile(join(dir, file), join(dir, 'dist', file))
  }
  await symlink(join(example, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const envDir = join(dir, 'dist', 'config', 'env', 'production')
  await mkdir(envDir, { recursive: true })
  await writeFile(join(envDir, 'plugins.js'), `module.exports = ${JSON.stringify(plugins)}\n`)
  await writeFile(join(envDir, 'logger.js'), `module.exports = { level: 'warn' }\n`)
  return dir
}

/** An empty database, uploads folder and result cache, as a fresh install has. */
export async function resetApp(dir) {
  for (const entry of ['.tmp', '.cache', 'public']) await rm(join(dir, entry), { recursive: true, force: true })
  await mkdir(join(dir, 'public', 'uploads'), { recursive: true })
}

async function runChild(job, dir, env) {
  const jobFile = join(dir, `${job.mode}.job.json`)
  await writeFile(jobFile, JSON.stringify(job))
  // NODE_ENV=production: Strapi reads config/env/production/ (and logs less).
  const { stdout } = await run(process.execPath, [childScript, jobFile], {
    env: { ...env, NODE_ENV: 'production' },
    cwd: job.appDir,
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1))
}

const mean = (values) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN)

/**
 * Per configuration: the median over the runs of the mean upload time over the photos, and of the mean rembg.ms.
 * What a plugin configuration adds is paired run by run (its run minus the plain run of the same turn), then the
 * median over the runs. Core's time is the sync children's core-alone times, summarized the same way.
 */
function summarize(results, photos) {
  const perConfig = (children) => ({
    meanMs: median(children.map((child) => mean(child.uploadMs))),
    perPhotoMs: children[0].uploadMs.map((_, i) => median(children.map((child) => child.uploadMs[i]))),
    processingMs: median(children.map((child) => mean(child.processingMs)).filter((v) => !Number.isNaN(v))),
    problems: children.flatMap((child) => child.problems),
  })
  const added = (id) =>
    median(results[id].map((child, run) => mean(child.uploadMs) - mean(results.plain[run].uploadMs)))
  return {
    photos,
    runs: results.plain.length,
    core: { meanMs: median(results.sync.map((child) => mean(child.coreMs))) },
    plain: perConfig(results.plain),
    sync: { ...perConfig(results.sync), addedMs: added('sync') },
    async: { ...perConfig(results.async), addedMs: added('async') },
  }
}

/** The section: one line per configuration, and what the plugin adds. */
export function strapiUploadSection(result) {
  const rows = [
    ['core alone, per image (model loaded)', ms(result.core.meanMs), '-', '-'],
    ...configurations.map(({ id, label }) => [
      `upload ${label}`,
      ms(result[id].meanMs),
      id === 'plain' ? '-' : signedMs(result[id].addedMs),
      id === 'plain' ? '-' : ms(result[id].processingMs),
    ]),
  ]
  const problems = configurations.flatMap((c) => result[c.id].problems)
  return [
    table(['content API upload of a photo', 'mean ms', 'added ms', 'rembg.ms'], rows),
    '',
    `${result.photos} photos uploaded one by one; the mean over them per run, the median of ${result.runs} runs ` +
      '(added: paired with the plain run of the same turn). Every plugin upload is an inference (fresh result cache). ' +
      "rembg.ms is the plugin's own processing time recorded on the file: core, the cutout's sizes, storing, the " +
      'row update.',
    ...problems.map((problem) => `problem: ${problem}`),
  ].join('\n')
}

/** The summary's targets: what async and sync add to an upload. */
export function strapiUploadTargets(result) {
  const valid = (...ids) => ids.every((id) => result[id].problems.length === 0)
  const syncLimit = result.core.meanMs * syncGoal
  return [
    {
      label: `async plugin adds <= ${asyncGoalMs} ms per upload (issue 13)`,
      figure: `${signedMs(result.async.addedMs)} ms`,
      ok: valid('plain', 'async') ? result.async.addedMs <= asyncGoalMs : null,
    },
    {
      label: `sync plugin adds <= core's per-image time + ${Math.round((syncGoal - 1) * 100)} % (issue 13)`,
      figure: `${signedMs(result.sync.addedMs)} ms, limit ${ms(syncLimit)} ms (core ${ms(result.core.meanMs)} ms)`,
      ok: valid('plain', 'sync') ? result.sync.addedMs <= syncLimit : null,
    },
  ]
}
