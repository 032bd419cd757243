// The set-up the README shows for a large backfill: `engine: 'remote'` pointed at a load balancer in front of several
// @rembg-kit/server instances, with a `concurrency` above this machine's cores. Two real servers on loopback behind a
// round-robin proxy that counts what it forwards: the library backfill spreads over both, with `concurrency` requests
// in flight at once (not core's default of 4 for the remote engine, nor the CPU count).
import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus } from 'node:os'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import { type RembgServerProcess, type ServerKey, startRembgServer } from '../../test-support-server.ts'
import { adminFile, adminRequest, type FileRow, fetchStored, uploadThroughAdmin } from './media.ts'
import { fixture, type RunningStrapi, startStrapi } from './strapi.ts'

const key: ServerKey = { key: 'rk_test_queue_fleet_01', membership: 'Test', credits: 1000, prepaidCredits: 0 }
const concurrency = 6
const images = 8

/** A load balancer: each request goes to the next upstream in turn; it counts removals and the most in flight. */
async function roundRobin(
  upstreams: string[],
): Promise<{ url: string; served: number[]; maxInFlight: () => number; server: Server }> {
  const served = upstreams.map(() => 0)
  let next = 0
  let inFlight = 0
  let most = 0
  const server = createServer((incoming, outgoing) => {
    const index = next++ % upstreams.length
    const target = new URL(incoming.url ?? '/', upstreams[index])
    const removal = incoming.method === 'POST'
    if (removal) {
      served[index] = (served[index] ?? 0) + 1
      most = Math.max(most, ++inFlight)
    }
    const forwarded = request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
      answer.on('end', () => {
        if (removal) inFlight--
      })
    })
    forwarded.on('error', () => {
      if (removal) inFlight--
      outgoing.destroy()
    })
    incoming.pipe(forwarded)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, served, maxInFlight: () => most, server }
}

let fleet: RembgServerProcess[] = []
let balancer: Awaited<ReturnType<typeof roundRobin>>
let app: RunningStrapi

beforeAll(async () => {
  fleet = await Promise.all([startRembgServer({ keys: [key] }), startRembgServer({ keys: [key] })])
  balancer = await roundRobin(fleet.map((server) => server.url))
  app = await startStrapi('queue-fleet', {
    plugins: { rembg: { config: { engine: 'remote', apiKey: key.key, baseUrl: balancer.url, concurrency } } },
  })
})
afterAll(async () => {
  await app?.close()
  balancer?.server.close()
  await Promise.all(fleet.map((server) => server.stop()))
})

it(`a library backfill with concurrency ${concurrency} over two servers: ${concurrency} requests in flight, both serve`, async () => {
  expect(concurrency).toBeGreaterThan(cpus().length)
  const source = await sharp(fixture('ball.jpg')).toBuffer()
  const rows: FileRow[] = []
  // Bytes never seen before: the plugin's result cache would answer a repeat without asking the fleet.
  for (let i = 0; i < images; i++) {
    const bytes = await sharp(source)
      .modulate({ brightness: 1 + i / 50 })
      .jpeg()
      .toBuffer()
    const [row] = await uploadThroughAdmin(app, [{ name: `fleet-${i}.jpg`, bytes, type: 'image/jpeg' }], {
      name: `fleet-${i}.jpg`,
      rembg: false,
    })
    if (!row) throw new Error(`no row for fleet-${i}.jpg`)
    rows.push(row)
  }
  type Job = { id: number; state: string; total: number; done: number; failed: number }
  const { job: started } = await adminRequest<{ job: Job }>(app, 'POST', '/rembg/library/process')
  let job = started
  const deadline = Date.now() + 300_000
  while (job.state === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    job = (await adminRequest<{ job: Job }>(app, 'GET', `/rembg/jobs/${started.id}`)).job
  }
  expect(job).toMatchObject({ state: 'finished', total: images, done: images, failed: 0 })
  expect(balancer.maxInFlight()).toBe(concurrency)
  expect(balancer.served.reduce((sum, count) => sum + count, 0)).toBe(images)
  for (const count of balancer.served) expect(count).toBeGreaterThan(0)
  for (const row of rows) {
    const stored = await adminFile(app, row.id)
    expect(stored.rembg).toMatchObject({ status: 'done', engine: 'remote' })
    const cutout = stored.formats?.rembg
    if (!cutout) throw new Error(`no formats.rembg on ${stored.name}`)
    await expectCutout(await fetchStored(app, cutout.url), { format: 'png', width: 640, height: 480 })
  }
})
