import { stat } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { RembgError } from './errors.js'
import { fileExtensions, inputExtensions, type OutputFormat, outputFormats } from './values.js'

/** One file of a batch: where it is read and where its output is written. */
export interface BatchItem {
  input: string
  output: string
}

export interface BatchPlanOptions {
  /** The output file (one input) or folder (a batch). */
  output: string
  format: OutputFormat
  cwd: string
  /** Allow an output to replace its own input file. @default false */
  overwrite?: boolean
}

const imagePattern = `**/*.{${inputExtensions.join(',')}}`

const planError = (message: string, field: string) =>
  new RembgError(message, { status: 400, code: 'INVALID_BATCH', field })

/**
 * Turns command-line inputs (files, folders, globs) into input → output pairs. A folder or glob keeps its tree under
 * the output folder (`a/x.jpg` and `b/x.jpg` never collide); two inputs that would write one output, or an output that
 * would replace its input, are refused before anything runs.
 *
 * @example
 * await planBatch(['photos/'], { output: 'out', format: 'png', cwd })
 * // [{ input: '/…/photos/a/x.jpg', output: '/…/out/a/x.png' }, …]
 */
export async function planBatch(
  inputs: string[],
  options: BatchPlanOptions,
): Promise<{ items: BatchItem[]; batch: boolean }> {
  const found = await Promise.all(inputs.map((input) => expandInput(input, options.cwd)))
  const batch = inputs.length > 1 || found.some((f) => f.isBatch)
  const output = resolve(options.cwd, options.output)
  // One input and `-o out/` (or an existing folder) writes out/<name>.<ext>, as cp and mv would.
  const intoFolder = batch || /[\\/]$/.test(options.output) || (await stat(output).catch(() => null))?.isDirectory()
  if (!intoFolder) checkOutputName(options.output, options.format)
  const items = found.flatMap(({ files, base }) =>
    files.map((input) => ({
      input,
      output: intoFolder ? join(output, replaceExtension(relative(base, input), options.format)) : output,
    })),
  )
  checkCollisions(items, options.overwrite ?? false)
  return { items, batch }
}

async function expandInput(input: string, cwd: string): Promise<{ files: string[]; base: string; isBatch: boolean }> {
  const path = resolve(cwd, input)
  const info = await stat(path).catch(() => null)
  if (info?.isFile()) return { files: [path], base: dirname(path), isBatch: false }
  // Loaded here: only the CLI's batches glob, and importing core should stay cheap for plugins.
  const { glob, isDynamicPattern } = await import('tinyglobby')
  if (info?.isDirectory()) {
    const files = await glob(imagePattern, { cwd: path, absolute: true, caseSensitiveMatch: false })
    return { files: files.map((f) => resolve(f)).sort(), base: path, isBatch: true }
  }
  if (isDynamicPattern(input)) {
    const files = await glob(input.replaceAll('\\', '/'), { cwd, absolute: true })
    if (files.length > 0)
      return { files: files.map((f) => resolve(f)).sort(), base: globBase(input, cwd, isDynamicPattern), isBatch: true }
  }
  throw planError(`No input matches '${input}'`, 'input')
}

/** The folder a glob is relative to: its path up to the first segment with a wildcard. */
function globBase(pattern: string, cwd: string, isDynamicPattern: (segment: string) => boolean): string {
  const segments = pattern.replaceAll('\\', '/').split('/')
  const fixed: string[] = []
  for (const segment of segments) {
    if (isDynamicPattern(segment)) break
    fixed.push(segment)
  }
  const base = fixed.join('/') || '.'
  return isAbsolute(base) ? base : resolve(cwd, base)
}

/** `a/x.jpg` → `a/x.png`. */
export function replaceExtension(path: string, format: OutputFormat): string {
  return join(dirname(path), `${basename(path, extname(path))}.${fileExtensions[format]}`)
}

/** The output format an output file name implies (`out.png` → png), or undefined. */
export function formatFromFileName(path: string): OutputFormat | undefined {
  const extension = extname(path).slice(1).toLowerCase()
  const format = extension === 'jpg' ? 'jpeg' : extension
  return (outputFormats as readonly string[]).includes(format) ? (format as OutputFormat) : undefined
}

/** An output file's extension must be the format written (`cut.png` holding WebP bytes fools every viewer). */
function checkOutputName(output: string, format: OutputFormat): void {
  const extension = extname(output)
  if (extension === '') return
  const named = formatFromFileName(output)
  if (named === undefined) {
    throw planError(
      `Output '${output}' has the extension '${extension}', which is not an output format (webp, png, jpg, jpeg, bmp); end a folder with /`,
      'output',
    )
  }
  if (named !== format)
    throw planError(`Output '${output}' is named ${extension} but the format is ${format}`, 'format')
}

function checkCollisions(items: BatchItem[], overwrite: boolean): void {
  const seen = new Map<string, string>()
  for (const { input, output } of items) {
    const other = seen.get(output)
    if (other) throw planError(`'${other}' and '${input}' would both be written to '${output}'`, 'output')
    seen.set(output, input)
  }
  if (overwrite) return
  const inputs = new Set(items.map((item) => item.input))
  const replaced = items.find((item) => inputs.has(item.output))
  if (replaced) {
    throw planError(
      `Output '${replaced.output}' would overwrite an input image. Choose another output or pass --overwrite.`,
      'output',
    )
  }
}
