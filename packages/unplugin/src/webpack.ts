/**
 * @example
 * import rembg from '@rembg-kit/unplugin/webpack'
 * // plugins: [rembg({ model: 'isnet-imgly' })]
 */
import { rembg } from './index.js'

export default rembg.webpack as typeof rembg.webpack
