import { relative } from 'node:path'
import { isRembgError } from '@rembg-kit/core'

/** Where a cutout import was written: the importing file and the import string as the user wrote it. */
export interface ImportOrigin {
  importer: string | undefined
  source: string
}

/**
 * The build error of a failed cutout import: core's message (one line per field when several failed), then the
 * importing file and the import string, so the user finds the line to fix.
 *
 * @example
 * cutoutError(resolveParamsError, '/app/a.jpg?rembg&w=x', { importer: '/app/main.js', source: './a.jpg?rembg&w=x' })
 * // Error: rembg-kit: 'w' must be an integer, got: 'x'
 * //   in /app/main.js
 * //   import './a.jpg?rembg&w=x'
 */
export function cutoutError(error: unknown, id: string, origin: ImportOrigin | undefined): Error {
  const lines = [`rembg-kit: ${reason(error)}`]
  if (origin?.importer) lines.push(`  in ${origin.importer}`)
  lines.push(`  import '${origin?.source ?? id}'`)
  // hideStack: webpack and Rspack print the message without our stack, which says nothing to the user.
  return Object.assign(new Error(lines.join('\n'), { cause: error }), { hideStack: true })
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (!isRembgError(error)) return error.message
  const details = (error.details ?? []).map((detail) => `\n  - ${detail.message}`).join('')
  const file = error.file && !error.details ? ` (${error.file})` : ''
  return `${error.message}${file}${details}`
}

/**
 * Why an import that asks for `rembg` is refused when include/exclude leave its file out: the plugin is what makes
 * cutouts, so leaving the import to the bundler would ship the original photo where a cutout was asked for.
 *
 * @example
 * excludedReason('/app/src/icons/a.jpg', '/app')
 * // "src/icons/a.jpg is excluded by the plugin's include/exclude options, so no cutout is made: include the file or remove 'rembg' from the import"
 */
export function excludedReason(file: string, root: string): string {
  return (
    `${relative(root, file).replaceAll('\\', '/')} is excluded by the plugin's include/exclude options, so no cutout ` +
    `is made: include the file or remove 'rembg' from the import`
  )
}
