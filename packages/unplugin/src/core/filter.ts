import { isAbsolute, resolve } from 'node:path'
import picomatch from 'picomatch'
import type { FilterPattern } from 'unplugin'
import { splitId } from './query.js'

/** Characters a folder name can hold that a glob would read as syntax (unplugin's `getMatcherString` escapes them). */
const globSyntax = /[\\^$*+?.()|[\]{}]/g

/**
 * `include`/`exclude` in unplugin's filter semantics (`unjs/unplugin` `src/utils/filter.ts`: string globs resolved
 * against the root unless they start with `**` or are absolute, RegExps, exclude wins, no include means every file),
 * with one rule of ours on top: both match the FILE PATH, without its query. Bundlers hand plugins different ids
 * (Vite and Rollup `hero.jpg?rembg&w=800`, webpack the resource without its query), so a filter on the whole id would
 * take an import in one bundler and leave it in another. Backslashes become `/` before matching, as unplugin does.
 *
 * The bundlers' native hook filters match the id with its query, so the plugin's hooks select `rembg` ids natively
 * and apply this filter in the handler, where an excluded import fails the build instead of being left alone.
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
    const file = normalize(splitId(id).file)
    if (exclude.some((matches) => matches(file))) return false
    return include.length === 0 || include.some((matches) => matches(file))
  }
}

function toArray(pattern: FilterPattern | undefined): (string | RegExp)[] {
  if (pattern === undefined || pattern === null) return []
  return Array.isArray(pattern) ? pattern : [pattern]
}

function normalize(path: string): string {
  return path.replaceAll('\\', '/')
}

function matcher(pattern: string | RegExp, root: string): (file: string) => boolean {
  if (pattern instanceof RegExp) {
    // A copy without the global flag: `test` on a /g RegExp remembers where it stopped.
    const regexp = new RegExp(pattern.source, pattern.flags.replace('g', ''))
    return (file) => regexp.test(file)
  }
  const glob =
    pattern.startsWith('**') || isAbsolute(pattern)
      ? normalize(pattern)
      : `${normalize(resolve(root)).replace(globSyntax, '\\$&')}/${normalize(pattern).replace(/^\.\//, '')}`
  // Compiled once, with the options unplugin's own filters use.
  return picomatch(glob, { dot: true })
}
