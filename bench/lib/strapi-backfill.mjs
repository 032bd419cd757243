// Issue 23: a backfill of 50 images through the Strapi plugin's queue against core alone on the same images. The
// example app (a copy, as the Strapi upload section makes it) receives the 50 images unprocessed, then processes the
// whole library in one job (`POST /rembg/library/process`, progress from `GET /rembg/jobs/:id`); core alone processes
// the same 50 with the same model, output and concurrency. Each run of each is a fresh process with a fresh result
// cache (every image is an inference), and the two take turns run by run, so that a change of load hits both.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { ms, num, table } from './report.mjs'
import { median } from './stats.mjs'
import { copyApp, resetApp } from './strapi-upload.mjs'

const run = promisify(execFile)
const childScript = fileURLToPath(new URL('./strapi-backfill-child.mjs', import.meta.url))
const imageCount = 50
/** The backfill's throughput at least this share of core's. */
const throughputGoal = 0.9
/** Peak RSS at the last image at most this multiple of the peak at the 10th: flat, not growing with the images. */
const rssGrowthGoal = 1.1
const model = 'isnet-imgly'
const concurrency = 1
// A run that hangs must not hold the whole bench: 50 inferences take a few minutes on 2 busy cores.
const timeoutMs = 20 * 60 * 1000

/** Measures `runs` pairs of (core alone, Strapi backfill) on the same 50 images. */
export async function measureStrapiBackfill({ root, photos, workDir, runs, log }) {
  const dir = join(workDir, 'strapi-backfill')
  const images = await makeImages(photos, join(dir, 'images'))
  const warmup = join(dir, 'warmup.jpg')
  await sharp(photos[0].path).rotate(180).jpeg({ quality: 90 }).toFile(warmup)
  const plugins = { rembg: { config: { model, concurrency, params: { format: 'png' } } } }
  const app = await copyApp(join(root, 'examples', 'strapi'), join(dir, 'app'), { plugins })
  // One model home for every run: the model's first preparation is nobody's time.
  const env = { ...process.env, REMBG_KIT_HOME: join(dir, 'home'), STRAPI_TELEMETRY_DISABLED: 'true' }
  const results = { core: [], strapi: [] }
  for (let turn = 0; turn < runs; turn++) {
    log(`strapi backfill: run ${turn + 1}/${runs}, ${images.length} images through core alone`)
    const cacheDir = join(dir, 'core-cache')
    await rm(cacheDir, { recursive: true, force: true })
    results.core.push(await runChild({ mode: 'core', images, warmup, cacheDir, model, concurrency }, dir, env))
    log(`strapi backfill: run ${turn + 1}/${runs}, ${images.length} images through the plugin's queue`)
    await resetApp(app)
    results.strapi.push(await runChild({ mode: 'strapi', appDir: app, images, warmup }, dir, env))
  }
  return summarize(results)
}

/** 50 distinct images made from the photos: each photo as it is, then mirrored, flipped, scaled... until 50. */
async function makeImages(photos, dir) {
  await mkdir(dir, { recursive: true })
  /** @type {Array<[string, ((image: import('sharp').Sharp, photo: { width: number }) => import('sharp').Sharp) | null]>} */
  const variants = [
    ['', null],
    ['-mirrored', (image) => image.flop()],
    ['-flipped', (image) => image.flip()],
    ['-turned', (image) => image.rotate(180)],
    ['-90pct', (image, { width }) => image.resize(Math.round(width * 0.9))],
    ['-90pct-mirrored', (image, { width }) => image.resize(Math.round(width * 0.9)).flop()],
    ['-80pct', (image, { width }) => image.resize(Math.round(width * 0.8))],
    ['-80pct-mirrored', (image, { width }) => image.resize(Math.round(width * 0.8)).flop()],
  ]
  const images = []
  for (const [suffix, transform] of variants) {
    for (const photo of photos) {
      if (images.length === imageCount) return images
      const name = `${photo.name}${suffix}.jpg`
      const path = join(dir, name)
      if (transform) await transform(sharp(photo.path), photo).jpeg({ quality: 90 }).toFile(path)
      else await copyFile(photo.path, path)
      images.push({ name, path })
    }
  }
  if (images.length < imageCount) throw new Error(`${photos.length} photos make ${images.length} images, not 50`)
  return images
}

async function runChild(job, dir, env) {
  const jobFile = join(dir, `${job.mode}.job.json`)
  await writeFile(jobFile, JSON.stringify(job))
  // NODE_ENV=production: Strapi reads config/env/production/ (and logs less).
  const { stdout } = await run(process.execPath, [childScript, jobFile], {
    env: { ...env, NODE_ENV: 'production' },
    cwd: job.appDir ?? dir,
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1))
}

const mean = (values) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN)

/** Per mode: images per second (median over the runs); the ratio paired run by run; the RSS samples. */
function summarize(results) {
  const perSecond = (child) => (child.images / child.ms) * 1000
  const mode = (children) => ({
    perSecond: median(children.map(perSecond)),
    processingMs: median(children.map((child) => mean(child.processingMs ?? []))),
    rss10: median(children.map((child) => child.samples[10]?.rssMib ?? Number.NaN)),
    rss50: median(children.map((child) => child.samples[imageCount]?.rssMib ?? Number.NaN)),
    peak10: median(children.map((child) => child.samples[10]?.peakMib ?? Number.NaN)),
    peak50: median(children.map((child) => child.samples[imageCount]?.peakMib ?? Number.NaN)),
    problems: children.flatMap((child) => child.problems),
  })
  return {
    runs: results.core.length,
    core: mode(results.core),
    strapi: mode(results.strapi),
    ratio: median(results.strapi.map((child, i) => perSecond(child) / perSecond(results.core[i]))),
    peakGrowth: median(
      results.strapi.map((child) => (child.samples[imageCount]?.peakMib ?? Number.NaN) / child.samples[10]?.peakMib),
    ),
  }
}

/** The section: one line per mode, and how the two compare. */
export function strapiBackfillSection(result) {
  const mib = (value) => (Number.isNaN(value) ? '-' : `${Math.round(value)}`)
  const row = (label, m) => [
    label,
    num(m.perSecond, 2),
    ms(1000 / m.perSecond),
    ms(m.processingMs),
    mib(m.rss10),
    mib(m.peak10),
    mib(m.rss50),
    mib(m.peak50),
  ]
  const problems = [...result.core.problems, ...result.strapi.problems]
  return [
    table(
      [
        '50 images',
        'images/s',
        'ms/image',
        'rembg.ms',
        'RSS@10 MiB',
        'peak@10 MiB',
        `RSS@${imageCount} MiB`,
        `peak@${imageCount} MiB`,
      ],
      [
        row('core alone (createRemover, PNG)', result.core),
        row("Strapi backfill through the plugin's queue", result.strapi),
      ],
    ),
    '',
    `Median of ${result.runs} run(s); the throughput ratio is paired run by run. Model ${model}, concurrency ` +
      `${concurrency}, a fresh result cache per run (every image an inference), the model loaded by a warm-up first. ` +
      "The backfill's time runs from POST /rembg/library/process to the job's end: reading each original back, core, " +
      "Strapi's thumbnail and sizes of each cutout, storing, the row updates. RSS of the process (Strapi's, or core " +
      "alone's) when the 10th and the last image are finished; peak is the process's high-water mark so far. " +
      "rembg.ms: the plugin's own time recorded on each file (core, the cutout's sizes, storing, the row update), " +
      'the mean over the files; ms/image minus rembg.ms is what the queue adds around it (reading, records).',
    ...problems.map((problem) => `problem: ${problem}`),
  ].join('\n')
}

/** The summary's targets: throughput against core, and a peak RSS that does not grow from image 10 to image 50. */
export function strapiBackfillTargets(result) {
  const valid = result.core.problems.length === 0 && result.strapi.problems.length === 0
  return [
    {
      label: `Strapi backfill of ${imageCount} images >= ${throughputGoal}x core's throughput (issue 23)`,
      figure: `${num(result.ratio, 2)}x (${num(result.strapi.perSecond, 2)} against ${num(result.core.perSecond, 2)} images/s)`,
      ok: valid && !Number.isNaN(result.ratio) ? result.ratio >= throughputGoal : null,
    },
    {
      label: `Strapi backfill peak RSS at image ${imageCount} <= ${rssGrowthGoal}x at image 10 (issue 23)`,
      figure: `${num(result.peakGrowth, 3)}x (${Math.round(result.strapi.peak10)} -> ${Math.round(result.strapi.peak50)} MiB)`,
      ok: valid && !Number.isNaN(result.peakGrowth) ? result.peakGrowth <= rssGrowthGoal : null,
    },
  ]
}
