import { createRequire } from 'node:module'
import type Sharp from 'sharp'

const localRequire = createRequire(import.meta.url)
let sharp: typeof Sharp | undefined

/**
 * sharp, loaded on first use: a build whose cutouts all come from the cache never decodes or encodes an image, and
 * should not pay for loading libvips (about 90 ms of a warm Vite build).
 *
 * @example
 * const { width } = await loadSharp()(bytes).metadata()
 */
export function loadSharp(): typeof Sharp {
  sharp ??= localRequire('sharp') as typeof Sharp
  return sharp
}
