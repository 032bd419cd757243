import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isRembgError } from '../src/errors.js'
import { assembleImglyModel, imglyDataDir } from '../src/models/imgly.js'
import { customModelSpec, defaultModel, type ModelSpec, models, offlineModel } from '../src/models/registry.js'
import { findModel, listModels, ModelStore, modelDirs } from '../src/models/store.js'

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex')
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

// A stand-in for a model: starts as an ONNX file does (protobuf field 1, ir_version), then random bytes.
const modelBytes = Buffer.concat([Buffer.from([0x08, 0x08]), randomBytes(300_000)])
const htmlPage = '<!DOCTYPE html><html><body><h1>Rate limit exceeded</h1></body></html>'

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

const sendModel: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': modelBytes.length })
  res.end(modelBytes)
}

/** Sends half the model, pauses, then the rest: long enough for concurrent callers and aborts to meet it. */
const sendModelSlowly: Handler = async (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': modelBytes.length })
  const half = modelBytes.length / 2
  res.write(modelBytes.subarray(0, half))
  await sleep(300)
  if (!res.destroyed) res.end(modelBytes.subarray(half))
}

const routes: Record<string, Handler> = {
  '/files/test-model.onnx': sendModel,
  '/files/slow/test-model.onnx': sendModelSlowly,
  '/mirror/test-model.onnx': sendModel,
  '/files/html/test-model.onnx': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(htmlPage)
  },
}

let server: Server
let base: string
const hits = new Map<string, number>()

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const route = routes[path]
    if (route) return void route(req, res)
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('Not Found')
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((closed) => server.close(closed))
})

let root: string
let env: Record<string, string>
let home: string
let u2netHome: string

beforeEach(async () => {
  hits.clear()
  root = await mkdtemp(join(tmpdir(), 'rembg-kit-models-'))
  env = { REMBG_KIT_HOME: join(root, 'kit'), U2NET_HOME: join(root, 'u2net') }
  home = join(root, 'kit', 'models')
  u2netHome = join(root, 'u2net')
  return () => rm(root, { recursive: true, force: true })
})

function testSpec(url: string, digest: { md5?: string; sha256?: string } = { md5: md5(modelBytes) }): ModelSpec {
  return {
    name: 'test-model',
    description: 'a test model',
    license: 'MIT',
    source: { kind: 'url', fileName: 'test-model.onnx', url, ...digest },
    input: { width: 8, height: 8, mean: [0, 0, 0], std: [1, 1, 1], scale: 1 / 255 },
    output: 'minmax',
  }
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready))
  const port = (probe.address() as AddressInfo).port
  await new Promise((closed) => probe.close(closed))
  return port
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; status?: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof Error)) throw new Error('expected a rejection')
  return error
}

const listing = async (dir: string): Promise<string[]> => (await readdir(dir).catch(() => [] as string[])).sort()

describe('registry', () => {
  it('describes every rembg model by its release URL, rembg file name and checksum', () => {
    const urlModels = Object.values(models).filter((spec) => spec.source.kind === 'url')
    expect(urlModels.map((spec) => spec.name)).toEqual([
      'u2net',
      'u2netp',
      'u2net_human_seg',
      'silueta',
      'isnet-general-use',
      'isnet-anime',
      'birefnet-general',
      'birefnet-general-lite',
      'birefnet-portrait',
      'birefnet-dis',
      'birefnet-hrsod',
      'birefnet-cod',
      'birefnet-massive',
      'bria-rmbg',
    ])
    for (const [key, spec] of Object.entries(models)) {
      expect(spec.name).toBe(key)
      if (spec.source.kind !== 'url') continue
      expect(spec.source.fileName).toBe(`${key}.onnx`)
      expect(spec.source.url).toMatch(
        /^https:\/\/github\.com\/danielgatis\/rembg\/releases\/download\/v0\.0\.0\/.+\.onnx$/,
      )
      const digest = spec.source.md5 ?? spec.source.sha256 ?? ''
      expect(digest).toMatch(spec.source.md5 ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{64}$/)
    }
  })

  it('carries the processing of each family', () => {
    expect(models.u2net?.input).toEqual({
      width: 320,
      height: 320,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      scale: 1 / 255,
    })
    expect(models.u2net?.output).toBe('minmax')
    expect(models['isnet-general-use']?.input.std).toEqual([1, 1, 1])
    expect(models['isnet-general-use']?.input.width).toBe(1024)
    expect(models['birefnet-general']?.source).toEqual({
      kind: 'url',
      fileName: 'birefnet-general.onnx',
      url: 'https://github.com/danielgatis/rembg/releases/download/v0.0.0/BiRefNet-general-epoch_244.onnx',
      md5: '7a35a0141cbbc80de11d9c9a28f52697',
    })
    expect(models['birefnet-general']?.output).toBe('sigmoid')
    expect(models['isnet-imgly']).toMatchObject({
      license: 'AGPL-3.0',
      source: { kind: 'imgly', variant: 'medium' },
      input: { width: 1024, height: 1024, mean: [128, 128, 128], std: [256, 256, 256], scale: 1 },
      output: 'clamp',
    })
    expect(models['isnet-imgly-quint8']?.source).toEqual({ kind: 'imgly', variant: 'small' })
  })

  it('marks only BRIA RMBG as non-commercial, and inherits nothing from Object', () => {
    const nonCommercial = Object.values(models).filter((spec) => spec.nonCommercial)
    expect(nonCommercial.map((spec) => [spec.name, spec.license])).toEqual([['bria-rmbg', 'CC-BY-NC-4.0']])
    expect(models.toString).toBeUndefined()
    expect(models.constructor).toBeUndefined()
  })

  it('names a permissive default and the offline model of the tests', () => {
    expect(defaultModel).toBe('isnet-general-use')
    expect(models[defaultModel]?.license).toBe('Apache-2.0')
    expect(offlineModel).toBe('isnet-imgly')
  })

  it('builds a custom spec with defaults, overridden field by field', () => {
    expect(customModelSpec('./nets/my.onnx')).toEqual({
      name: './nets/my.onnx',
      description: 'Custom model ./nets/my.onnx',
      license: 'unknown',
      source: { kind: 'file', path: './nets/my.onnx' },
      input: { width: 1024, height: 1024, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 1 / 255 },
      output: 'minmax',
    })
    const spec = customModelSpec('/m.onnx', { width: 320, height: 320, std: [1, 1, 1] }, 'sigmoid')
    expect(spec.input).toEqual({ width: 320, height: 320, mean: [0.485, 0.456, 0.406], std: [1, 1, 1], scale: 1 / 255 })
    expect(spec.output).toBe('sigmoid')
  })
})

describe('modelDirs', () => {
  it('uses REMBG_KIT_HOME and U2NET_HOME when set', () => {
    expect(modelDirs({ REMBG_KIT_HOME: '/srv/kit', U2NET_HOME: '/data/u2net' })).toEqual({
      home: join('/srv/kit', 'models'),
      reuse: ['/data/u2net'],
    })
  })

  it('falls back to ~/.cache/rembg-kit/models and the Python rembg folder', () => {
    expect(modelDirs({})).toEqual({
      home: join(homedir(), '.cache', 'rembg-kit', 'models'),
      reuse: [join(homedir(), '.u2net')],
    })
    expect(modelDirs({ XDG_DATA_HOME: '/xdg' }).reuse).toEqual([join('/xdg', '.u2net')])
    expect(modelDirs({ U2NET_HOME: '~/models' }).reuse).toEqual([join(homedir(), 'models')])
  })
})

describe('ensureModel downloads', () => {
  it('downloads once, verifies, and reuses the file without another request', async () => {
    const spec = testSpec(`${base}/files/test-model.onnx`)
    const progress: Array<[number, number | undefined]> = []
    const path = await new ModelStore().ensure(spec, { env, onProgress: (r, t) => progress.push([r, t]) })

    expect(path).toBe(join(home, 'test-model.onnx'))
    expect(md5(await readFile(path))).toBe(md5(modelBytes))
    expect(await listing(home)).toEqual(['test-model.onnx'])
    expect(progress.at(-1)).toEqual([modelBytes.length, modelBytes.length])

    // A new store (a new process) finds and verifies the file on disk.
    const store = new ModelStore()
    expect(await store.ensure(spec, { env })).toBe(path)
    expect(await store.ensure(spec, { env })).toBe(path)
    expect(await findModel(spec, env)).toBe(path)
    expect(hits.get('/files/test-model.onnx')).toBe(1)

    // The store remembers a verified path only while the file exists.
    await rm(path)
    expect(await findModel(spec, env)).toBeNull()
    expect(await store.ensure(spec, { env, onProgress: () => {} })).toBe(path)
    expect(hits.get('/files/test-model.onnx')).toBe(2)
  })

  it('refuses an HTML error page served with status 200 and leaves no file', async () => {
    const url = `${base}/files/html/test-model.onnx`
    const error = await rejection(new ModelStore().ensure(testSpec(url), { env, onProgress: () => {} }))

    expect(isRembgError(error)).toBe(true)
    expect(error.code).toBe('MODEL_CHECKSUM')
    expect(error.status).toBe(502)
    expect(error.message).toBe(
      `Model 'test-model' downloaded from ${url} failed verification: expected md5 ${md5(modelBytes)}, ` +
        `got ${md5(htmlPage)}. Nothing was saved; an error page from a proxy or server is the usual cause.`,
    )
    expect(await listing(home)).toEqual([])
  })

  it('refuses an HTML page even for a model without a known checksum', async () => {
    const url = `${base}/files/html/test-model.onnx`
    const error = await rejection(new ModelStore().ensure(testSpec(url, {}), { env, onProgress: () => {} }))

    expect(error.message).toBe(
      `Model 'test-model' downloaded from ${url} failed verification: expected an ONNX model, ` +
        'got an HTML/XML page. Nothing was saved; an error page from a proxy or server is the usual cause.',
    )
    expect(await listing(home)).toEqual([])
  })

  it('explains how to fix an offline download, naming the model and the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/files/test-model.onnx`
    const error = await rejection(new ModelStore().ensure(testSpec(url), { env }))

    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED')
    expect(error.status).toBe(502)
    expect(error.message).toBe(
      [
        `Could not download model 'test-model' from ${url} (ECONNREFUSED). Fix it in one of these ways:`,
        '- set REMBG_KIT_MODEL_MIRROR to a base URL that serves test-model.onnx',
        `- put the file at ${join(home, 'test-model.onnx')}`,
        '- pass a local model file: --model ./path/to/model.onnx',
        '- run `rembg-kit models pull test-model` where the network is reachable',
      ].join('\n'),
    )
    expect(await listing(home)).toEqual([])
  })

  it('reports an HTTP error status as a failed download', async () => {
    const url = `${base}/files/gone/test-model.onnx`
    const error = await rejection(new ModelStore().ensure(testSpec(url), { env }))

    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED')
    expect(error.message.split('\n')[0]).toBe(
      `Could not download model 'test-model' from ${url} (HTTP 404 Not Found). Fix it in one of these ways:`,
    )
    expect(await listing(home)).toEqual([])
  })

  it('downloads from a mirror given as an option or in REMBG_KIT_MODEL_MIRROR', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/files/test-model.onnx`
    const spec = testSpec(unreachable)

    const path = await new ModelStore().ensure(spec, { env, mirror: `${base}/mirror/`, onProgress: () => {} })
    expect(path).toBe(join(home, 'test-model.onnx'))
    expect(hits.get('/mirror/test-model.onnx')).toBe(1)

    await rm(path)
    const viaEnv = { ...env, REMBG_KIT_MODEL_MIRROR: `${base}/mirror` }
    expect(await new ModelStore().ensure(spec, { env: viaEnv })).toBe(path)
    expect(hits.get('/mirror/test-model.onnx')).toBe(2)
    expect(md5(await readFile(path))).toBe(md5(modelBytes))
  })

  it('reuses a model the Python rembg left in U2NET_HOME, without a request', async () => {
    await mkdir(u2netHome, { recursive: true })
    await writeFile(join(u2netHome, 'test-model.onnx'), modelBytes)
    const spec = testSpec(`${base}/files/test-model.onnx`)

    expect(await new ModelStore().ensure(spec, { env })).toBe(join(u2netHome, 'test-model.onnx'))
    expect(hits.size).toBe(0)
    // No copy: only the note that this version of rembg's file was verified, so the next process does not hash it.
    expect(await listing(home)).toEqual(['file-facts.json'])
  })

  it('verifies a model once per version of its file: a file rewritten since, even to the same size, is checked again', async () => {
    await mkdir(u2netHome, { recursive: true })
    const reused = join(u2netHome, 'test-model.onnx')
    await writeFile(reused, modelBytes)
    const spec = testSpec(`${base}/files/test-model.onnx`)
    expect(await new ModelStore().ensure(spec, { env })).toBe(reused)
    const facts = JSON.parse(await readFile(join(home, 'file-facts.json'), 'utf8'))
    expect(Object.values(facts[reused].facts)).toEqual(['yes'])

    // Same size and the same mtime, other bytes: the change time still tells, so the next process hashes it again.
    const { atime, mtime } = await stat(reused)
    await writeFile(reused, Buffer.alloc(modelBytes.length, 1))
    await utimes(reused, atime, mtime)
    expect(await new ModelStore().ensure(spec, { env })).toBe(join(home, 'test-model.onnx'))
    expect(hits.get('/files/test-model.onnx')).toBe(1)
  })

  it('skips a damaged file in U2NET_HOME, downloads its own copy, and leaves rembg`s file alone', async () => {
    await mkdir(u2netHome, { recursive: true })
    await writeFile(join(u2netHome, 'test-model.onnx'), htmlPage)
    const spec = testSpec(`${base}/files/test-model.onnx`, { sha256: sha256(modelBytes) })

    const path = await new ModelStore().ensure(spec, { env, onProgress: () => {} })
    expect(path).toBe(join(home, 'test-model.onnx'))
    expect(sha256(await readFile(path))).toBe(sha256(modelBytes))
    expect(await readFile(join(u2netHome, 'test-model.onnx'), 'utf8')).toBe(htmlPage)
    expect(hits.get('/files/test-model.onnx')).toBe(1)
  })

  it('shares one download between concurrent calls', async () => {
    const store = new ModelStore()
    const spec = testSpec(`${base}/files/slow/test-model.onnx`)
    const paths = await Promise.all([
      store.ensure(spec, { env, onProgress: () => {} }),
      store.ensure(spec, { env, onProgress: () => {} }),
      store.ensure(spec, { env, onProgress: () => {} }),
    ])

    expect(paths).toEqual(Array(3).fill(join(home, 'test-model.onnx')))
    expect(hits.get('/files/slow/test-model.onnx')).toBe(1)
    expect(await listing(home)).toEqual(['test-model.onnx'])
  })

  it('lets one caller give up while another still gets the shared download', async () => {
    const store = new ModelStore()
    const spec = testSpec(`${base}/files/slow/test-model.onnx`)
    const controller = new AbortController()
    const onProgress = (): void => controller.abort()
    const impatient = store.ensure(spec, { env, onProgress, signal: controller.signal })
    const patient = store.ensure(spec, { env })

    expect((await rejection(impatient)).name).toBe('AbortError')
    expect(await patient).toBe(join(home, 'test-model.onnx'))
    expect(hits.get('/files/slow/test-model.onnx')).toBe(1)
  })

  it('aborts the download and removes the temp file when its only caller gives up', async () => {
    const controller = new AbortController()
    const spec = testSpec(`${base}/files/slow/test-model.onnx`)
    const pending = new ModelStore().ensure(spec, {
      env,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })

    expect((await rejection(pending)).name).toBe('AbortError')
    expect(await listing(home)).toEqual([])
  })

  it('returns a custom file as it is, and says when it does not exist', async () => {
    const path = join(root, 'mine.onnx')
    await writeFile(path, modelBytes)
    expect(await new ModelStore().ensure(customModelSpec(path), { env })).toBe(path)

    const missing = join(root, 'missing.onnx')
    const error = await rejection(new ModelStore().ensure(customModelSpec(missing), { env }))
    expect(error.code).toBe('MODEL_NOT_FOUND')
    expect(error.message).toBe(`Model file '${missing}' does not exist.`)
  })
})

describe('listModels', () => {
  it('lists every model with license and whether a copy is present', async () => {
    await mkdir(u2netHome, { recursive: true })
    await writeFile(join(u2netHome, 'u2netp.onnx'), modelBytes)
    const list = await listModels(env)

    expect(list.map((m) => m.name)).toEqual(Object.keys(models))
    expect(list.find((m) => m.name === 'u2netp')).toEqual({
      name: 'u2netp',
      description: models.u2netp?.description,
      license: 'Apache-2.0',
      nonCommercial: false,
      presets: ['quality'],
      present: true,
      path: join(u2netHome, 'u2netp.onnx'),
      size: modelBytes.length,
    })
    expect(list.find((m) => m.name === 'bria-rmbg')).toMatchObject({ nonCommercial: true, present: false })
    expect(list.filter((m) => m.present).map((m) => m.name)).toEqual(['u2netp'])
  })
})

describe('imgly weights', () => {
  const dataDir = imglyDataDir()
  const resources = (): Record<string, { size: number }> =>
    JSON.parse(readFileSync(join(dataDir ?? '', 'resources.json'), 'utf8'))

  it('finds the installed @imgly/background-removal-data', () => {
    const expected = dirname(createRequire(import.meta.url).resolve('@imgly/background-removal-data/package.json'))
    expect(dataDir).toBe(join(expected, 'dist'))
  })

  it('assembles isnet-imgly once into a model onnxruntime can load', async () => {
    const path = await new ModelStore().ensure(models['isnet-imgly'] as ModelSpec, { env })
    expect(path).toBe(join(home, 'isnet-imgly.onnx'))
    const info = await stat(path)
    expect(info.size).toBe(resources()['/models/medium']?.size)
    expect(await listing(home)).toEqual(['isnet-imgly.onnx'])

    const { InferenceSession } = await import('onnxruntime-node')
    const session = await InferenceSession.create(path)
    expect(session.inputNames).toEqual(['input'])
    expect(session.outputNames[0]).toBe('output')
    await session.release()

    // A second process finds the assembled file and leaves it as it is.
    expect(await new ModelStore().ensure(models['isnet-imgly'] as ModelSpec, { env })).toBe(path)
    expect((await stat(path)).mtimeMs).toBe(info.mtimeMs)
  })

  it('assembles the small variant to the size resources.json gives', async () => {
    const dest = join(root, 'small.onnx')
    await assembleImglyModel('small', dest)
    expect((await stat(dest)).size).toBe(resources()['/models/small']?.size)
  })

  it('refuses a damaged chunk and leaves no file', async () => {
    const fake = join(root, 'fake-data')
    await mkdir(fake)
    const good = Buffer.from('good')
    const bad = Buffer.from('evil')
    const claimed = sha256('fine')
    await writeFile(join(fake, sha256(good)), good)
    await writeFile(join(fake, claimed), bad)
    const chunks = [
      { hash: sha256(good), offsets: [0, 4] },
      { hash: claimed, offsets: [4, 8] },
    ]
    await writeFile(join(fake, 'resources.json'), JSON.stringify({ '/models/small': { chunks, size: 8 } }))
    const dest = join(root, 'out', 'model.onnx')

    const error = await rejection(assembleImglyModel('small', dest, fake))
    expect(error.code).toBe('MODEL_CHECKSUM')
    expect(error.message).toBe(
      `The installed @imgly/background-removal-data is damaged: chunk ${join(fake, claimed)} has sha256 ` +
        `${sha256(bad)}. Reinstall it (\`pnpm install --force\`).`,
    )
    expect(await listing(join(root, 'out'))).toEqual([])

    await writeFile(join(fake, claimed), 'fine')
    await assembleImglyModel('small', dest, fake)
    expect(await readFile(dest, 'utf8')).toBe('goodfine')
  })

  it('says how to install the package when it is missing', async () => {
    const error = await rejection(assembleImglyModel('medium', join(root, 'x.onnx'), null))
    expect(error.code).toBe('IMGLY_DATA_MISSING')
    expect(error.message).toBe(
      "The 'medium' IS-Net model needs the package @imgly/background-removal-data, which is not installed. " +
        'Install it with `pnpm add -D @imgly/background-removal-data` (its weights are licensed AGPL-3.0), ' +
        'or choose another model, e.g. --model isnet-general-use.',
    )
  })
})
