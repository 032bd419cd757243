/**
 * @example
 * import rembg from '@rembg-kit/unplugin/rollup'
 * // plugins: [rembg({ model: 'isnet-imgly' })]
 */
import { rembg } from './index.js'

export default rembg.rollup as typeof rembg.rollup
