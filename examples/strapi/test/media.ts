/**
 * What the tests do to a running Strapi through HTTP, as a front end or the admin panel would: multipart uploads with
 * real image bytes, reading file rows back, fetching stored files through their URLs, and checking a processed file.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { expect } from 'vitest'
import { expectCutout } from '../../test-support.ts'
import { fixture, type RunningStrapi } from './strapi.ts'

/** One entry of `formats`: a complete stored file. */
export interface StoredFormat {
  name: string
  hash: string
  ext: string
  mime: string
  path: string | null
  width: number
  height: number
  size: number
  sizeInBytes: number
  url: string
}

/** The status the plugin records on each file (not inside `formats`). */
export interface RembgStatus {
  status: 'done' | 'failed' | 'pending' | 'running' | 'skipped'
  error?: string
  engine: string
  model?: string
  ms?: number
  at: string
}

export interface FileRow extends Omit<StoredFormat, 'path' | 'sizeInBytes'> {
  id: number
  formats: Record<string, StoredFormat> | null
  provider: string
  folder?: { id: number; path: string } | null
  folderPath: string
  rembg?: RembgStatus | null
}

export interface Upload {
  name: string
  bytes: Buffer
  type: string
}

/** One of the generated 640x480 scenes (corners background, centre the object). */
export async function scene(name: 'ball' | 'vase' | 'box', fileName = `${name}.jpg`): Promise<Upload> {
  return { name: fileName, bytes: await readFile(fixture(`${name}.jpg`)), type: 'image/jpeg' }
}

/** Strapi's `fileInfo`: one object for one file, an array (one per file, in order) for several. */
type FileInfo = Record<string, unknown> | Record<string, unknown>[]

function form(files: Upload[], fileInfo?: FileInfo): FormData {
  const body = new FormData()
  for (const file of files) body.append('files', new Blob([file.bytes], { type: file.type }), file.name)
  if (fileInfo) body.append('fileInfo', JSON.stringify(fileInfo))
  return body
}

async function send<T>(app: RunningStrapi, path: string, init: RequestInit & { token: string }): Promise<T> {
  const response = await fetch(`${app.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.token}`, ...(init.headers as Record<string, string>) },
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

/** `POST /api/upload` with the API token (content API). Answers the rows, in the order of the files. */
export function uploadThroughContentApi(
  app: RunningStrapi,
  files: Upload[],
  options: { fileInfo?: FileInfo } = {},
): Promise<FileRow[]> {
  return send(app, '/api/upload', { method: 'POST', token: app.apiToken, body: form(files, options.fileInfo) })
}

/** `POST /api/upload?id=<id>`: Strapi's own replace of a file's bytes (same row, same hash). Answers the row. */
export function replaceThroughContentApi(app: RunningStrapi, id: number, file: Upload): Promise<FileRow> {
  return send(app, `/api/upload?id=${id}`, { method: 'POST', token: app.apiToken, body: form([file]) })
}

/** `POST /upload` with the admin JWT, what the content manager's media dialog sends (`fileInfo.folder` allowed). */
export function uploadThroughAdmin(app: RunningStrapi, files: Upload[], fileInfo?: FileInfo): Promise<FileRow[]> {
  return send(app, '/upload', { method: 'POST', token: app.adminJwt, body: form(files, fileInfo) })
}

/** `POST /upload/files` with the admin JWT: what the Media Library page sends, one file a request. Answers the row. */
export function uploadThroughMediaLibrary(app: RunningStrapi, file: Upload, fileInfo?: FileInfo): Promise<FileRow> {
  return send(app, '/upload/files', { method: 'POST', token: app.adminJwt, body: form([file], fileInfo) })
}

/** `POST /upload/files/:id/replace`: the Media Library page's "Replace media". Answers the row. */
export function replaceThroughMediaLibrary(app: RunningStrapi, id: number, file: Upload): Promise<FileRow> {
  return send(app, `/upload/files/${id}/replace`, { method: 'POST', token: app.adminJwt, body: form([file]) })
}

/** `GET /upload/files/:id` (admin: the folder is populated). */
export function adminFile(app: RunningStrapi, id: number): Promise<FileRow> {
  return send(app, `/upload/files/${id}`, { token: app.adminJwt })
}

/** `GET /api/upload/files/:id` (content API). */
export function contentApiFile(app: RunningStrapi, id: number): Promise<FileRow> {
  return send(app, `/api/upload/files/${id}`, { token: app.apiToken })
}

/** `POST` (or `GET`) on an admin route with the admin JWT and a JSON body. */
export function adminRequest<T>(app: RunningStrapi, method: string, path: string, body?: unknown): Promise<T> {
  return send(app, path, {
    method,
    token: app.adminJwt,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
}

/** Creates a Media Library folder (at the root, or in `parent`) and answers its id. */
export async function createFolder(app: RunningStrapi, name: string, parent: number | null = null): Promise<number> {
  const { data } = await adminRequest<{ data: { id: number } }>(app, 'POST', '/upload/folders', { name, parent })
  return data.id
}

/** A stored file's bytes, read through its URL: relative URLs from the running server, absolute ones as they are. */
export async function fetchStored(app: RunningStrapi, url: string): Promise<Buffer> {
  const response = await fetch(url.startsWith('/') ? `${app.url}${url}` : url)
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

/** `formats.rembg` is a complete stored PNG of the scene's size, served from its URL with a transparent background. */
export async function expectProcessed(app: RunningStrapi, row: FileRow): Promise<Buffer> {
  expect(row.rembg).toMatchObject({ status: 'done', engine: 'local', model: 'isnet-imgly' })
  const stored = row.formats?.rembg
  if (!stored) throw new Error(`no formats.rembg on ${row.name}: ${JSON.stringify(row.formats)}`)
  expect(stored).toMatchObject({ ext: '.png', mime: 'image/png', width: 640, height: 480 })
  expect(stored.hash).not.toBe(row.hash)
  const bytes = await fetchStored(app, stored.url)
  expect(stored.sizeInBytes).toBe(bytes.length)
  expect(stored.size).toBeCloseTo(bytes.length / 1000, 1)
  await expectCutout(bytes, { format: 'png', width: 640, height: 480 })
  return bytes
}

/** No `rembg` entry (nor any size made from it) in `formats`, and no status: the plugin never touched the row. */
export function expectUntouched(row: FileRow): void {
  expect(Object.keys(row.formats ?? {}).filter((key) => key.includes('rembg'))).toEqual([])
  expect(row.rembg ?? null).toBeNull()
}

/** The decoded format and size of stored bytes. */
export async function imageFacts(bytes: Buffer): Promise<{ format?: string; width?: number; height?: number }> {
  const { format, width, height } = await sharp(bytes).metadata()
  return { format, width, height }
}

/** Mattes in core's cache of a running copy (one per inference): `<app>/.cache/rembg-kit/mattes/<xx>/<key>.png`. */
export async function countMattes(app: RunningStrapi): Promise<number> {
  const dir = join(app.dir, '.cache', 'rembg-kit', 'mattes')
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[])
  return entries.filter((entry) => entry.endsWith('.png')).length
}

/** Reads a file row until its status is neither `pending` nor `running` (async mode records it after the response). */
export async function waitForStatus(app: RunningStrapi, id: number, timeoutMs = 90_000): Promise<FileRow> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const row = await contentApiFile(app, id)
    const waiting = row.rembg?.status === 'pending' || row.rembg?.status === 'running'
    if (!waiting || Date.now() > deadline) return row
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
