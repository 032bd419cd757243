// The example app with `engine: 'remote'` against @rembg-kit/server on loopback: an upload through the content API gets
// the same `formats.rembg` as the local engine makes of the same file (core's local cutout with the app's params),
// the image is counted on the key, and the key is stored and shown nowhere.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createRemover } from '@rembg-kit/core'
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest'
import { expectCutout, modelHome } from '../../test-support.ts'
import {
  expectNoKey,
  expectSamePixels,
  membershipUsage,
  type RembgServerProcess,
  type ServerKey,
  startRembgServer,
} from '../../test-support-server.ts'
import { adminRequest, contentApiFile, type FileRow, fetchStored, scene, uploadThroughContentApi } from './media.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

const key: ServerKey = { key: 'rk_test_adapters_0001', membership: 'Test', credits: 100, prepaidCredits: 0 }
/** The example's `config/plugins.ts` params. */
const params = { format: 'png' } as const
const logLevels = ['error', 'warn', 'info', 'http', 'debug'] as const

describe("examples/strapi with engine: 'remote' against rembg-kit-server", () => {
  let server: RembgServerProcess
  let app: RunningStrapi
  let row: FileRow
  let cutout: Buffer
  const logSpies: MockInstance[] = []

  beforeAll(async () => {
    server = await startRembgServer({ keys: [key] })
    app = await startStrapi('remote', {
      plugins: { rembg: { config: { engine: 'remote', apiKey: key.key, baseUrl: server.url } } },
    })
    for (const level of logLevels) logSpies.push(vi.spyOn(app.strapi.log, level))
    const [uploaded] = await uploadThroughContentApi(app, [await scene('ball')])
    if (!uploaded) throw new Error('no row answered')
    row = uploaded
    const stored = row.formats?.rembg
    if (!stored)
      throw new Error(`no formats.rembg on ${row.name}: ${JSON.stringify(row.formats)} ${JSON.stringify(row.rembg)}`)
    cutout = await fetchStored(app, stored.url)
  })

  afterAll(async () => {
    for (const spy of logSpies) spy.mockRestore()
    await app?.close()
    await server?.stop()
  })

  it('stores formats.rembg as a 640x480 PNG with the local engine’s pixels, and records the remote engine', async () => {
    expect(row.rembg).toMatchObject({ status: 'done', engine: 'remote' })
    expect(row.formats?.rembg).toMatchObject({ ext: '.png', mime: 'image/png', width: 640, height: 480 })
    expect(Object.keys(row.formats ?? {}).sort()).toEqual([
      'rembg',
      'rembg_small',
      'rembg_thumbnail',
      'small',
      'thumbnail',
    ])
    process.env.REMBG_KIT_HOME = modelHome
    const local = await createRemover({ model: 'isnet-imgly', cacheDir: false }).remove(
      (await scene('ball')).bytes,
      params,
    )
    await expectSamePixels(local.data, cutout, 'strapi ball formats.rembg')
  })

  it('serves a cutout a user sees: transparent corners, opaque ball', async () => {
    await expectCutout(cutout, { format: 'png', width: 640, height: 480 })
  })

  it("counts the upload as one image on the key's membership usage", async () => {
    const usage = await membershipUsage(server.url, key.key)
    expect(usage).toMatchObject({ membership: 'Test', credits: 100, prepaidCredits: 0, api_usage: 1 })
  })

  it('stores and shows the key nowhere: file rows, settings, database, uploads, logs', async () => {
    const settings = await adminRequest<Record<string, unknown>>(app, 'GET', '/rembg/settings')
    expect(settings).toMatchObject({ engine: 'remote', baseUrl: server.url, apiKey: '********' })
    const texts: Record<string, string | Buffer> = {
      'upload answer': JSON.stringify(row),
      'content API row': JSON.stringify(await contentApiFile(app, row.id)),
      settings: JSON.stringify(settings),
      'Strapi log': JSON.stringify(logSpies.flatMap((spy) => spy.mock.calls)),
      'server log': server.logs(),
    }
    for (const folder of ['.tmp', join('public', 'uploads')]) {
      for (const file of await readdir(join(app.dir, folder))) texts[file] = await readFile(join(app.dir, folder, file))
    }
    expect(Object.keys(texts).some((name) => name.startsWith('data.db'))).toBe(true)
    expectNoKey(key.key, texts)
  })
})
