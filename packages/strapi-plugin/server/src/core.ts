/**
 * @rembg-kit/core is an ES module and Strapi loads this plugin's CommonJS build: core is imported once, lazily, from
 * the (asynchronous) register phase; everything after it receives the loaded module.
 */
export type Core = typeof import('@rembg-kit/core')

let loading: Promise<Core> | undefined

export function loadCore(): Promise<Core> {
  loading ??= import('@rembg-kit/core')
  return loading
}
