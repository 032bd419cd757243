/**
 * @example
 * import rembg from '@rembg-kit/unplugin/vite'
 * // plugins: [rembg({ model: 'isnet-imgly' })]
 */
import { rembg } from './index.js'

export default rembg.vite as typeof rembg.vite
