// Issue 12: a Vite build of an app that imports 20 photos as `?rembg` cutouts (two variants each) against the same app
// importing the same photos plain, each build a real `vite build` process. Everything is written under the run's work
// folder: each app has the plugin installed as a package (node_modules/@rembg-kit/unplugin, a link to the built
// package, as pnpm installs it), and Vite loads its config the default way (bundled, packages left external), as a
// user's build does. (`--configLoader native` on Node 20 resolves every ES import through a module-hooks worker
// thread, which made loading the plugin cost about 3x what it costs a user.)
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { ms, signedMs, table } from './report.mjs'
import { median } from './stats.mjs'

const run = promisify(execFile)
const coreScript = fileURLToPath(new URL('./vite-build-fixture/core-cold.mjs', import.meta.url))
export const warmGoal = 1.15
export const coldGoal = 1.1
const sourceCount = 20
/** Each photo is imported twice, as a page would for a small and a large cutout. */
const variants = [
  { query: 'rembg&w=400&format=webp', params: { w: 400, format: 'webp' } },
  { query: 'rembg&w=800&format=png', params: { w: 800, format: 'png' } },
]
const summaryPattern = /rembg-kit: (\d+) images, (\d+) inferences, (\d+) from cache, ([\d.]+) s/
// A build that hangs must not hold the whole run: a cold build takes under a minute on 2 cores.
const timeoutMs = 10 * 60 * 1000

/**
 * Measures, in one run: the plain build (median of `runs`, at least 5), the `?rembg` build with an empty result cache
 * (median of at most 2 runs: each costs 20 inferences), the `?rembg` build with the cache kept (median of `runs`, at
 * least 5), and core alone making the same 40 cutouts of the same 20 images with an empty cache in one process (as
 * many runs as the cold build). Cold runs alternate with core's, warm runs with plain ones, so that a change of load
 * hits both sides. Needs the plugin built (packages/unplugin/dist).
 */
export async function measureViteBuild({ root, photos, workDir, runs, log }) {
  const dir = join(workDir, 'vite-build')
  const env = { ...process.env, REMBG_KIT_HOME: join(dir, 'home') }
  const plugin = join(root, 'packages', 'unplugin', 'dist', 'vite.js')
  if (!existsSync(plugin)) {
    throw new Error(
      'packages/unplugin/dist is missing: build the plugin first (`pnpm --filter @rembg-kit/unplugin run build`)',
    )
  }
  const vite = viteBin(root)
  const sources = await makeSources(photos, join(dir, 'sources'))
  const plain = await writeApp(join(dir, 'plain'), sources, null)
  const cacheDir = join(dir, 'rembg', 'rembg-cache')
  const rembg = await writeApp(join(dir, 'rembg'), sources, { plugin, cacheDir })
  // The plain app with the plugin in its config: what loading the plugin costs, apart from the 40 cache hits.
  const loadedCache = join(dir, 'plugin-loaded', 'rembg-cache')
  const loaded = await writeApp(join(dir, 'plugin-loaded'), sources, {
    plugin,
    cacheDir: loadedCache,
    plainImports: true,
  })
  const build = async (app) => parseBuild(await timedNode([vite, 'build'], app, env))
  const core = async () => {
    const jobFile = join(dir, 'core-job.json')
    const job = { images: sources.map((s) => s.path), variants: variants.map((v) => v.params), cacheDir }
    await rm(cacheDir, { recursive: true, force: true })
    await writeFile(jobFile, JSON.stringify(job))
    const { wallMs, stdout } = await timedNode([coreScript, jobFile], dir, env)
    return { wallMs, summary: JSON.parse(stdout.trim().split('\n').at(-1)) }
  }

  log('vite build: converting the model into a home of its own, one plain build to load Vite from disk')
  await timedNode([coreScript, await writeWarmupJob(dir, sources[0].path)], dir, env)
  await build(plain)
  const coldRuns = Math.min(runs, 2)
  const cold = []
  const coreCold = []
  for (let i = 0; i < coldRuns; i++) {
    log(`vite build: cold ?rembg build and core alone, ${i + 1}/${coldRuns}`)
    coreCold.push(await core())
    await rm(cacheDir, { recursive: true, force: true })
    cold.push(await build(rembg))
  }
  // A plain build takes a few hundred milliseconds: more runs steady a ratio of two such short times, at little cost.
  const fastRuns = Math.max(runs, 5)
  const plainRuns = []
  const loadedRuns = []
  const warm = []
  for (let i = 0; i < fastRuns; i++) {
    log(`vite build: plain, plugin loaded and warm ?rembg builds, ${i + 1}/${fastRuns}`)
    plainRuns.push(await build(plain))
    loadedRuns.push(await build(loaded))
    warm.push(await build(rembg))
  }
  return {
    sources: sources.length,
    variants: variants.map((v) => v.query),
    plain: summarize(plainRuns),
    loaded: summarize(loadedRuns),
    cold: summarize(cold),
    warm: summarize(warm),
    core: summarize(coreCold),
  }
}

/** Vite's CLI script, as installed for the plugin (its dev dependency). */
function viteBin(root) {
  const require = createRequire(join(root, 'packages', 'unplugin', 'package.json'))
  return join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js')
}

/**
 * 20 distinct source images from the photos: each photo as it is, then each mirrored, then each cropped to its
 * central 85 % (JPEG q90), until there are 20. Distinct bytes, so each is an inference of its own; sizes stay those
 * of real photos.
 */
async function makeSources(photos, dir) {
  await mkdir(dir, { recursive: true })
  const kinds = [
    { suffix: '', make: (photo, path) => copyFile(photo.path, path) },
    { suffix: '-mirrored', make: (photo, path) => sharp(photo.path).flop().jpeg({ quality: 90 }).toFile(path) },
    {
      suffix: '-cropped',
      make: (photo, path) => sharp(photo.path).extract(centre(photo, 0.85)).jpeg({ quality: 90 }).toFile(path),
    },
  ]
  const sources = []
  for (const kind of kinds) {
    for (const photo of photos) {
      if (sources.length === sourceCount) return sources
      const name = `${photo.name}${kind.suffix}`
      const path = join(dir, `${name}.jpg`)
      await kind.make(photo, path)
      sources.push({ name, path })
    }
  }
  if (sources.length < sourceCount) throw new Error(`vite build: ${sources.length} source images, need ${sourceCount}`)
  return sources
}

function centre({ width, height }, share) {
  const cropWidth = Math.round(width * share)
  const cropHeight = Math.round(height * share)
  return {
    left: Math.floor((width - cropWidth) / 2),
    top: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  }
}

/**
 * A Vite app: index.html, main.js importing every source (twice with the `?rembg` variants when `rembg` is given
 * without `plainImports`, else once plain) and showing them, and a vite.config.mjs with the plugin or none.
 */
async function writeApp(app, sources, rembg) {
  await mkdir(join(app, 'images'), { recursive: true })
  const imports = []
  for (const [i, source] of sources.entries()) {
    await copyFile(source.path, join(app, 'images', `${source.name}.jpg`))
    const file = `./images/${source.name}.jpg`
    const specifiers = rembg && !rembg.plainImports ? variants.map((v) => `${file}?${v.query}`) : [file]
    for (const [j, specifier] of specifiers.entries()) imports.push([`image${i}_${j}`, specifier])
  }
  const main = [
    ...imports.map(([name, specifier]) => `import ${name} from '${specifier}'`),
    '',
    `const urls = [${imports.map(([name]) => name).join(', ')}]`,
    "document.querySelector('#app').append(...urls.map((src) => Object.assign(new Image(), { src })))",
    '',
  ].join('\n')
  const html =
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>bench</title></head>\n' +
    '<body><div id="app"></div><script type="module" src="/main.js"></script></body>\n</html>\n'
  if (rembg) {
    await mkdir(join(app, 'node_modules', '@rembg-kit'), { recursive: true })
    await rm(join(app, 'node_modules', '@rembg-kit', 'unplugin'), { force: true })
    await symlink(dirname(dirname(rembg.plugin)), join(app, 'node_modules', '@rembg-kit', 'unplugin'), 'dir')
  }
  const config = rembg
    ? "import rembg from '@rembg-kit/unplugin/vite'\n\n" +
      `export default { plugins: [rembg({ model: 'isnet-imgly', cacheDir: ${JSON.stringify(rembg.cacheDir)} })] }\n`
    : 'export default {}\n'
  await writeFile(join(app, 'main.js'), main)
  await writeFile(join(app, 'index.html'), html)
  await writeFile(join(app, 'vite.config.mjs'), config)
  return app
}

/** A first, untimed core process on one image: the model is converted into the home, its session form saved. */
async function writeWarmupJob(dir, image) {
  const path = join(dir, 'warmup-job.json')
  const job = { images: [image], variants: [variants[0].params], cacheDir: join(dir, 'warmup-cache') }
  await writeFile(path, JSON.stringify(job))
  return path
}

async function timedNode(args, cwd, env) {
  const started = performance.now()
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd,
      env,
      maxBuffer: 16 * 1024 * 1024,
      timeout: timeoutMs,
    })
    return { wallMs: performance.now() - started, stdout, stderr }
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n')
    throw new Error(`vite build: \`node ${args.join(' ')}\` in ${cwd} failed\n${output || error.message}`)
  }
}

/** The wall time and the plugin's summary line (null for a build without the plugin). */
function parseBuild({ wallMs, stdout, stderr }) {
  const match = `${stdout}\n${stderr}`.match(summaryPattern)
  const summary = match && { images: Number(match[1]), inferences: Number(match[2]), fromCache: Number(match[3]) }
  return { wallMs, summary }
}

/** The median wall time, each run's, and the counts of each run (they should not differ between runs). */
function summarize(results) {
  const times = results.map((r) => r.wallMs)
  return { wallMs: median(times), runs: results.length, times, summaries: results.map((r) => r.summary) }
}

/** What the counts must be: every variant requested, one inference per image when cold, none and all cached when warm. */
function countProblems(result) {
  const images = result.sources * result.variants.length
  const expected = {
    cold: { images, inferences: result.sources, fromCache: 0 },
    warm: { images, inferences: 0, fromCache: images },
    core: { images, inferences: result.sources, fromCache: 0 },
  }
  const problems = []
  for (const [build, counts] of Object.entries(expected)) {
    for (const summary of result[build].summaries) {
      if (!summary) problems.push(`${build}: no summary line in the build's output`)
      else if (Object.entries(counts).some(([key, value]) => summary[key] !== value))
        problems.push(`${build}: ${describeCounts(summary)}, expected ${describeCounts(counts)}`)
    }
  }
  return problems
}

function describeCounts({ images, inferences, fromCache }) {
  return `${images} images, ${inferences} inferences, ${fromCache} from cache`
}

/** The section: one row per build (wall time, the plugin's counts) and the two ratios. */
export function viteBuildSection(result) {
  const headers = ['process', 'runs', 'wall ms', 'min-max ms', 'images', 'inferences', 'from cache']
  const counts = (summary) => (summary ? [summary.images, summary.inferences, summary.fromCache] : ['-', '-', '-'])
  const spread = (times) => `${ms(Math.min(...times))}-${ms(Math.max(...times))}`
  const row = (label, entry) => [
    label,
    entry.runs,
    ms(entry.wallMs),
    spread(entry.times),
    ...counts(entry.summaries.at(-1)),
  ]
  const rows = [
    row('vite build, plain imports', result.plain),
    row('vite build, plain imports, plugin loaded', result.loaded),
    row('vite build, ?rembg, empty cache', result.cold),
    row('vite build, ?rembg, cache kept', result.warm),
    row('core alone, empty cache', result.core),
  ]
  const problems = countProblems(result)
  return [
    `${result.sources} photos, imported as ${result.variants.map((v) => `?${v}`).join(' and ')}; wall time of each ` +
      "process (median of its runs), Node's start included, and the model load for the cold ones",
    '',
    table(headers, rows),
    '',
    `warm / plain: ${ratio(result.warm, result.plain).toFixed(2)}x, ${difference(result.warm, result.plain)} ` +
      `(goal <= ${warmGoal.toFixed(2)}x); cold / core: ${ratio(result.cold, result.core).toFixed(2)}x, ` +
      `${difference(result.cold, result.core)} (goal <= ${coldGoal.toFixed(2)}x)`,
    `of the warm build's ${difference(result.warm, result.plain)}: loading the plugin ` +
      `${difference(result.loaded, result.plain)}, the ${result.sources * result.variants.length} cache hits ` +
      `${difference(result.warm, result.loaded)}`,
    ...problems.map((problem) => `suspect counts, ${problem}`),
  ].join('\n')
}

function ratio(measured, reference) {
  return measured.wallMs / reference.wallMs
}

/** The time the plugin adds, signed: '+245 ms'. */
function difference(measured, reference) {
  const added = measured.wallMs - reference.wallMs
  return `${signedMs(added)} ms`
}

/** The summary's targets: the warm build against the plain one, the cold build against core alone. */
export function viteBuildTargets(result) {
  const problems = countProblems(result)
  const target = (label, measured, reference, goal, builds) => {
    const value = ratio(measured, reference)
    const suspect = problems.filter((problem) => builds.some((build) => problem.startsWith(`${build}:`)))
    const figure = `${value.toFixed(2)}x (${ms(measured.wallMs)} ms / ${ms(reference.wallMs)} ms)`
    // Wrong counts mean the two builds did not do the work compared here: the ratio proves nothing.
    if (suspect.length) return { label, figure: `${figure}, suspect: ${suspect.join('; ')}`, ok: false }
    return { label, figure, ok: Number.isFinite(value) ? value <= goal : null }
  }
  return [
    target(
      `Vite build with ?rembg, cache kept <= ${warmGoal.toFixed(2)}x plain (issue 12)`,
      result.warm,
      result.plain,
      warmGoal,
      ['warm'],
    ),
    target(
      `Vite build with ?rembg, empty cache <= ${coldGoal.toFixed(2)}x core alone (issue 12)`,
      result.cold,
      result.core,
      coldGoal,
      ['cold', 'core'],
    ),
  ]
}
