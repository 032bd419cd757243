import { fileURLToPath } from 'node:url'
import rembg from '@rembg-kit/unplugin/webpack'
import HtmlWebpackPlugin from 'html-webpack-plugin'

/** The page is served with its assets under /static/, so every emitted cutout's URL must start there. */
export default {
  entry: './src/main.js',
  output: {
    path: fileURLToPath(new URL('dist', import.meta.url)),
    publicPath: '/static/',
    filename: '[name].[contenthash].js',
    assetModuleFilename: 'images/[name].[contenthash][ext]',
    clean: true,
  },
  plugins: [new HtmlWebpackPlugin({ title: 'rembg-kit with webpack' }), rembg({ model: 'isnet-imgly' })],
}
