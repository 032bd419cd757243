/**
 * The action's inputs: one table of names and defaults (action.yml declares the same, a test compares them), read
 * from the `INPUT_<NAME>` variables GitHub derives and turned into fully resolved options in one place. Image
 * parameters are core's: resolveParams validates them and its messages are reported with the input's name.
 */

import type { EngineName, Preset, ResolvedParams } from '@rembg-kit/core'
import {
  defaultModel,
  defaultParams,
  describeError,
  fileExtensions,
  inputFormats,
  parameterNames,
  parseEngineName,
  parseIntegerOption,
  parsePreset,
  RembgError,
  resolveParams,
} from '@rembg-kit/core'
import { type OutputRule, parseOutputRule } from './output-names.js'

/** The image types core reads, as file extensions (`jpg` and `jpeg` both). */
export const imageExtensions: readonly string[] = [
  ...new Set([...inputFormats, ...Object.values(fileExtensions)]),
].sort()

const paramDefaults = Object.fromEntries(
  parameterNames.map((name) => [name, defaultParams[name] === null ? '' : String(defaultParams[name])]),
) as Record<(typeof parameterNames)[number], string>

/** Every input and its default, exactly as action.yml declares them. */
export const inputDefaults = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS placeholder
  token: '${{ github.token }}',
  paths: `**/*.{${imageExtensions.join(',')}}`,
  ignore: '',
  output: '{dir}/{name}.cutout.{ext}',
  ...paramDefaults,
  engine: 'local',
  model: defaultModel,
  preset: 'quality',
  'api-key': '',
  'base-url': '',
  commit: 'true',
  'commit-message': 'Remove image backgrounds (rembg-kit)',
  'commit-author': 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>',
  comment: 'true',
  artifact: 'auto',
  'max-files': '50',
  'fail-on-error': 'true',
  cache: 'true',
} as const

export type InputName = keyof typeof inputDefaults

export interface ActionOptions {
  token: string
  /** Globs a file must match (any of them). */
  paths: string[]
  /** Globs that exclude a file (exclude wins). */
  ignore: string[]
  output: OutputRule
  params: ResolvedParams
  engine: EngineName
  model: string
  /** The local engine's preset (core checks it). */
  preset: Preset
  /** For the remote engine; masked in the log as soon as it is read. */
  apiKey: string
  baseUrl: string
  commit: boolean
  commitMessage: string
  commitAuthor: { name: string; email: string }
  comment: boolean
  artifact: 'auto' | 'true' | 'false'
  maxFiles: number
  failOnError: boolean
  cache: boolean
}

const artifactModes = ['auto', 'true', 'false'] as const

/** The variable GitHub sets for an input: upper case, spaces to `_`, hyphens kept (`max-files` → `INPUT_MAX-FILES`). */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/** An input's value, trimmed; an unset or empty input is its default (an expression default means "not given"). */
export function readInput(name: InputName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[inputVariable(name)]?.trim() ?? ''
  if (value !== '') return value
  const fallback: string = inputDefaults[name]
  return fallback.startsWith('${{') ? '' : fallback
}

export const inputError = (name: string, message: string): RembgError =>
  new RembgError(`Input '${name}': ${message}`, { status: 400, code: 'INVALID_INPUT', field: name })

/**
 * Reads and validates every input. All image parameters are checked before failing, as core does.
 *
 * @throws RembgError naming the input: `Input 'w': 'w' must be an integer, got: 'abc'`.
 * @example
 * readOptions({ 'INPUT_MAX-FILES': '10', INPUT_FORMAT: 'png' }).params.format // 'png'
 */
export function readOptions(env: NodeJS.ProcessEnv = process.env): ActionOptions {
  const read = (name: InputName) => readInput(name, env)
  const engine = asInput('engine', () => parseEngineName(read('engine')))
  const artifact = read('artifact')
  if (!(artifactModes as readonly string[]).includes(artifact)) {
    throw inputError('artifact', `must be one of ${artifactModes.join(', ')}, got: '${artifact}'`)
  }
  return {
    token: read('token') || env.GITHUB_TOKEN || '',
    paths: list(read('paths')),
    ignore: list(read('ignore')),
    output: parseOutputRule(read('output')),
    params: readParams(read),
    engine,
    model: read('model'),
    preset: asInput('preset', () => parsePreset(read('preset'), engine)),
    apiKey: read('api-key'),
    baseUrl: read('base-url'),
    commit: readBoolean('commit', read('commit')),
    commitMessage: read('commit-message'),
    commitAuthor: readAuthor(read('commit-author')),
    comment: readBoolean('comment', read('comment')),
    artifact: artifact as ActionOptions['artifact'],
    maxFiles: asInput('max-files', () => parseIntegerOption('max-files', read('max-files'))),
    failOnError: readBoolean('fail-on-error', read('fail-on-error')),
    cache: readBoolean('cache', read('cache')),
  }
}

/** Core's parameters, each read from the input of the same name; core's messages name the field, we add the input. */
function readParams(read: (name: InputName) => string): ResolvedParams {
  const given = Object.fromEntries(parameterNames.map((name) => [name, read(name) || undefined]))
  try {
    return resolveParams(given)
  } catch (error) {
    if (!(error instanceof RembgError)) throw error
    if (!error.details) throw inputError(error.field ?? 'format', error.message)
    // Each detail names its input, as a single error does; core's describeError prints one line per detail.
    const details = error.details.map((d) => ({ field: `Input '${d.field}'`, message: d.message }))
    throw new RembgError(error.message, { status: 400, code: 'INVALID_INPUT', details })
  }
}

/** Core's check of one input, its message named after the input: `Input 'max-files': 'max-files' must be ...`. */
function asInput<T>(name: string, check: () => T): T {
  try {
    return check()
  } catch (error) {
    throw inputError(name, describeError(error))
  }
}

/** Globs given one per line or separated by commas outside braces (`**\/*.{png,jpg}` stays one glob). */
export function list(text: string): string[] {
  const items: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (char === '{') depth++
    if (char === '}') depth = Math.max(0, depth - 1)
    if (char === '\n' || (char === ',' && depth === 0)) {
      items.push(current)
      current = ''
    } else current += char
  }
  items.push(current)
  return items.map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('#'))
}

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput reads them. */
function readBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw inputError(name, `must be true or false, got: '${value}'`)
}

/** `Name <email>`, as git prints an author. */
function readAuthor(value: string): { name: string; email: string } {
  const match = /^(.+?)\s*<([^<>\s]+)>$/.exec(value)
  if (!match) throw inputError('commit-author', `must look like 'Name <email>', got: '${value}'`)
  return { name: match[1] as string, email: match[2] as string }
}
