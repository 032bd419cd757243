/**
 * Where model files are: rembg-kit's own folder and the Python rembg's (reused, never written), the name a model has
 * on disk, and finding a copy that is already there.
 */
import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import type { ModelSpec } from './registry.js'

export type Env = Record<string, string | undefined>

export interface ModelDirs {
  /** Where rembg-kit writes models. */
  home: string
  /** Folders searched after `home` and never written to (the Python rembg's). */
  reuse: string[]
}

/**
 * The model folders: `home` = `$REMBG_KIT_HOME/models` or `~/.cache/rembg-kit/models`; `reuse` = `$U2NET_HOME` or
 * `$XDG_DATA_HOME/.u2net` or `~/.u2net`, exactly where the Python rembg keeps its downloads.
 *
 * @example
 * modelDirs({ REMBG_KIT_HOME: '/srv/rembg' }) // { home: '/srv/rembg/models', reuse: ['/home/me/.u2net'] }
 */
export function modelDirs(env: Env = process.env): ModelDirs {
  const home = env.REMBG_KIT_HOME
    ? join(expandHome(env.REMBG_KIT_HOME), 'models')
    : join(homedir(), '.cache', 'rembg-kit', 'models')
  const reuse = env.U2NET_HOME ? expandHome(env.U2NET_HOME) : join(expandHome(env.XDG_DATA_HOME || '~'), '.u2net')
  return { home, reuse: [reuse] }
}

function expandHome(path: string): string {
  if (path === '~') return homedir()
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2))
  return path
}

/** The name a model has on disk. */
export function localFileName(spec: ModelSpec): string {
  if (spec.source.kind === 'url') return spec.source.fileName
  if (spec.source.kind === 'file') return basename(spec.source.path)
  return `${spec.name}.onnx`
}

/**
 * The path of a model file already on disk (home first, then the reuse folders), or null. It does not verify the
 * file's checksum; `ensureModel` does.
 *
 * @example
 * const path = await findModel(models.u2net) // '/home/me/.u2net/u2net.onnx' when the Python rembg fetched it
 */
export async function findModel(spec: ModelSpec, env: Env = process.env): Promise<string | null> {
  if (spec.source.kind === 'file') {
    const path = resolve(spec.source.path)
    return (await fileSize(path)) === null ? null : path
  }
  const dirs = modelDirs(env)
  const folders = spec.source.kind === 'url' ? [dirs.home, ...dirs.reuse] : [dirs.home]
  for (const folder of folders) {
    const path = join(folder, localFileName(spec))
    if ((await fileSize(path)) !== null) return path
  }
  return null
}

export async function fileSize(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null)
  return info?.isFile() ? info.size : null
}
