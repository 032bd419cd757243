import { checkBundlerExample } from '../../bundlers-contract.js'

// webpack.config.js: output.publicPath '/static/', assetModuleFilename 'images/[name].[contenthash][ext]'.
checkBundlerExample('webpack', { publicPath: '/static/', assetsDir: 'images' })
