// The settings route: the effective config with the API key masked; run-time changes (enabled, mode, folders, params)
// checked as the config file is (core's messages), stored in the plugin store, applied to the next upload and kept
// across a restart.
import { resolveParams } from '@rembg-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectUntouched, fetchStored, imageFacts, scene, uploadThroughContentApi } from './media.ts'
import { call, ok } from './permissions-users.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

// Mixed case: no four characters of it occur by chance in the rest of the settings (paths, hex names).
const apiKey = 'RKzqXw9VpLmNtYhG'

let app: RunningStrapi
beforeAll(async () => {
  app = await startStrapi('settings', { plugins: { rembg: { config: { apiKey, folders: ['/API Uploads'] } } } })
})
afterAll(() => app?.close())

type Settings = Record<string, unknown> & { editable: Record<string, unknown> }
const getSettings = (): Promise<Settings> => ok<Settings>(app, app.adminJwt, 'GET', '/rembg/settings')
const storedSettings = (): Promise<unknown> =>
  app.strapi.store({ type: 'plugin', name: 'rembg' }).get({ key: 'settings' }) as Promise<unknown>

function coreMessage(params: Record<string, unknown>): string {
  try {
    resolveParams(params)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`core accepted ${JSON.stringify(params)}`)
}

describe('GET /rembg/settings', () => {
  it('answers the effective config and the editable values, the API key masked', async () => {
    const settings = await getSettings()
    expect(settings).toMatchObject({
      enabled: true,
      mode: 'variant',
      engine: 'local',
      model: 'isnet-imgly',
      params: { format: 'png' },
      folders: ['/API Uploads'],
      apiKey: '********',
    })
    expect(settings.editable).toEqual({
      enabled: true,
      mode: 'variant',
      folders: ['/API Uploads'],
      params: resolveParams({ format: 'png' }),
    })
  })

  it('shows no part of the key', async () => {
    const text = JSON.stringify(await getSettings())
    for (let start = 0; start + 4 <= apiKey.length; start++) expect(text).not.toContain(apiKey.slice(start, start + 4))
  })
})

describe('PUT /rembg/settings', () => {
  it("refuses an invalid output parameter with core's message and the key, and changes nothing", async () => {
    const before = await getSettings()
    const answer = await call<{ error: { status: number; message: string; details: unknown } }>(
      app,
      app.adminJwt,
      'PUT',
      '/rembg/settings',
      { mode: 'replace', params: { format: 'gif' } },
    )
    expect(answer.status).toBe(400)
    expect(answer.body.error).toEqual({
      status: 400,
      name: 'BadRequestError',
      message: `params.format: ${coreMessage({ format: 'gif' })}`,
      details: { key: 'params.format' },
    })
    expect(await getSettings()).toEqual(before)
    expect(await storedSettings()).toBeNull()
  })

  it('refuses a key that is not editable at run time, naming it', async () => {
    const answer = await call<{ error: { message: string } }>(app, app.adminJwt, 'PUT', '/rembg/settings', {
      apiKey: 'other',
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toBe(
      'apiKey: not editable at run time (set it in the config file). Editable: enabled, mode, folders, params',
    )
    expect(await storedSettings()).toBeNull()
  })

  it('refuses a bad mode and bad folders with the config file’s messages', async () => {
    const bad = async (body: unknown): Promise<string> => {
      const answer = await call<{ error: { message: string } }>(app, app.adminJwt, 'PUT', '/rembg/settings', body)
      expect(answer.status).toBe(400)
      return answer.body.error.message
    }
    expect(await bad({ mode: 'cutout' })).toBe("mode: must be 'variant' or 'replace', got 'cutout'")
    expect(await bad({ folders: ['Products'] })).toBe(
      "folders: must be an array of folder paths starting with '/', got Products",
    )
    expect(await bad({ enabled: 'no' })).toBe("enabled: must be true or false, got 'no'")
    expect(await storedSettings()).toBeNull()
  })

  it('takes back the editable values GET answers, as a settings form sends them', async () => {
    const { editable } = await getSettings()
    const saved = await ok<Settings>(app, app.adminJwt, 'PUT', '/rembg/settings', editable)
    expect(saved.editable).toEqual(editable)
    // Saved as given; remove them again so the config file's values apply to what follows.
    expect(await storedSettings()).toEqual(editable)
    const reset = { enabled: null, mode: null, folders: null, params: null }
    expect((await ok<Settings>(app, app.adminJwt, 'PUT', '/rembg/settings', reset)).editable).toEqual(editable)
    expect(await storedSettings()).toEqual({})
  })

  it('a valid change applies to the next upload: params.format webp', async () => {
    const settings = await ok<Settings>(app, app.adminJwt, 'PUT', '/rembg/settings', { params: { format: 'webp' } })
    expect(settings.params).toEqual(resolveParams({ format: 'webp' }))
    expect(settings.editable.params).toEqual(resolveParams({ format: 'webp' }))
    const [row] = await uploadThroughContentApi(app, [await scene('ball')])
    const stored = row?.formats?.rembg
    if (!stored) throw new Error(`not processed: ${JSON.stringify(row)}`)
    expect(stored).toMatchObject({ ext: '.webp', mime: 'image/webp' })
    expect(await imageFacts(await fetchStored(app, stored.url))).toMatchObject({ format: 'webp', width: 640 })
  })

  it('folders decides which uploads are processed', async () => {
    await ok(app, app.adminJwt, 'PUT', '/rembg/settings', { folders: ['/Products'] })
    const [row] = await uploadThroughContentApi(app, [await scene('vase')])
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
  })

  it('enabled: false lets uploads pass untouched; null gives the key back to the config file', async () => {
    await ok(app, app.adminJwt, 'PUT', '/rembg/settings', { enabled: false, folders: null })
    expect((await getSettings()).folders).toEqual(['/API Uploads'])
    const [row] = await uploadThroughContentApi(app, [await scene('box')])
    if (!row) throw new Error('no row answered')
    expectUntouched(row)
    expect(await storedSettings()).toEqual({ enabled: false, params: { format: 'webp' } })
  })

  it('survives a restart: stored in the plugin store', async () => {
    const settings = await ok<Settings>(app, app.adminJwt, 'PUT', '/rembg/settings', { enabled: true, mode: 'replace' })
    app = await app.restart()
    expect(await getSettings()).toEqual(settings)
    expect(settings).toMatchObject({ enabled: true, mode: 'replace', params: { format: 'webp' } })
    const [row] = await uploadThroughContentApi(app, [await scene('ball', 'after-restart.jpg')])
    if (!row) throw new Error('no row answered')
    // replace mode: the cutout is the main file, as WebP; the original kept as formats.original.
    expect(row).toMatchObject({ ext: '.webp', mime: 'image/webp' })
    expect(row.formats?.original).toMatchObject({ ext: '.jpg' })
  })
})
