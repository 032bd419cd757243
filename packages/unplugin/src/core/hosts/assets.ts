import { basename, dirname, extname, join } from 'node:path'
import {
  fileExtensions,
  paramsToFields,
  parseQuery,
  type RemoveResult,
  type ResolvedParams,
  resolveParams,
} from '@rembg-kit/core'
import { splitId } from '../query.js'

/** Marks the request of one emitted cutout file (webpack, Rspack, esbuild), beside its parameters. */
export const assetMarker = 'rembg-asset'
export const assetIdPattern = /\?rembg-asset(?:&|$)/

/** A file made by a cutout import and published by a bundler that loads it as a module of its own. */
export interface AssetRequest {
  /** `/app/src/hero.jpg?rembg-asset&format=webp&w=320...`: the source file and every parameter, so it can be remade. */
  id: string
  /** `/app/src/hero.webp`: the name the bundler's asset naming sees (`[name]` = hero, `[ext]` = .webp). */
  namedAs: string
}

/**
 * The made files of bundlers that publish a cutout as a module of its own (webpack, Rspack and esbuild load it with
 * their asset loaders): kept from the cutout import until the bundler loads the asset module.
 */
export class AssetFiles {
  private readonly results = new Map<string, RemoveResult>()

  add(result: RemoveResult, file: string): AssetRequest {
    const fields = new URLSearchParams(paramsToFields(result.params))
    const id = `${file}?${assetMarker}&${fields}`
    this.results.set(id, result)
    return { id, namedAs: namedAs(file, result.extension) }
  }

  /** The path an asset id is published under: the source's folder and name, the output's extension. */
  namedAs(id: string): string {
    const { file, params } = readAssetId(id)
    return namedAs(file, fileExtensions[params.format])
  }

  /** The result of an asset id, or undefined when this build did not make it (then it is remade from the id). */
  get(id: string): RemoveResult | undefined {
    return this.results.get(id)
  }
}

/** The source file and parameters an asset id carries. */
export function readAssetId(id: string): { file: string; params: ResolvedParams } {
  const { file, query } = splitId(id)
  return { file, params: resolveParams(parseQuery(query), { extraKeys: [assetMarker] }) }
}

function namedAs(file: string, extension: string): string {
  return join(dirname(file), `${basename(file, extname(file))}.${extension}`)
}
