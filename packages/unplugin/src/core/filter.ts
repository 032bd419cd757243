import { isAbsolute, resolve } from 'node:path'
import picomatch from 'picomatch'
import type { FilterPattern } from 'unplugin'

/**
 * `include`/`exclude` as unplugin means them (string globs resolved against the root, RegExps tested on the whole
 * id, exclude wins, no include means everything), for the webpack and Rspack loaders, which unplugin's hook filters
 * do not reach. Vite, Rollup and esbuild get the same patterns as a native hook filter.
 *
 * @example
 * createIdFilter({ include: 'src/**', exclude: [/hero/] }, '/app')('/app/src/a.jpg?rembg') // true
 */
export function createIdFilter(
  patterns: { include: FilterPattern | undefined; exclude: FilterPattern },
  root: string,
): (id: string) => boolean {
  const include = toArray(patterns.include).map((pattern) => matcher(pattern, root))
  const exclude = toArray(patterns.exclude).map((pattern) => matcher(pattern, root))
  return (id) => {
    if (exclude.some((matches) => matches(id))) return false
    return include.length === 0 || include.some((matches) => matches(id))
  }
}

function toArray(pattern: FilterPattern | undefined): (string | RegExp)[] {
  if (pattern === undefined) return []
  return Array.isArray(pattern) ? pattern : [pattern]
}

function matcher(pattern: string | RegExp, root: string): (id: string) => boolean {
  if (pattern instanceof RegExp) return (id) => new RegExp(pattern.source, pattern.flags).test(id)
  const glob = (isAbsolute(pattern) ? pattern : resolve(root, pattern)).replaceAll('\\', '/')
  // Compiled once, with the options unplugin's own filters use; globs match the file, the query is not part of a path.
  const matches = picomatch(glob, { dot: true })
  return (id) => matches(id.split('?')[0]?.replaceAll('\\', '/') ?? id)
}
