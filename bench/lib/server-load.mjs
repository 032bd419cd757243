// Issue 15: @rembg-kit/server under load. N clients post the photos to one server process on loopback (multipart, as
// the API documents it) until `requests` answers or `maxSeconds` have passed; the server's RSS is sampled from /proc
// all along. Against it: core itself (one process, a Remover, the same N calls in flight) on the same photos, so the
// ratio of the two rates is what HTTP and multipart cost.
import { execFile, spawn } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ms, table } from './report.mjs'
import { median, percentile } from './stats.mjs'

export const serverThroughputGoal = 0.9
const clients = 4
const maxSeconds = 15 * 60
// RSS is compared between the end of warm-up (this share of the requests) and the end of the run.
const warmupShare = 0.1

/** Starts the server's CLI; resolves once `GET /healthz` says the model is loaded. */
async function startServer(root, env) {
  const bin = join(root, 'packages', 'server', 'bin', 'rembg-kit-server.js')
  const args = [
    bin,
    '--port',
    '0',
    '--model',
    'isnet-imgly',
    '--rate-limit',
    '0',
    '--queue',
    '64',
    '--log-level',
    'info',
  ]
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (chunk) => {
      text += chunk
      const found = text.match(/Server listening at (http:\/\/[\d.:]+)/)
      if (found) resolve(found[1])
    })
    child.on('exit', (code) => reject(new Error(`server: exited with ${code} before listening\n${text.slice(-2000)}`)))
  })
  while ((await fetch(`${url}/healthz`).catch(() => null))?.status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const stopped = new Promise((resolve) => child.on('exit', resolve))
  const stop = () => {
    child.kill('SIGTERM')
    return stopped
  }
  return { url, pid: child.pid, stop }
}

/** Resident memory of a process, in bytes, from /proc (Linux). */
async function rssOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1])
  return Number.isFinite(kb) ? kb * 1024 : Number.NaN
}

/** N clients in a loop over the photos; every answer's status and latency is kept. */
async function load(url, photos, requests, rssSamples, pid) {
  const bodies = await Promise.all(
    photos.map(async (photo) => ({ name: photo.name, bytes: await readFile(photo.path) })),
  )
  const answers = []
  let next = 0
  const deadline = performance.now() + maxSeconds * 1000
  const sampler = setInterval(async () => rssSamples.push({ at: answers.length, rss: await rssOf(pid) }), 250)
  const client = async () => {
    while (next < requests && performance.now() < deadline) {
      const photo = bodies[next++ % bodies.length]
      const form = new FormData()
      form.append('image', new Blob([photo.bytes], { type: 'image/jpeg' }), `${photo.name}.jpg`)
      form.append('format', 'png')
      const started = performance.now()
      const answer = await fetch(`${url}/rmbg`, { method: 'POST', body: form }).then(
        async (response) => ({ status: response.status, bytes: (await response.arrayBuffer()).byteLength }),
        (error) => ({ status: 0, error: error.message }),
      )
      answers.push({ ...answer, ms: performance.now() - started })
    }
  }
  const started = performance.now()
  try {
    await Promise.all(Array.from({ length: clients }, client))
  } finally {
    clearInterval(sampler)
  }
  return { answers, seconds: (performance.now() - started) / 1000, sent: next }
}

/** Core's own rate: a Remover with the same calls in flight, no HTTP (a child process, the model loaded first). */
async function coreRate(root, photos, count, env, dir) {
  const script = join(dir, 'core-rate.mjs')
  const source = `
    import { readFile } from 'node:fs/promises'
    import { createRemover } from ${JSON.stringify(join(root, 'packages', 'core', 'dist', 'index.js'))}
    const paths = ${JSON.stringify(photos.map((p) => p.path))}
    const bytes = await Promise.all(paths.map((p) => readFile(p)))
    const remover = createRemover({ model: 'isnet-imgly', cacheDir: false })
    await remover.remove(bytes[0], { format: 'png' })
    let next = 0
    const started = performance.now()
    const worker = async () => { while (next < ${count}) await remover.remove(bytes[next++ % bytes.length], { format: 'png' }) }
    await Promise.all(Array.from({ length: ${clients} }, worker))
    console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }))
  `
  await writeFile(script, source)
  const { stdout } = await promisify(execFile)(process.execPath, [script], { env, maxBuffer: 16 * 1024 * 1024 })
  return count / JSON.parse(stdout.trim().split('\n').at(-1)).seconds
}

/**
 * Measures the server: throughput, latency percentiles, answers by status, peak RSS and RSS growth after warm-up,
 * then core's rate on the same photos with the same calls in flight.
 */
export async function measureServerLoad({ root, photos, workDir, requests, log }) {
  const dir = join(workDir, 'server-load')
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const env = { ...process.env, REMBG_KIT_HOME: join(dir, 'home'), NO_PROXY: '127.0.0.1' }
  log('server: converting the model into a home of its own')
  const server = await startServer(root, env)
  const rssSamples = []
  let run
  try {
    log(`server: ${clients} clients, ${requests} requests`)
    run = await load(server.url, photos, requests, rssSamples, server.pid)
  } finally {
    await server.stop()
  }
  log('server: core alone on the same photos')
  const coreImagesPerSecond = await coreRate(root, photos, Math.min(requests, photos.length * 4), env, dir)
  const ok = run.answers.filter((a) => a.status === 200)
  const warmAt = Math.round(run.answers.length * warmupShare)
  const rssAfterWarmup = median(
    rssSamples.filter((s) => s.at >= warmAt && s.at < warmAt + clients * 4).map((s) => s.rss),
  )
  const rssAtEnd = median(rssSamples.slice(-8).map((s) => s.rss))
  return {
    clients,
    requests: run.sent,
    answered: run.answers.length,
    statuses: countBy(run.answers.map((a) => a.status)),
    imagesPerSecond: ok.length / run.seconds,
    coreImagesPerSecond,
    p50: percentile(
      ok.map((a) => a.ms),
      50,
    ),
    p95: percentile(
      ok.map((a) => a.ms),
      95,
    ),
    peakRss: Math.max(...rssSamples.map((s) => s.rss).filter(Number.isFinite)),
    rssAfterWarmup,
    rssAtEnd,
  }
}

function countBy(values) {
  const counts = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

const mb = (bytes) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1024 / 1024)}` : '-')

/** The section: rates, latencies, statuses and memory. */
export function serverLoadSection(result) {
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status === '0' ? 'no answer' : status}: ${count}`)
    .join(', ')
  return [
    `${result.clients} clients, ${result.requests} requests sent, ${result.answered} answered (${statuses})`,
    table(
      ['', 'value'],
      [
        ['server images/s', result.imagesPerSecond.toFixed(3)],
        ['core alone images/s', result.coreImagesPerSecond.toFixed(3)],
        ['latency p50 ms', ms(result.p50)],
        ['latency p95 ms', ms(result.p95)],
        ['server peak RSS MB', mb(result.peakRss)],
        ['RSS after warm-up MB', mb(result.rssAfterWarmup)],
        ['RSS at the end MB', mb(result.rssAtEnd)],
      ],
    ),
  ].join('\n')
}

/** The summary's targets: throughput against core, no undocumented error, every request answered, flat memory. */
export function serverLoadTargets(result) {
  const ratio = result.imagesPerSecond / result.coreImagesPerSecond
  const undocumented = Object.entries(result.statuses).filter(([status]) => !['200', '429', '503'].includes(status))
  const growth = result.rssAtEnd / result.rssAfterWarmup - 1
  return [
    {
      label: `server throughput >= ${serverThroughputGoal}x core's own rate, ${result.clients} clients (issue 15)`,
      figure: `${ratio.toFixed(2)}x (${result.imagesPerSecond.toFixed(3)} / ${result.coreImagesPerSecond.toFixed(3)} images/s)`,
      ok: Number.isFinite(ratio) ? ratio >= serverThroughputGoal : null,
    },
    {
      label: 'server: every request answered, no error besides the documented 429/503 (issue 15)',
      figure: `${result.answered}/${result.requests} answered, ${undocumented.length ? undocumented.map(([s, n]) => `${n}x ${s}`).join(', ') : 'no other status'}`,
      ok: result.answered === result.requests && undocumented.length === 0,
    },
    {
      label: `server RSS flat after warm-up over ${result.answered} requests (<= 10 % growth) (issue 15)`,
      figure: `${mb(result.rssAfterWarmup)} MB -> ${mb(result.rssAtEnd)} MB (${(growth * 100).toFixed(1)} %)`,
      ok: Number.isFinite(growth) ? growth <= 0.1 : null,
    },
  ]
}
