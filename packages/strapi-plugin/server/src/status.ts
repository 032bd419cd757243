/**
 * The processing status recorded on the file row (attribute `rembg`, never inside `formats`, whose values must all
 * be stored files).
 */

export const statuses = ['done', 'failed', 'pending', 'skipped'] as const

export interface RembgStatus {
  status: (typeof statuses)[number]
  error?: string
  engine: string
  model?: string
  /** Processing time, upload to provider included. */
  ms?: number
  /** ISO date of the record. */
  at: string
}

/** The attribute added to `plugin::upload.file` (a JSON column, shown by the admin and the content API). */
export const statusAttribute = { type: 'json', configurable: false } as const

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
