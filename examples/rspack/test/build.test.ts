import { checkBundlerExample } from '../../bundlers-contract.js'

// rspack.config.js: output.publicPath '/static/', assetModuleFilename 'images/[name].[contenthash][ext]'.
checkBundlerExample('rspack', { publicPath: '/static/', assetsDir: 'images' })
