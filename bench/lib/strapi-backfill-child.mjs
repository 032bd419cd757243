// One run of the Strapi backfill bench (strapi-backfill.mjs), in a process of its own, in one of two modes:
// - 'strapi': the example app booted as `strapi start` would (without the admin panel); a warm-up upload processed
//   (the model loads) and deleted; the images uploaded through the content API with the per-upload opt-out (so they
//   wait unprocessed in the Media Library), then one backfill of the whole library through the plugin's queue
//   (`POST /rembg/library/process` with an admin's JWT), its progress read with `GET /rembg/jobs/:id` until it ends.
// - 'core': the same images through core alone (createRemover, same model, PNG out, a fresh result cache, the same
//   concurrency), after the same warm-up.
// Both sample this process's resident set size (now and peak) when the 10th and the last image are finished.
// Prints one JSON line: { ms, images, finished, failed, processingMs?: [], samples: { 10: {...}, 50: {...} },
// problems: [] }.
import { readFile } from 'node:fs/promises'
import { bootStrapi } from './strapi-boot.mjs'

const job = JSON.parse(await readFile(process.argv[2], 'utf8'))
console.log(JSON.stringify(job.mode === 'core' ? await coreAlone(job) : await backfill(job)))
process.exit(0)

/** The process's memory now and at its peak so far, in MiB (Node reads /proc/self on Linux: VmRSS and VmHWM). */
function memory() {
  return { rssMib: process.memoryUsage().rss / 2 ** 20, peakMib: process.resourceUsage().maxRSS / 1024 }
}

/** Records a memory sample when `finished` reaches 10 or the last image (once each). */
function sampler(total, started) {
  const samples = {}
  return {
    samples,
    at(finished) {
      for (const mark of [10, total]) {
        if (finished >= mark && !samples[mark]) samples[mark] = { ...memory(), ms: performance.now() - started }
      }
    },
  }
}

async function coreAlone({ images, warmup, cacheDir, model, concurrency }) {
  const { createRemover, mapLimit } = await import('@rembg-kit/core')
  const remover = createRemover({ model, cacheDir })
  await remover.remove(await readFile(warmup), { format: 'png', fileName: 'warmup.jpg' })
  const problems = []
  let finished = 0
  let failed = 0
  const started = performance.now()
  const memory = sampler(images.length, started)
  await mapLimit(images, concurrency, async (image) => {
    try {
      await remover.remove(await readFile(image.path), { format: 'png', fileName: image.name })
    } catch (error) {
      failed++
      problems.push(`core: ${image.name}: ${error.message}`)
    }
    memory.at(++finished)
  })
  return { ms: performance.now() - started, images: images.length, finished, failed, samples: memory.samples, problems }
}

async function backfill({ appDir, images, warmup }) {
  const strapi = await bootStrapi(appDir)
  const url = `http://127.0.0.1:${strapi.server.httpServer.address().port}`
  const { accessKey } = await strapi
    .service('admin::api-token')
    .create({ name: 'bench', description: '', type: 'full-access', lifespan: null })
  const jwt = await adminJwt(strapi, url)
  const problems = []
  const upload = async (image, fileInfo) => {
    const body = new FormData()
    body.append('files', new Blob([await readFile(image.path)], { type: 'image/jpeg' }), image.name)
    if (fileInfo) body.append('fileInfo', JSON.stringify(fileInfo))
    const response = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessKey}` },
      body,
    })
    const [row] = /** @type {any[]} */ (await response.json())
    return row
  }
  const warm = await upload({ name: 'warmup.jpg', path: warmup })
  if (warm?.rembg?.status !== 'done') problems.push(`warm-up upload answered rembg.status ${warm?.rembg?.status}`)
  // The backfill takes every image of the library: the warm-up must not be one of them.
  await strapi.plugin('upload').service('upload').remove(warm)
  for (const image of images) {
    const row = await upload(image, { rembg: false })
    if (row?.rembg) problems.push(`${image.name} was processed on upload (rembg.status ${row.rembg.status})`)
  }
  const request = async (method, path) => {
    // `connection: close`: on a loaded machine a kept-alive socket can be closed by the server as it is reused.
    const headers = { authorization: `Bearer ${jwt}`, connection: 'close' }
    const response = await fetch(`${url}${path}`, { method, headers })
    const body = /** @type {any} */ (await response.json())
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`)
    return body.job
  }
  const started = performance.now()
  let job = await request('POST', '/rembg/library/process')
  if (job.total !== images.length) problems.push(`the backfill counted ${job.total} files, not ${images.length}`)
  const memory = sampler(images.length, started)
  for (;;) {
    const finished = job.done + job.failed + (job.skipped ?? 0)
    memory.at(finished)
    if (job.state !== 'running') break
    await new Promise((resolve) => setTimeout(resolve, 100))
    job = await request('GET', `/rembg/jobs/${job.id}`)
  }
  const ms = performance.now() - started
  if (job.failed > 0 || job.done !== images.length) {
    problems.push(
      `the backfill ended ${job.state}: ${job.done} done, ${job.failed} failed, ${job.skipped ?? 0} skipped`,
    )
  }
  // The plugin's own time per file (core, the cutout's sizes, storing, the row update), recorded as rembg.ms.
  const rows = await strapi.db.query('plugin::upload.file').findMany({ select: ['rembg'] })
  const processingMs = rows.map((row) => row.rembg?.ms).filter((value) => typeof value === 'number')
  await strapi.destroy()
  const { done: finished, failed } = job
  return { ms, images: images.length, finished, failed, processingMs, samples: memory.samples, problems }
}

/** A super admin made directly, logged in through HTTP: the admin routes take its JWT. */
async function adminJwt(strapi, url) {
  const admin = { email: 'bench@example.com', password: 'Bench1234', firstname: 'Bench', lastname: 'Admin' }
  const superAdmin = await strapi.service('admin::role').getSuperAdmin()
  await strapi
    .service('admin::user')
    .create({ ...admin, registrationToken: null, isActive: true, roles: [superAdmin.id] })
  const response = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  })
  const { data } = /** @type {any} */ (await response.json())
  return data.token ?? data.accessToken
}
