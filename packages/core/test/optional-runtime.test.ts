import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from './helpers.js'

// onnxruntime-node is an optional peer dependency: a user of the remote engine installs none. This file installs the
// built core the way npm lays it out, in a folder outside the repository (no node_modules above it holds the runtime),
// with every dependency of core but not onnxruntime-node, and runs real processes there.

const coreDir = join(repoRoot, 'packages/core')
const expectedMessage =
  "The local engine needs onnxruntime-node, which is not installed. Install it: npm install onnxruntime-node@1.30.0 (pnpm add onnxruntime-node@1.30.0, yarn add onnxruntime-node@1.30.0), or choose engine 'remote'."

const width = 40
const height = 30
let project: string
let server: Server
let baseUrl: string
let photo: Buffer

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function node(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = { ...process.env }
  delete clean.NODE_PATH
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: project,
      env: { ...clean, CI: 'true', REMBG_KIT_HOME: join(project, 'home'), ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'rembg-kit-no-runtime-'))
  const installed = join(project, 'node_modules/@rembg-kit/core')
  await mkdir(installed, { recursive: true })
  // A copy, not a link: a link would resolve to packages/core, whose node_modules has the runtime (a dev dependency).
  for (const entry of ['package.json', 'dist', 'bin'])
    await cp(join(coreDir, entry), join(installed, entry), { recursive: true })
  const manifest = JSON.parse(await readFile(join(coreDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
  }
  for (const name of Object.keys(manifest.dependencies)) {
    const link = join(installed, 'node_modules', name)
    await mkdir(dirname(link), { recursive: true })
    await symlink(await realpath(join(coreDir, 'node_modules', name)), link)
  }
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'remote-only', type: 'module' })}\n`)

  photo = await sharp({ create: { width, height, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer()
  await writeFile(join(project, 'photo.png'), photo)
  const matte = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) matte.fill(255, y * width, y * width + width / 2)
  const mask = await sharp(matte, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer()
  // A rembg.com-compatible service on loopback: every /rmbg answers a mask keeping the left half.
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'image/png' })
      res.end(mask)
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 60_000)

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((closed) => server?.close(closed))
  if (project) await rm(project, { recursive: true, force: true })
})

/** Alpha of the left and right halves' middle pixels: kept (255) and removed (0) by the loopback service's mask. */
async function halves(png: Buffer): Promise<[number, number]> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const alpha = (x: number) => data[(Math.floor(height / 2) * info.width + x) * 4 + 3] as number
  return [alpha(5), alpha(width - 5)]
}

describe('core installed without onnxruntime-node', () => {
  it('cannot resolve onnxruntime-node there (the premise of the other cases)', async () => {
    const run = await node([
      '--input-type=module',
      '-e',
      "import { createRequire } from 'node:module'; createRequire(import.meta.resolve('@rembg-kit/core')).resolve('onnxruntime-node')",
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("Cannot find module 'onnxruntime-node'")
  })

  it('refuses the local engine with the install command, from import and from require', async () => {
    const script = (load: string) =>
      `${load}; try { core.createRemover({ engine: 'local' }); console.log('created') } catch (e) { console.log(JSON.stringify([e.name, e.code, e.message])) }`
    const fromImport = await node(['--input-type=module', '-e', script("const core = await import('@rembg-kit/core')")])
    const fromRequire = await node(['--input-type=commonjs', '-e', script("const core = require('@rembg-kit/core')")])
    for (const run of [fromImport, fromRequire]) {
      expect(run.stderr).toBe('')
      expect(JSON.parse(run.stdout)).toEqual(['RembgError', 'RUNTIME_NOT_INSTALLED', expectedMessage])
    }
  })

  it('the CLI says the same for its default (local) engine and writes nothing', async () => {
    const run = await node(['node_modules/@rembg-kit/core/bin/rembg-kit.js', 'remove', 'photo.png', '-o', 'local.png'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`rembg-kit: ${expectedMessage}\n`)
    await expect(readFile(join(project, 'local.png'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('removes backgrounds with the remote engine: the API and the CLI', async () => {
    const api = await node([
      '--input-type=module',
      '-e',
      `import { removeBackground } from '@rembg-kit/core'
import { readFile, writeFile } from 'node:fs/promises'
const result = await removeBackground(await readFile('photo.png'), { engine: 'remote', baseUrl: '${baseUrl}', apiKey: 'no-runtime-key-0001', cacheDir: false, format: 'png' })
await writeFile('api.png', result.data)`,
    ])
    expect(api.stderr).toBe('')
    expect(await halves(await readFile(join(project, 'api.png')))).toEqual([255, 0])

    const cli = await node(
      ['node_modules/@rembg-kit/core/bin/rembg-kit.js', 'remove', 'photo.png', '-o', 'cli.png', '--engine', 'remote'],
      { REMBG_API_KEY: 'no-runtime-key-0001', REMBG_BASE_URL: baseUrl },
    )
    expect(cli.code).toBe(0)
    expect(await halves(await readFile(join(project, 'cli.png')))).toEqual([255, 0])
  })

  it('doctor names the runtime as not installed, with the install command', async () => {
    const run = await node(['node_modules/@rembg-kit/core/bin/rembg-kit.js', 'doctor'])
    expect(run.stdout).toMatch(/^onnxruntime-node {2}not installed$/m)
    expect(run.stdout).toContain(
      'onnxruntime-node is not installed (the local engine needs it, the remote engine does not)',
    )
    expect(run.stdout).toContain('ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0')
  })
})
