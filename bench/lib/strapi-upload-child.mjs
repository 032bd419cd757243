// One run of one configuration of the Strapi upload bench (strapi-upload.mjs), in a process of its own: the example
// app booted as `strapi start` would (without the admin panel), a warm-up upload (the model loads), then the photos
// uploaded one by one through the content API with an API token. In the 'sync' configuration core alone also makes
// each photo's cutout right after its upload, in this process with a remover of its own (model loaded, a result cache
// of its own as the plugin has one): the two times are taken side by side, under the same load.
// Prints one JSON line: { uploadMs: [], coreMs: [], processingMs: [rembg.ms of each upload], problems: [] }.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bootStrapi } from './strapi-boot.mjs'

const job = JSON.parse(await readFile(process.argv[2], 'utf8'))
console.log(JSON.stringify(await measure(job)))
process.exit(0)

async function measure({ mode, appDir, photos, warmup }) {
  const strapi = await bootStrapi(appDir)
  const url = `http://127.0.0.1:${strapi.server.httpServer.address().port}`
  const { accessKey } = await strapi
    .service('admin::api-token')
    .create({ name: 'bench', description: '', type: 'full-access', lifespan: null })
  const core = mode === 'sync' ? await coreAlone(join(appDir, '.cache', 'core-alone'), warmup) : null
  const result = { uploadMs: [], coreMs: [], processingMs: [], problems: [] }
  const upload = async (photo) => {
    const body = new FormData()
    body.append('files', new Blob([await readFile(photo.path)], { type: 'image/jpeg' }), photo.name)
    const started = performance.now()
    const response = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessKey}` },
      body,
    })
    const [row] = /** @type {any[]} */ (await response.json())
    const ms = performance.now() - started
    const expected = { plain: undefined, sync: 'done', async: 'pending' }[mode]
    if (row?.rembg?.status !== expected) {
      result.problems.push(`${mode}: ${photo.name} answered rembg.status ${row?.rembg?.status}`)
    }
    // Async: the next upload waits for this one's background work, so that it does not share the cores with it.
    const processed = mode === 'async' ? await waitUntilProcessed(strapi, row.id, photo.name, result.problems) : row
    return { ms, processingMs: processed?.rembg?.ms }
  }
  await upload({ name: 'warmup.jpg', path: warmup })
  for (const photo of photos) {
    const { ms, processingMs } = await upload(photo)
    result.uploadMs.push(ms)
    if (processingMs !== undefined) result.processingMs.push(processingMs)
    if (core) result.coreMs.push(await core(photo))
  }
  await strapi.destroy()
  return result
}

/** Core as the plugin calls it (PNG output, a result cache), warmed up; answers a function timing one photo. */
async function coreAlone(cacheDir, warmup) {
  const { createRemover } = await import('@rembg-kit/core')
  const remover = createRemover({ model: 'isnet-imgly', cacheDir })
  await remover.remove(await readFile(warmup), { format: 'png', fileName: 'warmup.jpg' })
  return async (photo) => {
    const bytes = await readFile(photo.path)
    const started = performance.now()
    await remover.remove(bytes, { format: 'png', fileName: photo.name })
    return performance.now() - started
  }
}

async function waitUntilProcessed(strapi, id, name, problems) {
  for (;;) {
    const row = await strapi.db.query('plugin::upload.file').findOne({ where: { id } })
    // Queued work reads `pending`, then `running` while the queue processes it.
    if (row.rembg?.status !== 'pending' && row.rembg?.status !== 'running') {
      if (row.rembg?.status !== 'done') problems.push(`async: ${name} ended with rembg.status ${row.rembg?.status}`)
      return row
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
