/**
 * Which uploads are processed. Everything here is decided from facts Strapi already has (name, size, folder, the
 * per-upload opt-out), before the bytes are read; the image type is then judged by core from the bytes themselves.
 */
import type { Core } from './core'
import type { ResolvedConfig } from './options'

export interface UploadFacts {
  /** The file's name as stored (`fileInfo.name` or the uploaded file name). */
  name: string
  /** Bytes of the uploaded file (before Strapi's size optimisation). */
  size: number
  /** The Media Library folder by name (`/Products/Shoes`), `/` for the root. */
  folderPath: string
  /** The upload's `fileInfo.rembg`: `false` (or `'false'`) opts this upload out. */
  optOut: unknown
}

export type Selection = { selected: true } | { selected: false; reason: string }

/**
 * Names are matched by core's filter (globs or RegExps, exclude wins), ignoring case: cameras and tools write
 * `IMG_1.JPG` and `img_1.jpg` alike.
 *
 * @example
 * const select = createSelector(config, core)
 * select({ name: 'ball.jpg', size: 48_000, folderPath: '/Products', optOut: undefined }) // { selected: true }
 */
export function createSelector(
  config: Pick<ResolvedConfig, 'include' | 'exclude' | 'folders' | 'maxSize'>,
  core: Pick<Core, 'createFilter'>,
): (facts: UploadFacts) => Selection {
  const nameMatches = core.createFilter({ include: config.include, exclude: config.exclude }, { ignoreCase: true })
  return (facts) => {
    if (facts.optOut === false || facts.optOut === 'false') return skip('fileInfo.rembg is false')
    if (facts.size > config.maxSize) return skip(`${facts.size} bytes is over maxSize (${config.maxSize})`)
    if (!nameMatches(facts.name)) return skip('its name is not included by include/exclude')
    if (!inFolders(facts.folderPath, config.folders)) return skip(`folder ${facts.folderPath} is not in folders`)
    return { selected: true }
  }
}

const skip = (reason: string): Selection => ({ selected: false, reason })

/** A configured folder covers itself and its subfolders; no folders configured means all of them. */
export function inFolders(folderPath: string, folders: readonly string[]): boolean {
  if (folders.length === 0) return true
  return folders.some((folder) => folder === '/' || folderPath === folder || folderPath.startsWith(`${folder}/`))
}

/**
 * A folder's path by names, from Strapi's id path (`folderPath: '/1/3'`) and the names of the folders on it.
 *
 * @example
 * namedFolderPath('/1/3', new Map([[1, 'Products'], [3, 'Shoes']])) // '/Products/Shoes'
 */
export function namedFolderPath(idPath: string | null | undefined, names: ReadonlyMap<number, string>): string {
  const ids = folderPathIds(idPath)
  if (ids.length === 0) return '/'
  return `/${ids.map((id) => names.get(id) ?? String(id)).join('/')}`
}

/** The folder ids on a Strapi `folderPath` (`'/1/3'` → [1, 3]). */
export function folderPathIds(idPath: string | null | undefined): number[] {
  return (idPath ?? '')
    .split('/')
    .filter((part) => part !== '')
    .map(Number)
    .filter(Number.isInteger)
}
