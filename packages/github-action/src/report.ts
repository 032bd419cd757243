/**
 * The job summary and the pull request comment: one table (file, size before and after, dimensions, time, cache) with
 * an error row per failed file, then notes. Both stay under GitHub's caps (a comment holds 65,536 characters, a step
 * summary 1 MiB): rows past the cap are dropped and the table says so.
 */
import type { FileResult } from './process-files.js'

/** Finds the action's one comment among a pull request's comments. */
export const commentMarker = '<!-- rembg-kit:cutouts -->'
export const commentLimit = 65_536
export const summaryLimit = 1024 * 1024

export interface Report {
  results: FileResult[]
  /** One line each: LFS pointers, files over max-files, a rejected push, a fork's read-only token. */
  notes: string[]
  /** Where outputs went: `committed in abc1234`, `uploaded as the artifact rembg-kit-cutouts`, ... */
  outcome: string
  /** Links to blobs, when the files can be seen on GitHub. */
  links?: { inputs?: string; outputs?: string }
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replace(/\r?\n/g, '<br>')

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

const link = (path: string, base: string | undefined): string =>
  base ? `[${escapeCell(path)}](${base}/${path.split('/').map(encodeURIComponent).join('/')})` : escapeCell(path)

function row(result: FileResult, links: Report['links']): string {
  const time = `${(result.ms / 1000).toFixed(1)} s`
  if (result.status === 'failed') {
    return `| ${link(result.input, links?.inputs)} | ❌ ${escapeCell(result.error ?? 'failed')} | ${formatBytes(result.bytesBefore)} | — | — | ${time} | — |`
  }
  const output = link(result.output, links?.outputs) + (result.status === 'unchanged' ? ' (unchanged)' : '')
  const size = `${result.width}×${result.height}`
  return `| ${link(result.input, links?.inputs)} | ${output} | ${formatBytes(result.bytesBefore)} | ${formatBytes(result.bytesAfter)} | ${size} | ${time} | ${result.cache} |`
}

/** `3 images: 2 written, 1 unchanged, 0 failed; 2 inferences, 1 from cache`. */
export function countLine(results: FileResult[]): string {
  const count = (test: (r: FileResult) => boolean) => results.filter(test).length
  const images = `${results.length} image${results.length === 1 ? '' : 's'}`
  return (
    `${images}: ${count((r) => r.status === 'written')} written, ${count((r) => r.status === 'unchanged')} unchanged, ` +
    `${count((r) => r.status === 'failed')} failed; ${count((r) => r.cache === 'computed')} inferences, ` +
    `${count((r) => r.cache === 'output')} from cache`
  )
}

/**
 * The report as Markdown, at most `limit` characters (`measure` counts them: UTF-16 units for a comment, bytes for a
 * summary).
 */
export function formatReport(
  report: Report,
  limit: number,
  measure: (text: string) => number = (t) => t.length,
): string {
  const head = [
    commentMarker,
    '### rembg-kit: background removal',
    '',
    `${countLine(report.results)}. ${report.outcome}`,
    '',
    '| File | Cutout | Before | After | Dimensions | Time | Cache |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ]
  const notes = report.notes.length > 0 ? ['', ...report.notes.map((note) => `- ${note}`)] : []
  const rows = report.results.map((result) => row(result, report.links))
  const assemble = (shown: string[], dropped: number) => {
    const cut =
      dropped > 0
        ? [`| … ${dropped} more rows not shown: GitHub caps this text at ${limit} characters | | | | | | |`]
        : []
    return [...head, ...shown, ...cut, ...notes, ''].join('\n')
  }
  let shown = rows.length
  let text = assemble(rows, 0)
  while (measure(text) > limit && shown > 0) {
    // Drop a tenth at a time: a 3000-row table reaches the cap in a few steps.
    shown = Math.max(0, shown - Math.max(1, Math.ceil(shown / 10)))
    text = assemble(rows.slice(0, shown), rows.length - shown)
  }
  return text
}
