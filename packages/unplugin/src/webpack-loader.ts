/**
 * The webpack and Rspack loader of @rembg-kit/unplugin (added to `module.rules` by the plugin, never by hand): a
 * cutout import becomes its JS module, an asset module its image bytes.
 */
import { webpackHosts } from './core/hosts/webpack.js'

interface LoaderContext {
  async(): (error: Error | null, result?: string | Buffer) => void
  getOptions(): { host: string; kind: 'cutout' | 'asset' }
  resourcePath: string
  resourceQuery: string
  resourceFragment: string
  _module?: { rawRequest?: string; issuer?: { resource?: string } | null }
  _compilation?: { moduleGraph?: { getIssuer(module: unknown): { resource?: string } | null } }
}

export const raw = true

export default function rembgLoader(this: LoaderContext): void {
  const callback = this.async()
  const { host: hostId, kind } = this.getOptions()
  const host = webpackHosts().get(hostId)
  if (!host) {
    callback(new Error('rembg-kit: the loader was used without the plugin; add the plugin instead of the loader'))
    return
  }
  const id = `${this.resourcePath}${this.resourceQuery}${this.resourceFragment}`
  const work = kind === 'asset' ? host.assetBytes(id) : host.cutoutCode(id, originOf(this, id))
  work.then(
    (result) => callback(null, result),
    (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
  )
}

/** The importing module and the import string as written, read from webpack's (or Rspack's) module graph. */
function originOf(context: LoaderContext, id: string): { importer: string | undefined; source: string } {
  const module = context._module
  return { importer: module && issuerOf(context, module), source: module?.rawRequest ?? id }
}

function issuerOf(context: LoaderContext, module: NonNullable<LoaderContext['_module']>): string | undefined {
  try {
    return context._compilation?.moduleGraph?.getIssuer(module)?.resource
  } catch {
    // Rspack has no module graph while modules are built.
    return undefined
  }
}
