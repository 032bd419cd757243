/**
 * What the plugin's admin routes answer (the Strapi contract of issue 23), and the one way the pages read an error:
 * the server's message, word for word (core's wording for parameters, the policy's for a refusal).
 */
import { isFetchError } from '@strapi/strapi/admin'

export const statuses = ['pending', 'running', 'done', 'failed', 'skipped'] as const
export type Status = (typeof statuses)[number]

/** The file row's `rembg` record. `error` says why for `failed` and `skipped`. */
export interface RembgStatus {
  status: Status
  error?: string
  engine: string
  model?: string
  ms?: number
  at: string
}

/** One row of `GET /rembg/files`. */
export interface FileEntry {
  id: number
  name: string
  mime: string
  folderPath: string
  url: string
  cutoutUrl: string | null
  width: number | null
  height: number | null
  rembg: RembgStatus | null
}

export interface Pagination {
  page: number
  pageSize: number
  total: number
  pageCount: number
}

export interface FileList {
  results: FileEntry[]
  pagination: Pagination
}

export type JobScope = { type: 'library' } | { type: 'folder'; folderId: number; path: string }

export interface Job {
  id: number
  scope: JobScope
  total: number
  done: number
  failed: number
  skipped: number
  state: 'running' | 'finished' | 'cancelled'
  createdAt: string
  finishedAt: string | null
}

/** The settings an admin may change at run time. */
export interface EditableSettings {
  enabled: boolean
  mode: 'variant' | 'replace'
  folders: string[]
  params: Record<string, unknown>
}

/** `GET /rembg/settings`: the effective config (API key masked by the server) and the editable part. */
export interface SettingsView extends Record<string, unknown> {
  editable: EditableSettings
}

/** The admin routes, under the plugin's prefix. */
export const routes = {
  files: '/rembg/files',
  processFile: (id: number): string => `/rembg/files/${id}/process`,
  processFolder: (id: number): string => `/rembg/folders/${id}/process`,
  processLibrary: '/rembg/library/process',
  jobs: '/rembg/jobs',
  cancelJob: (id: number): string => `/rembg/jobs/${id}/cancel`,
  settings: '/rembg/settings',
} as const

/**
 * The message to show for a failed request: the server's own (`{ error: { message } }`), untouched, so that core's
 * wording reaches the editor; the client's message when the server sent none (network down).
 */
export function errorMessage(error: unknown, fallback: string): string {
  if (isFetchError(error)) {
    const message = error.response?.data?.error?.message
    if (typeof message === 'string' && message !== '') return message
  }
  return error instanceof Error && error.message !== '' ? error.message : fallback
}

/**
 * A stored file's URL as the browser can load it: the local provider answers paths (`/uploads/a.png`), which live on
 * Strapi's server, not necessarily on the admin's origin. A cutout made again keeps its path, so `version` is added
 * to local paths for the browser to fetch it anew; provider URLs (signed ones included) are left exactly as they are.
 */
export function fileUrl(url: string, version?: string): string {
  if (!url.startsWith('/')) return url
  const backend = (window as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? ''
  return version === undefined ? `${backend}${url}` : `${backend}${url}?v=${encodeURIComponent(version)}`
}
