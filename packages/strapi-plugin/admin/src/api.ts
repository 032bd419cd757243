/**
 * The plugin's admin routes (their answers' types are the server's, in server/src/contract.ts), and the one way the
 * pages read an error: the server's message, word for word (core's wording for parameters, the policy's for a
 * refusal).
 */
import { isFetchError } from '@strapi/strapi/admin'

import type { RembgStatus } from '../../server/src/contract'

export type { FileList, Job, JobScope, ListedFile, RembgStatus } from '../../server/src/contract'

export type Status = RembgStatus['status']
/** The statuses in the order the filter shows them (the order of processing). */
export const statuses: readonly Status[] = ['pending', 'running', 'done', 'failed', 'skipped']

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
