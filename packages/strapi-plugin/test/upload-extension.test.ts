import { describe, expect, it } from 'vitest'
import type { Queue } from '../server/src/services/queue'
import type { FileRow } from '../server/src/stored-file'
import { extendUploadService } from '../server/src/upload-extension'

interface Service {
  upload(args: unknown): Promise<unknown>
  replace(id: unknown, args: unknown): Promise<unknown>
  findOne(): Promise<unknown>
}

/** A Strapi with a services registry holding a fake upload service, and the request body the content API saw. */
function fakeStrapi(requestBody?: unknown) {
  const calls: unknown[][] = []
  const original = {
    upload: async (args: { files: unknown }) => [args.files].flat().map((_, i) => ({ id: i + 1, name: `f${i}` })),
    replace: async (id: number) => ({ id, name: 'replaced' }),
    findOne: async () => 'untouched',
  }
  let extended: Service | undefined
  const strapi = {
    get: () => ({
      extend: (_uid: string, wrap: (service: typeof original) => unknown) => {
        extended = wrap(original) as Service
      },
    }),
    requestContext: { get: () => (requestBody === undefined ? undefined : { request: { body: requestBody } }) },
  }
  const queue = {
    afterUpload: async (rows: FileRow[], files: unknown[], infos: unknown[]) => {
      calls.push([rows, files, infos])
      return rows.map((row) => ({ ...row, rembg: { status: 'done' } }))
    },
  }
  extendUploadService(strapi as never, queue as unknown as Queue)
  return {
    service: (): Service => {
      if (!extended) throw new Error('the upload service was not extended')
      return extended
    },
    calls,
  }
}

describe('the wrapped upload service', () => {
  it('answers the processed rows in input order and keeps the other methods', async () => {
    const { service, calls } = fakeStrapi()
    const files = [{ filepath: '/tmp/a' }, { filepath: '/tmp/b' }]
    const rows = await service().upload({ data: { fileInfo: [{ name: 'a' }, { rembg: false }] }, files } as never)
    expect(rows).toEqual([
      { id: 1, name: 'f0', rembg: { status: 'done' } },
      { id: 2, name: 'f1', rembg: { status: 'done' } },
    ])
    expect(calls[0]?.[1]).toEqual(files)
    expect(calls[0]?.[2]).toEqual([{ name: 'a' }, { rembg: false }])
    expect(await service().findOne()).toBe('untouched')
  })

  it('answers one row for replace, processed after Strapi replaced it', async () => {
    const { service, calls } = fakeStrapi()
    const row = await service().replace(7 as never, { data: {}, file: { filepath: '/tmp/c' } } as never)
    expect(row).toEqual({ id: 7, name: 'replaced', rembg: { status: 'done' } })
    expect(calls[0]?.[1]).toEqual([{ filepath: '/tmp/c' }])
  })

  it("reads the opt-out from the request when the content API's validation dropped it", async () => {
    const { service, calls } = fakeStrapi({ fileInfo: JSON.stringify({ rembg: false, caption: 'x' }) })
    await service().upload({ data: { fileInfo: { caption: 'x', folder: 3 } }, files: { filepath: '/tmp/a' } } as never)
    expect(calls[0]?.[2]).toEqual([{ rembg: false, caption: 'x', folder: 3 }])
  })

  it('reads one fileInfo per file from a JSON array or from one string per file', async () => {
    const files = [{ filepath: '/tmp/a' }, { filepath: '/tmp/b' }]
    const asArray = fakeStrapi({ fileInfo: JSON.stringify([{ rembg: false }, {}]) })
    await asArray.service().upload({ data: {}, files } as never)
    expect(asArray.calls[0]?.[2]).toEqual([{ rembg: false }, {}])
    const asStrings = fakeStrapi({ fileInfo: ['{}', '{"rembg":false}'] })
    await asStrings.service().upload({ data: {}, files } as never)
    expect(asStrings.calls[0]?.[2]).toEqual([{}, { rembg: false }])
  })
})
