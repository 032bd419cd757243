#!/usr/bin/env node
// `pnpm bench`: @rembg-kit/core against the bare ONNX pipeline it replaces and against @imgly/background-removal-node,
// on the photos of ../shared/photos (beside the repository), one process per configuration so that each peak RSS is
// its own. bench/README.md explains every figure.
//
//   node bench/run.mjs [--runs 3] [--photos DIR] [--out DIR] [--strict]
//                      [--skip imgly,winograd,12mp,cache,quality,coldstart,vitebuild,githubaction,strapi,strapibackfill,server]
//                      [--only photos,coldstart,...] [--server-requests 500] [--help]
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { coldStartSection, coldStartTargets, measureColdStart } from './lib/cold-start.mjs'
import { fastJobs, fastQuality, fastQualitySection, fastSpeedSection, fastSummaryTargets } from './lib/fast-preset.mjs'
import { githubActionSection, githubActionTargets, measureGithubAction } from './lib/github-action.mjs'
import { describeHost } from './lib/host.mjs'
import { assembleImglyMedium, listPhotos, makeComposites, makeTwelveMegapixel, makeWarmup } from './lib/inputs.mjs'
import { cutQuality, matteAgreement } from './lib/metrics.mjs'
import { summaryLines, verdict } from './lib/report.mjs'
import {
  perImageSection,
  processSection,
  qualitySection,
  summarySection,
  twelveMegapixelSection,
} from './lib/sections.mjs'
import { measureServerLoad, serverLoadSection, serverLoadTargets } from './lib/server-load.mjs'
import { runChild } from './lib/spawn.mjs'
import { measureStrapiBackfill, strapiBackfillSection, strapiBackfillTargets } from './lib/strapi-backfill.mjs'
import { measureStrapiUpload, strapiUploadSection, strapiUploadTargets } from './lib/strapi-upload.mjs'
import { describeVersions } from './lib/versions.mjs'
import { measureViteBuild, viteBuildSection, viteBuildTargets } from './lib/vite-build.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sections = 'imgly,winograd,12mp,cache,quality,coldstart,vitebuild,githubaction,strapi,strapibackfill,server'
const usage = `Usage: node bench/run.mjs [options]

Measures @rembg-kit/core against the bare ONNX pipeline and @imgly/background-removal-node on the photos of a
folder, then the adapters (Vite build, Strapi upload, GitHub Action, server load). bench/README.md explains every
figure.

  --runs <n>               runs per configuration (default 3)
  --photos <dir>           folder of *.jpg photos (default ../shared/photos beside the repository)
  --out <dir>              keep the work files here (default: a temporary folder)
  --strict                 exit 1 when a target is missed
  --skip <list>            sections to leave out, comma-separated: ${sections}
  --only <list>            run only these sections (the same names, and photos for the per-photo comparison)
  --server-requests <n>    requests of the server load section (default 500)
  -h, --help               print this help
`
const { values: args } = readArgs(process.argv.slice(2))
const runs = Number(args.runs)
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number from 1 up, got: '${args.runs}'`)
  process.exit(2)
}
const only = args.only === undefined ? null : new Set(args.only.split(',').filter(Boolean))
// --only is --skip of every other section; `photos` names the per-photo comparison of core, which has no --skip.
const skip = new Set([...args.skip.split(','), ...sections.split(',').filter((name) => only && !only.has(name))])
const perPhoto = !only || only.has('photos')
const log = (message) => process.stderr.write(`[bench] ${message}\n`)

process.exitCode = await main()

/** The flags, or the usage: on stdout with exit code 0 for --help, on stderr with 2 for a flag it does not know. */
function readArgs(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string', default: '3' },
        photos: { type: 'string', default: join(root, '..', 'shared', 'photos') },
        skip: { type: 'string', default: '' },
        only: { type: 'string' },
        out: { type: 'string' },
        strict: { type: 'boolean', default: false },
        'server-requests': { type: 'string', default: '500' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${usage}`)
    process.exit(2)
  }
  if (parsed.values.help) {
    process.stdout.write(usage)
    process.exit(0)
  }
  return parsed
}

async function main() {
  const photosDir = resolve(args.photos)
  const photos = existsSync(photosDir) ? await listPhotos(photosDir) : []
  if (photos.length === 0) {
    console.log(`No photos (*.jpg) in ${photosDir}: nothing to measure. Pass --photos DIR to use other photos.`)
    return 0
  }
  if (!existsSync(join(root, 'packages/core/dist/index.js'))) {
    console.error('packages/core/dist is missing: build core first (`pnpm bench` does, or run `pnpm build`).')
    return 1
  }
  const workDir = args.out ? resolve(args.out) : await mkdtemp(join(tmpdir(), 'rembg-kit-bench-'))
  await mkdir(workDir, { recursive: true })
  const started = performance.now()
  // Other work on the machine skews every time here: the load averages before and after tell whether it was quiet.
  const loadBefore = loadavg()[0]
  try {
    /** @type {Awaited<ReturnType<typeof measure>> & { [section: string]: unknown }} */
    const run = await measure(photos, join(photosDir, 'cutouts'), workDir)
    run.coldStart = skip.has('coldstart') ? null : await measureColdStart({ root, photos, workDir, runs, log })
    run.viteBuild = skip.has('vitebuild') ? null : await measureViteBuild({ root, photos, workDir, runs, log })
    run.strapiUpload = skip.has('strapi') ? null : await measureStrapiUpload({ root, photos, workDir, runs, log })
    run.strapiBackfill = skip.has('strapibackfill')
      ? null
      : await measureStrapiBackfill({ root, photos, workDir, runs, log })
    run.githubAction = skip.has('githubaction') ? null : await measureGithubAction({ root, photos, workDir, runs, log })
    const requests = Number(args['server-requests'])
    run.serverLoad = skip.has('server') ? null : await measureServerLoad({ root, photos, workDir, requests, log })
    const failed = print(run, photosDir, workDir)
    const load = `1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s, ${load}`)
    return failed.configs || (args.strict && failed.targets) ? 1 : 0
  } finally {
    if (!args.out) await rm(workDir, { recursive: true, force: true })
  }
}

/** Makes the inputs, runs every configuration in turn (never two at once: they would share the cores) and compares. */
async function measure(photos, cutoutsDir, workDir) {
  if (!perPhoto)
    return { photos, twelve: null, results: {}, composites: [], agreement: {}, agreement12: null, quality: [] }
  log('preparing inputs')
  const modelPath = await assembleImglyMedium(workDir)
  const warmup = await makeWarmup(workDir)
  const twelve = skip.has('12mp')
    ? null
    : await makeTwelveMegapixel(photos.find((p) => p.name === 'car-2') ?? photos[0], workDir)
  const composites = !skip.has('quality') && existsSync(cutoutsDir) ? await makeComposites(cutoutsDir, workDir) : []
  const out = (id) => join(workDir, id)
  const winograd = !skip.has('winograd')
  // The Winograd form is converted on its first load (seconds, over a GB): its own preparation keeps that out of
  // (b/w)'s rows, as `prepare` does for (b).
  const jobs = {
    prepare: { config: 'prepare' },
    pw: winograd ? { config: 'prepare', winograd } : null,
    a: { config: 'naive', images: photos, runs, warmup, modelPath, outDir: out('a') },
    b: { config: 'core', images: photos, runs, warmup, outDir: out('b') },
    bw: winograd ? { config: 'core', images: photos, runs, warmup, winograd, outDir: out('bw') } : null,
    ...(skip.has('fast') ? {} : fastJobs({ photos, composites, runs, warmup, out })),
    c: skip.has('imgly') ? null : { config: 'imgly', images: photos, runs, warmup, outDir: out('c') },
    da: twelve && { config: 'naive', images: [twelve], runs: 1, modelPath, outDir: out('da') },
    db: twelve && { config: 'core', images: [twelve], runs: 1, outDir: out('db') },
    dbw: twelve && winograd ? { config: 'core', images: [twelve], runs: 1, winograd, outDir: out('dbw') } : null,
    e: skip.has('cache') ? null : { config: 'cache', images: photos, runs, warmup, cacheDir: out('cache') },
    q: composites.length ? { config: 'core', images: composites, runs: 1, outDir: out('q') } : null,
  }
  const results = {}
  for (const [id, job] of Object.entries(jobs)) {
    if (!job) continue
    log(`${id}: ${job.config}, ${job.images?.length ?? 0} image(s) x ${job.runs ?? 0}`)
    results[id] = await runChild(id, job, workDir)
    log(`${id}: ${results[id].error ? 'FAILED' : 'done'} in ${(results[id].wallMs / 1000).toFixed(1)} s`)
  }
  const qualityFast = await fastQuality(composites, results)
  return { photos, twelve, results, composites, qualityFast, ...(await compare(photos, twelve, composites, results)) }
}

/** The matte agreement of (a) and (b) per photo and on the 12 MP photo, and the cut quality of each composite. */
async function compare(photos, twelve, composites, results) {
  const ok = (id) => results[id] && !results[id].error
  const output = (id, name) => results[id].images[name].output
  const agreement = {}
  if (ok('a') && ok('b')) {
    for (const { name } of photos) agreement[name] = await matteAgreement(output('a', name), output('b', name))
  }
  const agreement12 =
    twelve && ok('da') && ok('db') ? await matteAgreement(output('da', twelve.name), output('db', twelve.name)) : null
  const quality = []
  if (ok('q')) {
    for (const composite of composites) {
      quality.push({ name: composite.name, ...(await cutQuality(composite.cutout, output('q', composite.name))) })
    }
  }
  return { agreement, agreement12, quality }
}

/** Prints the report; returns how many configurations failed and whether a target failed. */
function print(run, photosDir, workDir) {
  const section = (title, body) => console.log(`\n## ${title}\n${body}`)
  console.log('# rembg-kit benchmark')
  console.log([...describeVersions(), `photos: ${photosDir}, median of ${runs} runs per photo`].join('\n'))
  if (args.out) console.log(`outputs kept in ${workDir}`)
  if (perPhoto) {
    section('Per photo (ms: median wall time of one call, PNG cutout out)', perImageSection(run))
    console.log(legend())
    section('Processes (one per configuration)', processSection(run))
    section('12-megapixel photo', twelveMegapixelSection(run))
    section('Cut quality: core on cutouts pasted over new backgrounds', qualitySection(run))
    if (run.results.bf) {
      const fast = [fastSpeedSection(run), fastQualitySection(run)].join('\n\n')
      section('Preset fast against quality: the same photos and composites (issue 25)', fast)
    }
  }
  if (run.coldStart) section('Cold start: one image per process (issues 11, 24)', coldStartSection(run.coldStart))
  if (run.viteBuild) {
    section(
      'Vite build: 20 photos with ?rembg variants against plain imports (issue 12)',
      viteBuildSection(run.viteBuild),
    )
  }
  if (run.strapiUpload) {
    section('Strapi upload: 10 photos through the content API (issue 13)', strapiUploadSection(run.strapiUpload))
  }
  if (run.strapiBackfill) {
    section(
      "Strapi backfill: 50 images through the plugin's queue against core alone (issue 23)",
      strapiBackfillSection(run.strapiBackfill),
    )
  }
  if (run.githubAction) {
    section(
      'GitHub Action: a pull request of 5 photos against the CLI (issue 14)',
      githubActionSection(run.githubAction),
    )
  }
  if (run.serverLoad) {
    section('Server under load: clients posting the photos to one server (issue 15)', serverLoadSection(run.serverLoad))
  }
  const extraTargets = [
    ...(run.results.bf ? fastSummaryTargets(run) : []),
    ...(run.coldStart ? coldStartTargets(run.coldStart) : []),
    ...(run.viteBuild ? viteBuildTargets(run.viteBuild) : []),
    ...(run.strapiUpload ? strapiUploadTargets(run.strapiUpload) : []),
    ...(run.strapiBackfill ? strapiBackfillTargets(run.strapiBackfill) : []),
    ...(run.githubAction ? githubActionTargets(run.githubAction) : []),
    ...(run.serverLoad ? serverLoadTargets(run.serverLoad) : []),
  ]
  const summary = perPhoto ? summarySection(run, extraTargets) : summaryLines(extraTargets)
  // The host's THP mode and C library decide the cold-start figures: the summary says which case they belong to.
  section('Summary', [describeHost(), ...summary].join('\n'))
  const errors = Object.entries(run.results).filter(([, result]) => result.error)
  for (const [id, result] of errors) section(`${id} failed`, result.error)
  if (perPhoto && !run.results.c) console.log('\n(c) skipped (--skip imgly)')
  if (perPhoto && !run.results.bw) console.log('\n(b/w) skipped (--skip winograd)')
  return {
    configs: errors.filter(([id]) => id !== 'c').length,
    targets: summary.some((line) => line.startsWith(verdict(false))),
  }
}

/** Under the per-photo table: what its columns are, for output pasted without the README. */
function legend() {
  return `
(a) bare pipeline, '(a) run' its session.run alone; (b) core without cache; (b/w) (b) with winograd: true;
(c) @imgly/background-removal-node; miss / hit: core with a cache, first call / median of the ${runs} calls after
it; Δα>2 %: share of pixels whose alpha differs between (a) and (b) by more than 2/255, max Δα the largest
difference. See bench/README.md.`
}
