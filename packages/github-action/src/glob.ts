/**
 * The `paths` and `ignore` globs, matched against repository paths (`/` separators, no leading `./`) with picomatch:
 * `**` spans folders, `*` and `?` stay within one, `{a,b}` is a choice. Case-insensitive, since image extensions come
 * in both cases (`IMG_0001.JPG`). Compiled once per run.
 */
import picomatch from 'picomatch'

/**
 * @example
 * const isImage = compileGlobs(['assets/**\/*.{png,jpg}'])
 * isImage('assets/products/A.JPG') // true
 */
export function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false
  return picomatch(
    globs.map((glob) => glob.replace(/^\.\//, '')),
    { nocase: true, dot: true },
  )
}
