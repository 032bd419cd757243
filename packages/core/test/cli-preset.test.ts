import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { iou, renderScene, repoRoot, tempDir, testModel } from './helpers.js'

const bin = join(repoRoot, 'packages/core/bin/rembg-kit.js')

/** Runs the built CLI as a user would (the root test command builds it first). */
async function rembgKit(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const run = promisify(execFile)(process.execPath, [bin, ...args], { cwd, env: { ...process.env, CI: 'true' } })
    return { code: 0, ...(await run) }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('rembg-kit --preset', () => {
  let dir: string
  let scene: Awaited<ReturnType<typeof renderScene>>
  beforeAll(async () => {
    dir = await tempDir()
    scene = await renderScene('ball', 320, 240)
    await writeFile(join(dir, 'ball.png'), scene.png)
  })

  it('fast writes the cutout with a transparent background and the subject kept', async () => {
    const run = await rembgKit(
      [
        'remove',
        'ball.png',
        '-o',
        'ball.png.out.png',
        '--model',
        testModel,
        '--preset',
        'fast',
        '--cache-dir',
        'cache',
      ],
      dir,
    )
    expect(run.stderr).toContain('preset fast (640x640)')
    expect(run.code).toBe(0)
    const { data, info } = await sharp(join(dir, 'ball.png.out.png')).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([320, 240, 4])
    const alpha = Buffer.alloc(info.width * info.height)
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3] as number
    expect(alpha[0]).toBe(0) // a corner: background
    expect(alpha[120 * 320 + 160]).toBe(255) // the centre: the ball
    expect(iou(alpha, scene.truth)).toBeGreaterThan(0.98)
  })

  it('refuses an unknown preset with core message, before any work', async () => {
    const run = await rembgKit(['remove', 'ball.png', '-o', 'x.png', '--model', testModel, '--preset', 'turbo'], dir)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain("Unknown preset 'turbo'. Presets: quality, fast")
  })

  it('models and doctor list the presets with what each costs', async () => {
    const models = await rembgKit(['models'], dir)
    expect(models.stdout).toMatch(/^preset quality: the model at the input size it was trained at/m)
    expect(models.stdout).toMatch(/^preset fast: IS-Net at 640x640, .*; about 0\.\d+x the time per image/m)
    const doctor = await rembgKit(['doctor', '--model', testModel], dir)
    expect(doctor.stdout).toContain(
      'presets           quality, fast (--preset; default quality); isnet-imgly has: quality, fast',
    )
    expect(doctor.stdout).toMatch(/^ {2}preset fast: /m)
  })
})
