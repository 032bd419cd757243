/**
 * `include`/`exclude` on an uploaded file's name: globs (`*.png`, `raw-*`, `{a,b}-*`, `photo-?.jpg`, `[ab]*`) or
 * RegExps; exclude wins; no include means every name. Names have no folders, so `*` matches any run of characters.
 * Globs ignore case, because editors' cameras and tools write `IMG_1.JPG` and `img_1.jpg` alike.
 */

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
  const included = include.map(toRegExp)
  const excluded = exclude.map(toRegExp)
  return (name) => {
    if (excluded.some((pattern) => pattern.test(name))) return false
    return included.length === 0 || included.some((pattern) => pattern.test(name))
  }
}

function toRegExp(pattern: NamePattern): RegExp {
  // A copy without the stateful `g`/`y` flags, so `test` gives the same answer on every call.
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
  return new RegExp(`^${globSource(pattern)}$`, 'i')
}

/** Translates one glob to a RegExp source: `*`, `?`, `[...]` and `{a,b}`; every other character is literal. */
function globSource(glob: string): string {
  let source = ''
  let braces = 0
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '[' && glob.indexOf(']', i + 2) > i) {
      const end = glob.indexOf(']', i + 2)
      const body = glob
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replaceAll('\\', '\\\\')
      source += `[${body}]`
      i = end
    } else if (char === '{') {
      braces++
      source += '(?:'
    } else if (char === '}' && braces > 0) {
      braces--
      source += ')'
    } else if (char === ',' && braces > 0) source += '|'
    else source += char.replace(/[.+^$()|\\/{}[\]]/g, '\\$&')
  }
  return source + ')'.repeat(braces)
}
