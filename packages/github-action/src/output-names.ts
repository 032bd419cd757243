/**
 * Where a cutout is written, from the `output` input: a name template (`{dir}/{name}.cutout.{ext}`), a folder that
 * keeps the repository's tree (`cutouts/`), or `in-place`. The same rule says which files are outputs, so that
 * discovery never picks up a cutout again. Extensions are core's (`fileExtensions`: jpeg is written `.jpg`).
 */
import { posix } from 'node:path'
import { fileExtensions, type OutputFormat, RembgError } from '@rembg-kit/core'

export type OutputRule =
  | { kind: 'template'; template: string }
  | { kind: 'folder'; folder: string }
  | { kind: 'in-place' }

const placeholders = ['dir', 'name', 'ext'] as const

const outputError = (message: string): RembgError =>
  new RembgError(`Input 'output': ${message}`, { status: 400, code: 'INVALID_INPUT', field: 'output' })

/**
 * @example
 * parseOutputRule('{dir}/{name}.cutout.{ext}') // { kind: 'template', template: '{dir}/{name}.cutout.{ext}' }
 * parseOutputRule('cutouts/') // { kind: 'folder', folder: 'cutouts' }
 */
export function parseOutputRule(value: string): OutputRule {
  if (value === 'in-place') return { kind: 'in-place' }
  if (value.includes('{')) {
    const unknown = [...value.matchAll(/\{([^}]*)\}/g)].find(
      ([, key]) => !(placeholders as readonly string[]).includes(key ?? ''),
    )
    if (unknown) throw outputError(`unknown placeholder '${unknown[0]}'. Placeholders: {dir}, {name}, {ext}`)
    if (!value.includes('{name}') || !value.includes('{ext}')) {
      throw outputError(`a template needs {name} and {ext}, got: '${value}'`)
    }
    if (posix.normalize(value.replace(/^\{dir\}\//, '')) === '{name}.{ext}') {
      throw outputError("this template would replace the images themselves; write 'in-place' to ask for that")
    }
    return { kind: 'template', template: value }
  }
  const folder = posix.normalize(value.replaceAll('\\', '/')).replace(/\/+$/, '')
  if (posix.isAbsolute(folder) || folder === '..' || folder.startsWith('../') || folder === '.') {
    throw outputError(`a folder must be inside the repository, got: '${value}'`)
  }
  return { kind: 'folder', folder }
}

/** `a/b.jpg` → `a/b.webp`; a file already named for the format keeps its extension (`x.jpeg` stays for jpeg). */
function withExtension(path: string, format: OutputFormat): string {
  const extension = posix.extname(path)
  const same =
    extension.slice(1).toLowerCase() === fileExtensions[format] || (format === 'jpeg' && /^\.jpe?g$/i.test(extension))
  return same ? path : `${path.slice(0, path.length - extension.length)}.${fileExtensions[format]}`
}

/**
 * The output path of one image, relative to the repository root, with `/` separators.
 *
 * @example
 * outputPathFor('assets/a.jpg', { kind: 'template', template: '{dir}/{name}.cutout.{ext}' }, 'webp')
 * // 'assets/a.cutout.webp'
 */
export function outputPathFor(input: string, rule: OutputRule, format: OutputFormat): string {
  if (rule.kind === 'in-place') return withExtension(input, format)
  if (rule.kind === 'folder') return posix.join(rule.folder, withExtension(input, format))
  const dir = posix.dirname(input)
  const name = posix.basename(input, posix.extname(input))
  const path = rule.template
    .replaceAll('{dir}', dir === '.' ? '' : dir)
    .replaceAll('{name}', name)
    .replaceAll('{ext}', fileExtensions[format])
  return posix.normalize(path).replace(/^\/+/, '')
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Whether `path` is named like an output of `rule`, whatever image it came from: such files are never processed,
 * so a cutout committed by an earlier run cannot become an input. In-place outputs cannot be told by name (see
 * the commit trailer in commit.ts).
 */
export function isOutputPath(path: string, rule: OutputRule): boolean {
  if (rule.kind === 'in-place') return false
  if (rule.kind === 'folder') return path.startsWith(`${rule.folder}/`)
  const extensions = [...new Set(Object.values(fileExtensions))].join('|')
  const pattern = escapeRegExp(rule.template)
    .replace(/\\\{dir\\\}\//g, '(?:.*/)?')
    .replace(/\\\{dir\\\}/g, '.*')
    .replace(/\\\{name\\\}/g, '[^/]+')
    .replace(/\\\{ext\\\}/g, `(?:${extensions})`)
  return new RegExp(`^${pattern}$`, 'i').test(path)
}
