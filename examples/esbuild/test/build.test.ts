import { checkBundlerExample } from '../../bundlers-contract.js'

// build.mjs: publicPath '/static/', assetNames 'assets/[name]-[hash]'.
checkBundlerExample('esbuild', { publicPath: '/static/', assetsDir: 'assets' })
