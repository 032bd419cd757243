import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import type { Core } from '../server/src/core'
import { resolveConfig } from '../server/src/options'
import { Processor } from '../server/src/services/processor'
import { Queue } from '../server/src/services/queue'
import type { FileRow } from '../server/src/stored-file'

const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082',
  'hex',
)

/** A Strapi whose database answers updates by merging, and whose log keeps its warnings. */
function fakeStrapi() {
  const warnings: string[] = []
  const updates: unknown[] = []
  const strapi = {
    log: { warn: (line: string) => warnings.push(line), debug: () => {} },
    db: {
      query: () => ({
        update: async ({ where, data }: { where: { id: number }; data: object }) => {
          updates.push(data)
          return { id: where.id, name: 'ball.jpg', ...data }
        },
        findMany: async () => [],
      }),
    },
  }
  return { strapi, warnings, updates }
}

function processorWith(remove: () => Promise<never>, raw: object = {}) {
  const fake = fakeStrapi()
  const processor = new Processor(fake.strapi as never)
  const fakeCore = { ...core, createRemover: () => ({ remove }) } as unknown as Core
  processor.init(resolveConfig({ model: 'isnet-imgly', ...raw }, { appRoot: '/srv/app', core }), fakeCore)
  return { processor, ...fake }
}

const row = { id: 12, name: 'ball.jpg', hash: 'ball_1', ext: '.jpg', formats: {} } as unknown as FileRow

describe('a failed removal', () => {
  it('is recorded on the row and logged with the file name and reason, never thrown', async () => {
    const { processor, warnings } = processorWith(() =>
      Promise.reject(new core.RembgError('model missing', { status: 500, code: 'X' })),
    )
    const processed = await processor.process(row, png)
    expect(processed.rembg).toMatchObject({
      status: 'failed',
      error: 'model missing',
      engine: 'local',
      model: 'isnet-imgly',
    })
    expect(new Date((processed.rembg as { at: string }).at).getTime()).not.toBeNaN()
    expect(warnings).toEqual(["rembg: could not remove the background of 'ball.jpg' (file 12): model missing"])
  })
})

describe('which uploads are read', () => {
  async function tempFile(bytes: Buffer): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'rembg-plugin-test-')), 'upload')
    await writeFile(path, bytes)
    return path
  }

  it('leaves non-images, opted-out and excluded uploads without any write', async () => {
    const { processor, updates } = processorWith(() => Promise.reject(new Error('not reached')), { exclude: ['raw-*'] })
    const text = await tempFile(Buffer.from('hello'))
    const image = await tempFile(png)
    const rows = [
      { ...row, id: 1, name: 'notes.txt' },
      { ...row, id: 2, name: 'ball.png' },
      { ...row, id: 3, name: 'raw-ball.png' },
    ]
    const files = [
      { filepath: text, size: 5 },
      { filepath: image, size: png.length },
      { filepath: image, size: png.length },
    ]
    const queue = new Queue({ log: { debug: () => {} }, plugin: () => ({ service: () => processor }) } as never)
    const answered = await queue.afterUpload(rows, files, [{}, { rembg: false }, {}])
    expect(answered).toEqual(rows)
    expect(updates).toEqual([])
  })
})
