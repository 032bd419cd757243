/**
 * Which changed files become cutouts, and where each is written. A file is left out when it is not an image type
 * core reads, does not match `paths` or matches `ignore`, is named like an output (a cutout of an earlier run), or
 * was last written by the action itself; a Git LFS pointer is reported instead of being read as a broken image.
 */
import { open, stat } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { createFilter, type OutputFormat } from '@rembg-kit/core'
import { imageExtensions } from './inputs.js'
import { isOutputPath, type OutputRule, outputPathFor } from './output-names.js'

export interface PlannedFile {
  /** Repository-relative input path. */
  input: string
  /** Repository-relative output path. */
  output: string
}

export interface Plan {
  files: PlannedFile[]
  /** Inputs that are Git LFS pointers (the checkout did not fetch LFS objects). */
  lfsPointers: string[]
  /** Inputs refused before any work, with the reason (two inputs with one output). */
  refused: { input: string; output: string; message: string }[]
  /** Images past `max-files`, in the order they would have come. */
  overLimit: string[]
}

export interface PlanOptions {
  paths: string[]
  ignore: string[]
  output: OutputRule
  format: OutputFormat
  maxFiles: number
  cwd: string
  /** Files whose last change was the action's own commit. */
  writtenByAction: ReadonlySet<string>
}

const lfsSignature = 'version https://git-lfs.github.com/spec/v1'

/** Whether the file is a Git LFS pointer (a small text file standing for the real object). */
async function isLfsPointer(path: string): Promise<boolean> {
  const file = await open(path, 'r')
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(lfsSignature.length), 0, lfsSignature.length, 0)
    return buffer.subarray(0, bytesRead).toString('latin1') === lfsSignature
  } finally {
    await file.close()
  }
}

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  )

/**
 * @example
 * await planFiles(['assets/a.jpg', 'README.md'], options) // { files: [{ input: 'assets/a.jpg', output: 'assets/a.cutout.webp' }], … }
 */
export async function planFiles(paths: readonly string[], options: PlanOptions): Promise<Plan> {
  // Case ignored: image extensions come in both cases (`IMG_0001.JPG`).
  const selected = createFilter({ include: options.paths, exclude: options.ignore }, { ignoreCase: true })
  const extensionOk = (path: string) => imageExtensions.includes(posix.extname(path).slice(1).toLowerCase())
  const candidates = [...new Set(paths)]
    .sort()
    .filter((path) => extensionOk(path) && selected(path))
    .filter((path) => !isOutputPath(path, options.output) && !options.writtenByAction.has(path))
  const plan: Plan = { files: [], lfsPointers: [], refused: [], overLimit: [] }
  const outputs = new Map<string, string>()
  for (const input of candidates) {
    const absolute = join(options.cwd, input)
    // Deleted by the merge with the base branch, or a folder named like an image: nothing to read.
    if (!(await isFile(absolute))) continue
    if (await isLfsPointer(absolute)) {
      plan.lfsPointers.push(input)
      continue
    }
    if (plan.files.length >= options.maxFiles) {
      plan.overLimit.push(input)
      continue
    }
    const output = outputPathFor(input, options.output, options.format)
    const other = outputs.get(output)
    if (other !== undefined) {
      plan.refused.push({ input, output, message: `'${other}' and '${input}' would both be written to '${output}'` })
      continue
    }
    outputs.set(output, input)
    plan.files.push({ input, output })
  }
  return plan
}
