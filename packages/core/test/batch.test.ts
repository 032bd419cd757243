import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatFromFileName, planBatch } from '../src/batch.js'
import { tempDir } from './helpers.js'

describe('planBatch', () => {
  let cwd: string
  beforeAll(async () => {
    cwd = await tempDir()
    for (const file of ['in/a/x.jpg', 'in/b/x.jpg', 'in/b/deep/y.PNG', 'in/notes.txt', 'same/x.jpg', 'same/x.png']) {
      await mkdir(join(cwd, file, '..'), { recursive: true })
      await writeFile(join(cwd, file), '')
    }
  })

  it('keeps the input tree under the output folder, so equal names in two folders never collide', async () => {
    const { items, batch } = await planBatch(['in'], { output: 'out', format: 'png', cwd })
    expect(batch).toBe(true)
    expect(items.map((i) => [i.input.slice(cwd.length + 1), i.output.slice(cwd.length + 1)])).toEqual([
      ['in/a/x.jpg', 'out/a/x.png'],
      ['in/b/deep/y.PNG', 'out/b/deep/y.png'],
      ['in/b/x.jpg', 'out/b/x.png'],
    ])
  })

  it('treats a glob as a batch relative to its fixed part', async () => {
    const { items } = await planBatch(['in/b/**/*.{jpg,PNG}'], { output: 'out', format: 'webp', cwd })
    expect(items.map((i) => i.output.slice(cwd.length + 1))).toEqual(['out/deep/y.webp', 'out/x.webp'])
  })

  it('writes one input to the output file itself', async () => {
    const { items, batch } = await planBatch(['in/a/x.jpg'], { output: 'cut.png', format: 'png', cwd })
    expect(batch).toBe(false)
    expect(items).toEqual([{ input: join(cwd, 'in/a/x.jpg'), output: join(cwd, 'cut.png') }])
  })

  it('writes one input into a folder given as the output, named after the input', async () => {
    for (const output of ['cuts/', 'in/b']) {
      const { items, batch } = await planBatch(['in/a/x.jpg'], { output, format: 'webp', cwd })
      expect(batch).toBe(false)
      expect(items).toEqual([{ input: join(cwd, 'in/a/x.jpg'), output: join(cwd, output, 'x.webp') }])
    }
  })

  it('refuses an output file whose extension names another format', async () => {
    await expect(planBatch(['in/a/x.jpg'], { output: 'cut.png', format: 'webp', cwd })).rejects.toMatchObject({
      message: "Output 'cut.png' is named .png but the format is webp",
      field: 'format',
    })
    await expect(planBatch(['in/a/x.jpg'], { output: 'cut.gif', format: 'webp', cwd })).rejects.toMatchObject({
      message:
        "Output 'cut.gif' has the extension '.gif', which is not an output format (webp, png, jpg, jpeg, bmp); end a folder with /",
      field: 'output',
    })
    const jpg = await planBatch(['in/a/x.jpg'], { output: 'cut.JPG', format: 'jpeg', cwd })
    expect(jpg.items[0]?.output).toBe(join(cwd, 'cut.JPG'))
  })

  it('refuses two inputs that would write one output, naming both', async () => {
    await expect(planBatch(['same'], { output: 'out', format: 'png', cwd })).rejects.toMatchObject({
      message: `'${join(cwd, 'same/x.jpg')}' and '${join(cwd, 'same/x.png')}' would both be written to '${join(cwd, 'out/x.png')}'`,
      field: 'output',
    })
  })

  it('refuses to overwrite an input unless asked, and names an input that matches nothing', async () => {
    const options = { output: '.', format: 'png' as const, cwd: join(cwd, 'same') }
    await expect(planBatch(['x.jpg', 'x.png'], options)).rejects.toMatchObject({
      message: `'${join(cwd, 'same/x.jpg')}' and '${join(cwd, 'same/x.png')}' would both be written to '${join(cwd, 'same/x.png')}'`,
    })
    await expect(planBatch(['x.png'], { ...options, output: 'x.png' })).rejects.toMatchObject({
      message: `Output '${join(cwd, 'same/x.png')}' would overwrite an input image. Choose another output or pass --overwrite.`,
    })
    const allowed = await planBatch(['x.png'], { ...options, output: 'x.png', overwrite: true })
    expect(allowed.items).toHaveLength(1)
    await expect(planBatch(['missing/*.jpg'], { ...options, output: 'out' })).rejects.toMatchObject({
      message: "No input matches 'missing/*.jpg'",
      field: 'input',
    })
  })

  it('reads the output format from a file name', () => {
    expect(['a.PNG', 'a.jpg', 'a.jpeg', 'a.webp', 'a.bmp', 'a.gif', 'a'].map(formatFromFileName)).toEqual([
      'png',
      'jpeg',
      'jpeg',
      'webp',
      'bmp',
      undefined,
      undefined,
    ])
  })
})
