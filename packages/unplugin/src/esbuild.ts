/**
 * @example
 * import rembg from '@rembg-kit/unplugin/esbuild'
 * // plugins: [rembg({ model: 'isnet-imgly' })]
 */
import { rembg } from './index.js'

export default rembg.esbuild as typeof rembg.esbuild
