import rembg from '@rembg-kit/unplugin/rollup'

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>rembg-kit with Rollup</title>
    <script src="main.js" defer></script>
  </head>
  <body></body>
</html>
`

/** Rollup has no HTML step of its own: the page is one more emitted asset next to the bundle. */
function htmlPage() {
  return {
    name: 'html-page',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'index.html', source: page })
    },
  }
}

// A classic script (iife) so the page needs no module loader; cutouts land in dist/assets/ with hashed names.
export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'iife', assetFileNames: 'assets/[name]-[hash][extname]' },
  plugins: [rembg({ model: 'isnet-imgly' }), htmlPage()],
}
