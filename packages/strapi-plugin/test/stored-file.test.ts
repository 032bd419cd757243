import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  bytesToKbytes,
  cutoutEntity,
  cutoutHash,
  type FileRow,
  mainFileFields,
  mainFileOf,
  renameExtension,
  toStoredFile,
} from '../server/src/stored-file'

const cutout = { data: Buffer.alloc(12_345, 7), width: 640, height: 480, mime: 'image/png', extension: 'png' }

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

describe('the cutout entity handed to the upload provider', () => {
  it('is a complete file with its own hash', () => {
    const entity = cutoutEntity(cutout, { name: 'rembg_ball.png', hash: cutoutHash('ball_a1b2c3'), path: null })
    const { getStream, ...fields } = entity
    expect(fields).toEqual({
      name: 'rembg_ball.png',
      hash: 'ball_a1b2c3_rembg',
      ext: '.png',
      mime: 'image/png',
      path: null,
      width: 640,
      height: 480,
      size: 12.35,
      sizeInBytes: 12_345,
    })
    expect(typeof getStream).toBe('function')
  })

  it('gives a fresh stream of the bytes on every call', async () => {
    const entity = cutoutEntity(cutout, { name: 'a.png', hash: 'a', path: null })
    expect(await readAll(entity.getStream())).toEqual(cutout.data)
    expect(await readAll(entity.getStream())).toEqual(cutout.data)
  })

  it('becomes a stored file keeping what the provider set and nothing transient', () => {
    const entity = cutoutEntity(cutout, { name: 'a.png', hash: 'a_rembg', path: null })
    Object.assign(entity, { url: 'https://cdn.example/a_rembg.png', provider_metadata: { id: 9 }, buffer: cutout.data })
    const stored = toStoredFile({ ...entity, filepath: '/tmp/x', stream: Readable.from([]) })
    expect(stored).toEqual({
      name: 'a.png',
      hash: 'a_rembg',
      ext: '.png',
      mime: 'image/png',
      path: null,
      width: 640,
      height: 480,
      size: 12.35,
      sizeInBytes: 12_345,
      url: 'https://cdn.example/a_rembg.png',
      provider_metadata: { id: 9 },
    })
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored)
  })

  it('refuses to record a file the provider gave no url', () => {
    const entity = cutoutEntity(cutout, { name: 'a.png', hash: 'a_rembg', path: null })
    expect(() => toStoredFile(entity)).toThrow('the upload provider set no url for a.png')
  })
})

describe('replace mode', () => {
  const row: FileRow = {
    id: 3,
    name: 'ball.jpg',
    hash: 'ball_a1',
    ext: '.jpg',
    mime: 'image/jpeg',
    path: null,
    width: 640,
    height: 480,
    size: 48.2,
    sizeInBytes: 48_200,
    url: '/uploads/ball_a1.jpg',
    formats: { thumbnail: {} as never },
    provider_metadata: null,
  }

  it("keeps the row's main file whole as the original", () => {
    expect(mainFileOf(row)).toEqual({
      name: 'ball.jpg',
      hash: 'ball_a1',
      ext: '.jpg',
      mime: 'image/jpeg',
      path: null,
      width: 640,
      height: 480,
      size: 48.2,
      sizeInBytes: 48_200,
      url: '/uploads/ball_a1.jpg',
    })
  })

  it('takes the true length of the stored original when given', () => {
    const { sizeInBytes: _, ...withoutLength } = row
    expect(mainFileOf({ ...withoutLength, size: 52.92 } as FileRow, 52_924).sizeInBytes).toBe(52_924)
    expect(mainFileOf({ ...withoutLength, size: 52.92 } as FileRow).sizeInBytes).toBe(52_920)
  })

  it('takes the main file fields from the stored cutout', () => {
    const stored = {
      ...mainFileOf(row),
      name: 'ball.png',
      hash: 'ball_a1_rembg',
      ext: '.png',
      mime: 'image/png',
      url: '/uploads/ball_a1_rembg.png',
    }
    expect(mainFileFields(stored)).toEqual({
      name: 'ball.png',
      hash: 'ball_a1_rembg',
      ext: '.png',
      mime: 'image/png',
      width: 640,
      height: 480,
      size: 48.2,
      url: '/uploads/ball_a1_rembg.png',
      provider_metadata: null,
    })
  })

  it('renames the extension to the output format', () => {
    expect(renameExtension('ball.jpg', 'png')).toBe('ball.png')
    expect(renameExtension('my.photo.JPEG', 'webp')).toBe('my.photo.webp')
    expect(renameExtension('scan', 'png')).toBe('scan.png')
  })

  it("rounds sizes to KB as Strapi's bytesToKbytes does", () => {
    expect(bytesToKbytes(12_345)).toBe(12.35)
    expect(bytesToKbytes(999)).toBe(1)
  })
})
