/**
 * Every upload path (content API, admin Media Library, replace, URL import, programmatic calls) ends in the upload
 * service's exported `upload` or `replace`; its internal steps are closures, so the service is wrapped, not patched.
 * The wrappers keep the return shapes: `upload` an array in input order, `replace` one row.
 */
import type { Core as Strapi } from '@strapi/strapi'
import type { UploadedFile } from './services/processor'
import type { Queue } from './services/queue'
import type { FileRow } from './stored-file'

interface UploadService {
  upload(
    args: { data?: { fileInfo?: unknown }; files: UploadedFile | UploadedFile[] },
    opts?: unknown,
  ): Promise<FileRow[]>
  replace(id: unknown, args: { data?: { fileInfo?: unknown }; file: UploadedFile }, opts?: unknown): Promise<FileRow>
}

const toArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]

export function extendUploadService(strapi: Strapi.Strapi, queue: Queue): void {
  strapi.get('services').extend('plugin::upload.upload', (service: UploadService) => ({
    ...service,
    async upload(args: Parameters<UploadService['upload']>[0], opts?: unknown): Promise<FileRow[]> {
      const rows = await service.upload(args, opts)
      const files = toArray(args.files)
      return queue.afterUpload(rows, files, fileInfos(strapi, args.data?.fileInfo, files.length))
    },
    // Strapi's replace rebuilds `formats` and deletes the keys it did not make (ours included): process after it.
    async replace(id: unknown, args: Parameters<UploadService['replace']>[1], opts?: unknown): Promise<FileRow> {
      const row = await service.replace(id, args, opts)
      const [processed] = await queue.afterUpload([row], [args.file], fileInfos(strapi, args.data?.fileInfo, 1))
      return processed ?? row
    },
  }))
}

/**
 * Each upload's `fileInfo`, with the request's own fields merged under it: the content API's validation drops keys it
 * does not know (`rembg` among them) before the service is called, so the opt-out is read from the request too.
 */
function fileInfos(strapi: Strapi.Strapi, given: unknown, count: number): unknown[] {
  const validated = toArray(given)
  const request = requestFileInfos(strapi)
  return Array.from({ length: count }, (_, i) => {
    const fromRequest = request[count === 1 ? 0 : i]
    const fromService = validated[i]
    return { ...asObject(fromRequest), ...asObject(fromService) }
  })
}

function requestFileInfos(strapi: Strapi.Strapi): unknown[] {
  const ctx = strapi.requestContext.get() as { request?: { body?: { fileInfo?: unknown } } } | undefined
  // One JSON string for one file, a JSON array or one string per file for several.
  return toArray(parseJson(ctx?.request?.body?.fileInfo)).flatMap((info) => parseJson(info))
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
