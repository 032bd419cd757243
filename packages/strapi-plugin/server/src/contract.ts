/**
 * What the plugin's admin routes answer: the shapes the server builds and the admin pages read. Types and constants
 * only, with no import, so that the admin (a browser bundle, type-checked without Node's types) can import its
 * types from here instead of repeating them.
 */

export const statuses = ['done', 'failed', 'pending', 'running', 'skipped'] as const

/** The file row's `rembg` record (see status.ts). */
export interface RembgStatus {
  status: (typeof statuses)[number]
  /** Why it failed, or why it was skipped. */
  error?: string
  engine: string
  model?: string
  /** Processing time, upload to provider included. */
  ms?: number
  /** ISO date of the record. */
  at: string
}

/** One row of `GET /rembg/files`. */
export interface ListedFile {
  id: number
  name: string
  mime: string
  /** The folder by names (`/Products/Shoes`), `/` for the root. */
  folderPath: string
  url: string
  cutoutUrl: string | null
  width: number | null
  height: number | null
  rembg: RembgStatus | null
}

/** `GET /rembg/files`. */
export interface FileList {
  results: ListedFile[]
  pagination: { page: number; pageSize: number; total: number; pageCount: number }
}

export type JobScope = { type: 'library' } | { type: 'folder'; folderId: number; path: string }
export type JobState = 'running' | 'finished' | 'cancelled'

/** What the admin routes answer for a job. */
export interface Job {
  id: number
  scope: JobScope
  total: number
  /** Files processed with status `done`. */
  done: number
  /** Files whose processing failed (status `failed`, or unreadable). */
  failed: number
  /** Files left alone, with the reason on the file (not an image, excluded by the config's rules, deleted). */
  skipped: number
  state: JobState
  createdAt: string
  finishedAt: string | null
}
