import { execFile } from 'node:child_process'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { listFiles, renderScene, repoRoot, tempDir, testModel } from './helpers.js'

const bin = join(repoRoot, 'packages/core/bin/rembg-kit.js')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built CLI as a user would (the root test command builds it first). */
async function rembgKit(args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, CI: 'true' },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('rembg-kit remove', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir()
    const ball = await renderScene('ball', 320, 240)
    const box = await renderScene('box', 320, 240)
    await mkdir(join(dir, 'photos/a'), { recursive: true })
    await mkdir(join(dir, 'photos/b'), { recursive: true })
    await writeFile(join(dir, 'photos/a/x.png'), ball.png)
    await writeFile(join(dir, 'photos/b/x.png'), box.png)
    await writeFile(join(dir, 'photos/broken.png'), Buffer.from('this is not an image at all'))
  })

  it('processes a folder into a mirrored tree, reports the bad file and goes on, then answers from the cache', async () => {
    const args = ['remove', 'photos', '-o', 'out', '--format', 'png', '--model', testModel, '--cache-dir', 'cache']
    const first = await rembgKit(args, dir)

    expect(first.code).toBe(1)
    expect(await listFiles(join(dir, 'out'))).toEqual(['a/x.png', 'b/x.png'])
    const lines = first.stdout.trim().split('\n')
    expect(lines).toContainEqual(
      expect.stringMatching(/^ok {3}photos\/a\/x\.png -> out\/a\/x\.png \(320x240, \d+ ms, computed\)$/),
    )
    expect(first.stderr).toContain(
      'rembg-kit: photos/broken.png: File does not appear to be a valid image (invalid file signature)\n',
    )
    expect(lines.at(-1)).toMatch(/^2 done \(0 from cache\), 1 failed, in \d+\.\d s$/)
    // sharp's stats() reads the input, not the pipeline's output: take the alpha bytes themselves.
    const alpha = await sharp(join(dir, 'out/a/x.png')).extractChannel(3).raw().toBuffer()
    expect([Math.min(...alpha), Math.max(...alpha)]).toEqual([0, 255])

    const second = await rembgKit(args, dir)
    expect(second.stdout.trim().split('\n').at(-1)).toMatch(/^2 done \(2 from cache\), 1 failed/)
  })

  it('takes the format from the output file name and applies the parameters', async () => {
    const run = await rembgKit(
      [
        'remove',
        'photos/a/x.png',
        '-o',
        'white.jpg',
        '--bg-color',
        'white',
        '--w',
        '160',
        '--model',
        testModel,
        '--cache-dir',
        'cache',
      ],
      dir,
    )
    expect(run.code).toBe(0)
    const meta = await sharp(join(dir, 'white.jpg')).metadata()
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['jpeg', 160, 120, false])
    // The corner is background: white after the fill.
    const corner = await sharp(join(dir, 'white.jpg'))
      .extract({ left: 0, top: 0, width: 4, height: 4 })
      .raw()
      .toBuffer()
    expect(Math.min(...corner)).toBeGreaterThan(245)
  })

  it('prints the documented message for a bad parameter and writes nothing', async () => {
    const run = await rembgKit(['remove', 'photos/a/x.png', '-o', 'bad.png', '--w', 'abc'], dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe("rembg-kit: 'w' must be an integer, got: 'abc'\n")
    await expect(stat(join(dir, 'bad.png'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('never overwrites an input image unless asked to', async () => {
    const before = await readFile(join(dir, 'photos/a/x.png'))
    const run = await rembgKit(['remove', 'photos/a/x.png', '-o', 'photos/a/x.png', '--model', testModel], dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `rembg-kit: Output '${join(dir, 'photos/a/x.png')}' would overwrite an input image. Choose another output or pass --overwrite.\n`,
    )
    expect((await readFile(join(dir, 'photos/a/x.png'))).equals(before)).toBe(true)
  })

  it('lets two processes fill the same cache entry at once', async () => {
    const args = (out: string) => [
      'remove',
      'photos/b/x.png',
      '-o',
      out,
      '--model',
      testModel,
      '--cache-dir',
      'shared-cache',
    ]
    const [one, two] = await Promise.all([rembgKit(args('one.webp'), dir), rembgKit(args('two.webp'), dir)])
    expect([one.code, two.code]).toEqual([0, 0])
    expect((await readFile(join(dir, 'one.webp'))).equals(await readFile(join(dir, 'two.webp')))).toBe(true)
    const files = await listFiles(join(dir, 'shared-cache'))
    expect(files.map((f) => f.split('/')[0])).toEqual(['mattes', 'outputs'])
  })
})

describe('rembg-kit models, doctor and providers', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir()
    await writeFile(join(dir, 'box.png'), (await renderScene('box', 160, 120)).png)
  })

  it('pulls a model ahead of time and lists it as present with its licence', async () => {
    const pull = await rembgKit(['models', 'pull', testModel], dir)
    expect(pull.code).toBe(0)
    const path = join(process.env.REMBG_KIT_HOME as string, 'models', 'isnet-imgly.onnx')
    expect(pull.stdout).toBe(`isnet-imgly: ${path}\n`)
    const list = await rembgKit(['models'], dir)
    const row = list.stdout.split('\n').find((l) => l.startsWith('isnet-imgly '))
    expect(row).toMatch(new RegExp(`^isnet-imgly +AGPL-3.0 +quality, fast +yes 88\\.2 MB +${path}$`))
    expect(list.stdout).toMatch(/^bria-rmbg +CC-BY-NC-4.0 \(non-commercial\) +quality +no$/m)
  })

  it('doctor names the real runtime versions and the models present, and exits 1 for a missing model file', async () => {
    const ortVersion = JSON.parse(
      await readFile(join(repoRoot, 'packages/core/node_modules/onnxruntime-node/package.json'), 'utf8'),
    ).version
    const sharpVersion = JSON.parse(
      await readFile(join(repoRoot, 'packages/core/node_modules/sharp/package.json'), 'utf8'),
    ).version
    const ok = await rembgKit(['doctor', '--model', testModel, '--cache-dir', 'cache'], dir)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`node              ${process.version} on ${process.platform}-${process.arch}`)
    expect(ok.stdout).toMatch(new RegExp(`^onnxruntime-node  ${ortVersion} \\(binary .+\\)$`, 'm'))
    expect(ok.stdout).toMatch(new RegExp(`^sharp             ${sharpVersion} with libvips \\d+\\.\\d+\\.\\d+`, 'm'))
    expect(ok.stdout).toMatch(/^ {2}isnet-imgly +AGPL-3\.0 +88\.2 MB +[0-9a-f]{16} +\/.+isnet-imgly\.onnx$/m)
    expect(ok.stdout).toContain(`cache             ${join(dir, 'cache')} (0 B)`)
    expect(ok.stdout).toContain('No problems found.')

    const missing = await rembgKit(['doctor', '--model', './missing.onnx'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain(
      `1 problem:\n- model file '${join(dir, 'missing.onnx')}' does not exist\n  fix: pass --model with the path of an existing .onnx file, or a model name from \`rembg-kit models\`\n`,
    )
  })

  it('fails with the documented message when a required provider is missing, and falls back to cpu once otherwise', async () => {
    const { availableProviders } = await import('../src/onnx/session.js')
    const args = ['remove', 'box.png', '-o', 'box.webp', '--model', testModel, '--no-cache', '--provider', 'cuda']
    const required = await rembgKit([...args, '--require-provider'], dir)
    expect(required.code).toBe(1)
    expect(required.stderr).toBe(
      `rembg-kit: box.png: Execution provider 'cuda' is not available in onnxruntime-node 1.30.0 on ${process.platform}-${process.arch}. Available: ${availableProviders().join(', ')}.\n`,
    )
    const fallback = await rembgKit(args, dir)
    expect(fallback.code).toBe(0)
    // The session form is saved by whichever process loads the model first, then loaded (saved-form.test.ts).
    expect(fallback.stderr).toMatch(
      new RegExp(
        `^rembg-kit: execution provider 'cuda' is not available, using 'cpu'\nrembg-kit: model isnet-imgly on cpu, ${availableParallelism()} threads, (saved session form|session form saved for the next runs)\n$`,
      ),
    )
  })
})
