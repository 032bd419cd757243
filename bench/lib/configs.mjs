// What each child process measures. Every configuration gets a fresh process (bench/lib/child.mjs), so its peak RSS
// is its own and no session, cache or allocator state leaks from one configuration into the next.
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { median, timed } from './stats.mjs'

const require = createRequire(import.meta.url)
const model = 'isnet-imgly'

/** (a) the bare pipeline: load, warm-up on another image, then `runs` runs per image. */
async function naive(job) {
  const { naiveCutout, openNaiveSession } = await import('./naive.mjs')
  const { result: session, ms: loadMs } = await timed(() => openNaiveSession(job.modelPath))
  const warmMs = job.warmup ? (await timed(() => naiveCutout(session, job.warmup))).ms : null
  const images = await eachImage(job, async (path) => {
    const { result, ms } = await timed(() => naiveCutout(session, path))
    return { ms, runMs: result.runMs, png: result.png }
  })
  return { loadMs, warmMs, images }
}

/**
 * (b) core's remover without a cache: every call decodes, infers and encodes. (b/w): the same with `winograd`; (b/f)
 * with `preset: 'fast'`.
 */
async function core(job) {
  const remover = await openRemover(false, job.winograd, job.preset)
  const { ms: loadMs } = await timed(() => remover.engine.load())
  const warmMs = job.warmup ? (await timed(() => remover.remove(job.warmup, { format: 'png' }))).ms : null
  const images = await eachImage(job, async (path) => {
    const { result, ms } = await timed(() => remover.remove(path, { format: 'png' }))
    if (result.cache.matte || result.cache.output) throw new Error(`${path}: a cold run was answered by a cache`)
    return { ms, png: result.data }
  })
  return { loadMs, warmMs, images }
}

/**
 * Only loads core's model: the first load ever assembles and converts it into REMBG_KIT_HOME, once. The Winograd
 * form is a file of its own, converted on its own first load (`job.winograd`).
 */
async function prepare(job) {
  const remover = await openRemover(false, job.winograd, job.preset)
  const { ms: loadMs } = await timed(() => remover.engine.load())
  return { loadMs, warmMs: null, images: {} }
}

/** (c) @imgly/background-removal-node with its default model; its first call loads the model, so it is the warm-up. */
async function imgly(job) {
  const { removeBackground } = await import('@imgly/background-removal-node')
  // Its default publicPath is node_modules/... under the current directory, which pnpm does not lay out: point it at
  // the package's own dist folder.
  const dist = dirname(require.resolve('@imgly/background-removal-node'))
  const config = { publicPath: `${pathToFileURL(dist).href}/` }
  const cutout = async (path) => Buffer.from(await (await removeBackground(pathToFileURL(path), config)).arrayBuffer())
  const warmMs = job.warmup ? (await timed(() => cutout(job.warmup))).ms : null
  const images = await eachImage(job, async (path) => {
    const { result, ms } = await timed(() => cutout(path))
    return { ms, png: result }
  })
  return { loadMs: null, warmMs, images }
}

/**
 * (b) and (b/f) in one process, call by call: per photo and run, the quality call and then the fast one, so that both
 * meet the same load from the rest of the machine (on a shared 2-core host a separate process per preset can see
 * twice the contention of the other). Per photo: each preset's median and the median of the per-pair ratios.
 */
async function pair(job) {
  const quality = await openRemover(false)
  const fast = await openRemover(false, false, 'fast')
  const { ms: loadMs } = await timed(async () => {
    await quality.engine.load()
    await fast.engine.load()
  })
  const cutout = async (remover, path) => {
    const { result, ms } = await timed(() => remover.remove(path, { format: 'png' }))
    if (result.cache.matte || result.cache.output) throw new Error(`${path}: a cold run was answered by a cache`)
    return ms
  }
  const warmMs = job.warmup ? (await cutout(quality, job.warmup)) + (await cutout(fast, job.warmup)) : null
  const images = {}
  for (const { name, path } of job.images) {
    const runs = []
    const fastRuns = []
    const ratios = []
    for (let i = 0; i < job.runs; i++) {
      runs.push(await cutout(quality, path))
      fastRuns.push(await cutout(fast, path))
      ratios.push(fastRuns[i] / runs[i])
    }
    images[name] = { runs, median: median(runs), fastRuns, fastMedian: median(fastRuns), ratio: median(ratios) }
  }
  return { loadMs, warmMs, images }
}

/** (e) core with a cache: one miss per image, then `runs` hits, each of which must be an output hit. */
async function cache(job) {
  const remover = await openRemover(job.cacheDir)
  const { ms: loadMs } = await timed(() => remover.engine.load())
  // Warmed up like (b), so that the first photo's miss is not also the session's first run.
  const warmMs = job.warmup ? (await timed(() => remover.remove(job.warmup, { format: 'png' }))).ms : null
  const images = {}
  for (const { name, path } of job.images) {
    const miss = await timed(() => remover.remove(path, { format: 'png' }))
    const hits = []
    for (let i = 0; i < job.runs; i++) {
      const { result, ms } = await timed(() => remover.remove(path, { format: 'png' }))
      if (!result.cache.output) throw new Error(`${path}: call ${i + 2} was not a cache hit`)
      hits.push(ms)
    }
    images[name] = { missMs: miss.ms, runs: hits, median: median(hits) }
  }
  return { loadMs, warmMs, images }
}

async function openRemover(cacheDir, winograd = false, preset = undefined) {
  const { createRemover } = await import('@rembg-kit/core')
  // The options only where asked for, so that (b) passes exactly the options its README line names.
  const remover = createRemover({ model, cacheDir, ...(winograd ? { winograd } : {}), ...(preset ? { preset } : {}) })
  // Made with a model, so its engine is the local one (which has `load`).
  return /** @type {typeof remover & { engine: import('@rembg-kit/core').LocalEngine }} */ (remover)
}

/** Runs `once` `job.runs` times per image; keeps the times, the median and the last output (written to outDir). */
async function eachImage(job, once) {
  const images = {}
  for (const { name, path } of job.images) {
    const runs = []
    const sessionRuns = []
    let png
    for (let i = 0; i < job.runs; i++) {
      const result = await once(path)
      runs.push(result.ms)
      if (result.runMs !== undefined) sessionRuns.push(result.runMs)
      png = result.png
    }
    const output = join(job.outDir, `${name}.png`)
    await writeFile(output, png)
    images[name] = { runs, median: median(runs), output }
    if (sessionRuns.length) Object.assign(images[name], { sessionRuns, sessionMedian: median(sessionRuns) })
  }
  return images
}

export const configs = { naive, core, prepare, imgly, cache, pair }
