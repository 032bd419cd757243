import { mkdir, rm, writeFile } from 'node:fs/promises'
import rembg from '@rembg-kit/unplugin/esbuild'
import * as esbuild from 'esbuild'

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>rembg-kit with esbuild</title>
    <script src="/static/main.js" defer></script>
  </head>
  <body></body>
</html>
`

// dist/ is served under /static/ (publicPath); the page links the bundle there too.
await rm('dist', { recursive: true, force: true })
await esbuild.build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  outdir: 'dist',
  publicPath: '/static/',
  assetNames: 'assets/[name]-[hash]',
  plugins: [rembg({ model: 'isnet-imgly' })],
})
await mkdir('dist', { recursive: true })
await writeFile('dist/index.html', page)
