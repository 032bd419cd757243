import { checkBundlerExample } from '../../bundlers-contract.js'

// rollup.config.mjs: dist/ served at the site root, assetFileNames 'assets/[name]-[hash][extname]'.
checkBundlerExample('rollup', { publicPath: '/', assetsDir: 'assets' })
