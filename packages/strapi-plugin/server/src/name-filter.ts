/**
 * `include`/`exclude` on an uploaded file's name: globs (picomatch's: `*.png`, `raw-*`, `{a,b}-*`, `photo-?.jpg`,
 * `[ab]*`) or RegExps; exclude wins; no include means every name. Globs ignore case, because editors' cameras and
 * tools write `IMG_1.JPG` and `img_1.jpg` alike.
 */
import picomatch from 'picomatch'

export type NamePattern = string | RegExp

/** A pattern or a list of them as a list; null when some entry is neither a string nor a RegExp. */
export function toPatternList(value: unknown): NamePattern[] | null {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]
  const valid = list.every((entry) => (typeof entry === 'string' && entry !== '') || entry instanceof RegExp)
  return valid ? (list as NamePattern[]) : null
}

/**
 * @example
 * const matches = createNameFilter(['*.jpg', '*.png'], ['raw-*'])
 * matches('ball.JPG') // true
 * matches('raw-ball.jpg') // false
 */
export function createNameFilter(
  include: readonly NamePattern[],
  exclude: readonly NamePattern[],
): (name: string) => boolean {
  const included = include.map(toMatcher)
  const excluded = exclude.map(toMatcher)
  return (name) => {
    if (excluded.some((matches) => matches(name))) return false
    return included.length === 0 || included.some((matches) => matches(name))
  }
}

function toMatcher(pattern: NamePattern): (name: string) => boolean {
  // A copy without the stateful `g`/`y` flags, so `test` gives the same answer on every call.
  if (pattern instanceof RegExp) {
    const regExp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    return (name) => regExp.test(name)
  }
  return picomatch(pattern, { nocase: true, dot: true })
}
