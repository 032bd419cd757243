/**
 * The `paths` and `ignore` globs, matched against repository paths (`/` separators, no leading `./`): `**` spans
 * folders, `*` and `?` stay within one, `{a,b}` is a choice. Case-insensitive, since image extensions come in both
 * cases (`IMG_0001.JPG`). Compiled once per run.
 */

const escapeChar = (char: string): string => (/[.+^$()|[\]\\]/.test(char) ? `\\${char}` : char)

/** One glob as a RegExp source. */
function globSource(glob: string): string {
  let source = ''
  let braces = 0
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string
    if (char === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/'
      source += slashAfter ? '(?:.*/)?' : '.*'
      i += slashAfter ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '{') {
      braces++
      source += '(?:'
    } else if (char === '}' && braces > 0) {
      braces--
      source += ')'
    } else if (char === ',' && braces > 0) source += '|'
    else source += escapeChar(char)
  }
  return source
}

/**
 * @example
 * const isImage = compileGlobs(['assets/**\/*.{png,jpg}'])
 * isImage('assets/products/A.JPG') // true
 */
export function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false
  const pattern = new RegExp(`^(?:${globs.map((glob) => globSource(glob.replace(/^\.\//, ''))).join('|')})$`, 'i')
  return (path) => pattern.test(path)
}
