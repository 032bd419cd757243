import { createFilter } from '@rembg-kit/core'
import type { FilterPattern } from 'unplugin'
import { splitId } from './query.js'

/**
 * `include`/`exclude` with core's one filter (`createFilter`: unplugin's semantics, string globs resolved against the
 * root unless absolute or starting with `**`, RegExps, exclude wins, no include means every file), with one rule of
 * the plugin's on top: both match the FILE PATH, without its query. Bundlers hand plugins different ids (Vite and
 * Rollup `hero.jpg?rembg&w=800`, webpack the resource without its query), so a filter on the whole id would take an
 * import in one bundler and leave it in another.
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
  const matches = createFilter({ include: patterns.include, exclude: patterns.exclude }, { root })
  return (id) => matches(splitId(id).file)
}
