/**
 * `include`/`exclude` as unplugin and Rollup mean them (unjs/unplugin `src/utils/filter.ts`), once for every adapter:
 * a glob string, a RegExp or a list of them; normalised once and globs compiled once (picomatch, dotfiles matched);
 * backslashes read as `/`; exclude wins; no include means everything. The bundler plugin filters absolute ids (globs
 * resolved against its root), the action repository paths, the Strapi plugin file names (case ignored).
 */
import { isAbsolute, posix, resolve } from 'node:path'
import picomatch from 'picomatch'
import { RembgError } from './errors.js'

/** A glob (picomatch's syntax: `**`, `*`, `?`, `{a,b}`, `[ab]`) or a RegExp, or a list of them. */
export type FilterPattern = string | RegExp | readonly (string | RegExp)[]

export interface IncludeExclude {
  /** A path must match one of these, when any is given. */
  include?: FilterPattern | null | undefined
  /** A path matching one of these is left out, even when it is included. */
  exclude?: FilterPattern | null | undefined
}

export interface FilterOptions {
  /**
   * The folder relative globs are resolved against, for absolute paths (a bundler's ids); a glob that is absolute or
   * starts with `**` is taken as it is. Without a root, globs match the path as given (a leading `./` dropped).
   */
  root?: string
  /**
   * Globs ignore case (`*.jpg` matches `IMG_1.JPG`). RegExps keep their own flags.
   * @default false
   */
  ignoreCase?: boolean
}

/**
 * A predicate over paths. A bare pattern (or list) is an include; `{ include, exclude }` both. Throws a RembgError
 * naming `include` or `exclude` when an entry is neither a non-empty string nor a RegExp.
 *
 * @example
 * const matches = createFilter({ include: 'src/**', exclude: [/hero/] }, { root: '/app' })
 * matches('/app/src/a.jpg') // true
 * matches('C:\\app\\src\\hero.jpg') // false: backslashes read as `/`, and exclude wins
 */
export function createFilter(
  filter: FilterPattern | IncludeExclude | null | undefined,
  options: FilterOptions = {},
): (path: string) => boolean {
  const { include, exclude } = isIncludeExclude(filter) ? filter : { include: filter, exclude: undefined }
  const included = compile(filterPatterns('include', include), options)
  const excluded = compile(filterPatterns('exclude', exclude), options)
  return (path) => {
    const normalized = normalizePath(path)
    if (excluded?.(normalized)) return false
    return included === undefined || included(normalized)
  }
}

/**
 * A pattern option as a list: `undefined` and `null` are an empty list, one pattern a list of one. Throws
 * `'include' must be a glob, a RegExp or a list of them, got: 42`, naming the first entry that is neither a non-empty
 * string nor a RegExp.
 *
 * @example
 * filterPatterns('exclude', /^raw-/) // [/^raw-/]
 */
export function filterPatterns(field: string, value: unknown): (string | RegExp)[] {
  const list: unknown[] = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]
  const bad = list.find((entry) => !((typeof entry === 'string' && entry !== '') || entry instanceof RegExp))
  if (list.includes(bad)) {
    const shown = typeof bad === 'string' ? `'${bad}'` : String(bad)
    throw new RembgError(`'${field}' must be a glob, a RegExp or a list of them, got: ${shown}`, {
      status: 400,
      code: 'INVALID_OPTION',
      field,
    })
  }
  return list as (string | RegExp)[]
}

const normalizePath = (path: string): string => path.replaceAll('\\', '/')

function isIncludeExclude(filter: unknown): filter is IncludeExclude {
  return typeof filter === 'object' && filter !== null && !Array.isArray(filter) && !(filter instanceof RegExp)
}

/** One matcher for a list: the globs compiled together, each RegExp copied without its stateful `g`/`y` flags. */
function compile(patterns: (string | RegExp)[], options: FilterOptions): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined
  const globs = patterns.filter((pattern) => typeof pattern === 'string').map((glob) => globFor(glob, options.root))
  const regExps = patterns
    .filter((pattern) => pattern instanceof RegExp)
    .map((regExp) => new RegExp(regExp.source, regExp.flags.replace(/[gy]/g, '')))
  const matchesGlob = globs.length > 0 ? picomatch(globs, { dot: true, nocase: options.ignoreCase ?? false }) : null
  return (path) => (matchesGlob?.(path) ?? false) || regExps.some((regExp) => regExp.test(path))
}

/** Characters a folder name may hold that a glob reads as syntax (unplugin's `getMatcherString` escapes them too). */
const globSyntax = /[\\^$*+?.()|[\]{}]/g

function globFor(glob: string, root: string | undefined): string {
  const relative = normalizePath(glob).replace(/^\.\//, '')
  if (root === undefined) return relative
  if (isAbsolute(glob) || relative.startsWith('**')) return relative
  // The root is a path, not a pattern: `/srv/my (copy)/app` must match itself.
  return posix.join(normalizePath(resolve(root)).replace(globSyntax, '\\$&'), relative)
}
