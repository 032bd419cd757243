import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCommand } from '../src/cli/main.js'
import { type CropBox, subjectBox } from '../src/crop.js'
import { renderScene, tempDir, testModel } from './helpers.js'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs one command line through the CLI's own entry, with its output captured as a terminal-less run would show it. */
async function rembgKit(args: string[], cwd: string): Promise<Run> {
  const captured = { stdout: '', stderr: '' }
  const stream = (name: 'stdout' | 'stderr') =>
    ({
      write: (chunk: string) => {
        captured[name] += chunk
        return true
      },
    }) as unknown as NodeJS.WritableStream
  const code = await runCommand(args, { stdout: stream('stdout'), stderr: stream('stderr'), env: { CI: 'true' }, cwd })
  return { code, ...captured }
}

/** The `ok` line's output size and crop box: `ok   a -> b (WxH, N ms, <cache>, cropped to WxH at L,T)`. */
function parseOkLine(stdout: string): { size: number[]; cache: string; box: CropBox } {
  const match =
    /^ok {3}\S+ -> \S+ \((\d+)x(\d+), \d+ ms, ([a-z ]+), cropped to (\d+)x(\d+) at (-?\d+),(-?\d+)\)\n$/.exec(stdout)
  if (!match) throw new Error(`not an ok line with a crop: ${JSON.stringify(stdout)}`)
  const [width, height, cache, boxWidth, boxHeight, left, top] = match.slice(1)
  return {
    size: [Number(width), Number(height)],
    cache: cache as string,
    box: { left: Number(left), top: Number(top), width: Number(boxWidth), height: Number(boxHeight) },
  }
}

describe('rembg-kit remove --crop', () => {
  let dir: string
  let truth: CropBox
  const engineFlags = ['--model', testModel, '--cache-dir', 'cache']

  beforeAll(async () => {
    dir = await tempDir()
    const scene = await renderScene('vase', 320, 240)
    truth = subjectBox(scene.truth, scene.width, scene.height, 127) as CropBox
    await writeFile(join(dir, 'vase.png'), scene.png)
  })

  it('crops to the subject with a margin in percent, says so, and says the same from the cache', async () => {
    const args = ['remove', 'vase.png', '-o', 'vase.png.png', '--crop', '--crop-margin', '10%', ...engineFlags]
    const first = await rembgKit(args, dir)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const line = parseOkLine(first.stdout)
    expect(line.cache).toBe('computed')
    // The vase's box grown by 10 % of its width on the left and right, of its height on top and below.
    const expected = {
      left: truth.left - Math.round(truth.width / 10),
      top: truth.top - Math.round(truth.height / 10),
      right: truth.left + truth.width + Math.round(truth.width / 10),
      bottom: truth.top + truth.height + Math.round(truth.height / 10),
    }
    const actual = { ...line.box, right: line.box.left + line.box.width, bottom: line.box.top + line.box.height }
    for (const side of ['left', 'top', 'right', 'bottom'] as const) {
      expect(Math.abs(actual[side] - expected[side])).toBeLessThanOrEqual(1)
    }
    const meta = await sharp(join(dir, 'vase.png.png')).metadata()
    expect([meta.width, meta.height]).toEqual(line.size)
    expect(line.size).toEqual([line.box.width, line.box.height])

    const again = await rembgKit(args, dir)
    expect(parseOkLine(again.stdout)).toStrictEqual({ ...line, cache: 'cached' })
  })

  it('takes two margins in one quoted value and --w after the crop', async () => {
    const run = await rembgKit(
      ['remove', 'vase.png', '-o', 'two.png', '--crop', '--crop-margin', '10px 20px', '--w', '100', ...engineFlags],
      dir,
    )
    expect(run.code).toBe(0)
    const { size, box } = parseOkLine(run.stdout)
    expect(Math.abs(box.width - (truth.width + 40))).toBeLessThanOrEqual(2)
    expect(Math.abs(box.height - (truth.height + 20))).toBeLessThanOrEqual(2)
    expect(size).toEqual([100, Math.round((box.height * 100) / box.width)])
  })

  it('reports an image left whole when nothing is above --crop-threshold', async () => {
    const run = await rembgKit(
      ['remove', 'vase.png', '-o', 'whole.png', '--crop', '--crop-threshold', '255', ...engineFlags],
      dir,
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^ok {3}vase\.png -> whole\.png \(320x240, \d+ ms, matte cached, not cropped: no pixel above the threshold \(255\)\)\n$/,
    )
  })

  it('prints the documented messages for bad crop flags and writes nothing', async () => {
    const one = await rembgKit(['remove', 'vase.png', '-o', 'bad.png', '--crop', '--crop-margin', '60%'], dir)
    expect(one.code).toBe(1)
    expect(one.stderr).toBe("rembg-kit: 'crop_margin' must be at most 500px or 50% a side, got: '60%'\n")
    const several = await rembgKit(
      ['remove', 'vase.png', '-o', 'bad.png', '--crop-threshold', '-1', '--crop-margin', '1,2,3'],
      dir,
    )
    expect(several.stderr).toBe(
      'rembg-kit: Multiple validation errors\n' +
        "  crop_threshold: 'crop_threshold' must be at least 0, got: -1\n" +
        "  crop_margin: 'crop_margin' must be 1, 2 or 4 margins (all; top-bottom left-right; top right bottom left), each in whole pixels (30px or 30) or percent (10%), got: '1,2,3'\n",
    )
  })

  it('documents the flags in --help', async () => {
    const help = await rembgKit(['remove', '--help'], dir)
    expect(help.stdout).toContain('  --crop                  trim to the subject')
    expect(help.stdout).toContain('  --crop-threshold <n>    ')
    expect(help.stdout).toContain('  --crop-margin <m>       ')
  })
})
