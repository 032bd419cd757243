/**
 * @example
 * import rembg from '@rembg-kit/unplugin/rspack'
 * // plugins: [rembg({ model: 'isnet-imgly' })]
 */
import { rembg } from './index.js'

export default rembg.rspack as typeof rembg.rspack
