import { fileURLToPath } from 'node:url'
import rembg from '@rembg-kit/unplugin/rspack'
import { rspack } from '@rspack/core'

/** The page is served with its assets under /static/, so every emitted cutout's URL must start there. */
export default {
  mode: 'production',
  entry: './src/main.js',
  output: {
    path: fileURLToPath(new URL('dist', import.meta.url)),
    publicPath: '/static/',
    filename: '[name].[contenthash].js',
    assetModuleFilename: 'images/[name].[contenthash][ext]',
    clean: true,
  },
  plugins: [new rspack.HtmlRspackPlugin({ title: 'rembg-kit with Rspack' }), rembg({ model: 'isnet-imgly' })],
}
