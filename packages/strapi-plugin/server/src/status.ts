/**
 * The processing status recorded on the file row (attribute `rembg`, never inside `formats`, whose values must all
 * be stored files). `rembgStatus` repeats its `status` in a plain column, private (never in an API answer), so the
 * plugin page can filter files by status with a plain query on every database (JSON columns query differently on
 * each).
 */

import type { RembgStatus } from './contract'

/** The attribute added to `plugin::upload.file` (a JSON column, shown by the admin and the content API). */
export const statusAttribute = { type: 'json', configurable: false } as const

/** The status alone, for queries; never shown by the APIs. */
export const statusColumnAttribute = { type: 'string', configurable: false, private: true } as const

export function statusRecord(
  status: RembgStatus['status'],
  source: { engine: string; model: string },
  extra: { ms?: number; error?: string } = {},
): RembgStatus {
  const record: RembgStatus = { status, engine: source.engine, model: source.model, at: new Date().toISOString() }
  if (extra.ms !== undefined) record.ms = Math.round(extra.ms)
  if (extra.error !== undefined) record.error = extra.error
  return record
}

/** The row fields that record `status`: the JSON shown to users and its query column. */
export const statusFields = (status: RembgStatus): { rembg: RembgStatus; rembgStatus: RembgStatus['status'] } => ({
  rembg: status,
  rembgStatus: status.status,
})
