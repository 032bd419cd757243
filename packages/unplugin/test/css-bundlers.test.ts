/**
 * `url(./hero.jpg?rembg&w=…)` in stylesheets, built for real: Vite (plain CSS and CSS modules) and webpack/Rspack
 * with css-loader and their CSS extract plugins write CSS that references an emitted file whose pixels are the cutout.
 * Rollup's CSS plugins do not pass url() through the module graph: the build warns, naming the url and the file.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildError,
  buildWith,
  createProject,
  expectCutout,
  expectMessageLines,
  type HostBuild,
  listFiles,
} from './support/host-builds.js'

// The fixture sits outside the package: its loaders are found from here, as from a project's own node_modules.
const cssLoader = createRequire(import.meta.url).resolve('css-loader')

const files = {
  'src/images/ball.jpg': { photo: true as const },
  'src/style.css': '.hero { background-image: url(./images/ball.jpg?rembg&w=200&format=png); }\n',
  'src/card.module.css': ".card { background: url('./images/ball.jpg?rembg&w=100&format=webp') no-repeat; }\n",
  'src/main.js': "import './style.css'\nimport * as card from './card.module.css'\nconsole.log(card)\n",
}

/** The url() references of every emitted stylesheet, resolved to files of the output folder. */
async function stylesheetImages(outDir: string, publicPath: string): Promise<string[]> {
  const sheets = (await listFiles(outDir)).filter((file) => file.endsWith('.css'))
  expect(sheets.length, 'an emitted stylesheet').toBeGreaterThan(0)
  const css = (await Promise.all(sheets.map((file) => readFile(join(outDir, file), 'utf8')))).join('\n')
  const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((match) => match[1] as string)
  for (const url of urls) expect(url.startsWith(publicPath), `${url} is under ${publicPath}`).toBe(true)
  return urls.map((url) => url.slice(publicPath.length)).toSorted()
}

/** Both stylesheets' cutouts, by format: the PNG of style.css (200 px) and the WebP of the CSS module (100 px). */
async function expectStylesheetCutouts(outDir: string, publicPath: string): Promise<void> {
  const images = await stylesheetImages(outDir, publicPath)
  expect(images.map((file) => file.split('.').at(-1))).toStrictEqual(['png', 'webp'])
  await expectCutout(await readFile(join(outDir, images[0] as string)), 'png', 200)
  await expectCutout(await readFile(join(outDir, images[1] as string)), 'webp', 100)
  const emitted = (await listFiles(outDir)).filter((file) => /\.(png|webp|jpe?g)$/.test(file))
  expect(emitted.toSorted(), 'no original photo is emitted beside the cutouts').toStrictEqual(images)
}

describe('url(…?rembg) in stylesheets', () => {
  let dir = ''
  const input = (name: string, extra: Partial<HostBuild> = {}): HostBuild => ({
    dir,
    entry: join(dir, 'src', 'main.js'),
    outDir: join(dir, `dist-${name}`),
    pluginOptions: { model: 'isnet-imgly', cacheDir: join(dir, 'cache') },
    ...extra,
  })

  beforeAll(async () => {
    dir = await createProject('css', files)
  })

  it('Vite: CSS and CSS modules reference the emitted cutouts', async () => {
    await buildWith('vite', input('vite'))
    await expectStylesheetCutouts(join(dir, 'dist-vite'), '/')
  })

  it('webpack with css-loader and mini-css-extract-plugin: the extracted CSS references the cutouts', async () => {
    const { default: MiniCssExtractPlugin } = await import('mini-css-extract-plugin')
    const rules = [
      {
        test: /\.css$/,
        use: [MiniCssExtractPlugin.loader, { loader: cssLoader, options: { modules: { auto: true } } }],
      },
    ]
    await buildWith('webpack', input('webpack', { webpack: { rules, plugins: [new MiniCssExtractPlugin()] } }))
    await expectStylesheetCutouts(join(dir, 'dist-webpack'), '/static/')
  })

  it('Rspack with css-loader and its CSS extract plugin: the extracted CSS references the cutouts', async () => {
    const { rspack } = await import('@rspack/core')
    const rules = [
      {
        test: /\.css$/,
        type: 'javascript/auto',
        use: [rspack.CssExtractRspackPlugin.loader, { loader: cssLoader, options: { modules: { auto: true } } }],
      },
    ]
    const plugins = [new rspack.CssExtractRspackPlugin()]
    await buildWith('rspack', input('rspack', { webpack: { rules, plugins } }))
    await expectStylesheetCutouts(join(dir, 'dist-rspack'), '/static/')
  })

  it('Rollup warns that a CSS plugin keeps the original image, naming the url() and the stylesheet', async () => {
    // A stand-in for Rollup's CSS plugins (rollup-plugin-postcss and the like): the stylesheet becomes a string.
    const cssAsText = {
      name: 'css-as-text',
      transform: (code: string, id: string) => (id.endsWith('.css') ? `export default ${JSON.stringify(code)}` : null),
    }
    const warnings = await buildWith('rollup', input('rollup', { rollupPlugins: [cssAsText] }))
    // Rollup puts "[plugin rembg-kit] <file>: " before a plugin's warning.
    expect(warnings).toContainEqual(
      expect.stringContaining(
        `rembg-kit: url(./images/ball.jpg?rembg&w=200&format=png) in ${join(dir, 'src', 'style.css')} is not cut ` +
          'out: Rollup does not pass url() in CSS through the plugin, so the stylesheet keeps the original image. ' +
          'Import the image from JS instead',
      ),
    )
  })

  it('esbuild fails the build: its css loader refuses a url() to the JS module of a cutout', async () => {
    const message = await buildError('esbuild', input('esbuild'))
    expect(message).toContain(
      `Cannot use "rembg-kit:${join(dir, 'src', 'images', 'ball.jpg')}?rembg&w=200&format=png" as a URL`,
    )
  })

  it('Vite fails a build whose index.html names a ?rembg file, which Vite would copy as it is', async () => {
    const html =
      '<!doctype html>\n<img src="./src/images/ball.jpg?rembg&w=200">\n<script type="module" src="./src/main.js"></script>\n'
    await writeFile(join(dir, 'index.html'), html)
    expectMessageLines(await buildError('vite', input('vite-html', { entry: join(dir, 'index.html') })), [
      `rembg-kit: ./src/images/ball.jpg?rembg&w=200 in ${join(dir, 'index.html')} is not cut out: Vite copies the ` +
        'files HTML names as they are. Import the image from a script, or use it in CSS url(), instead',
    ])
  })

  it("Vite fails a build with new URL('…?rembg', import.meta.url), whose file Vite would copy as it is", async () => {
    const script = "console.log(new URL('./images/ball.jpg?rembg&w=200', import.meta.url).href)\n"
    await writeFile(join(dir, 'src', 'new-url.js'), script)
    expectMessageLines(await buildError('vite', input('vite-new-url', { entry: join(dir, 'src', 'new-url.js') })), [
      `rembg-kit: new URL('./images/ball.jpg?rembg&w=200', import.meta.url) in ${join(dir, 'src', 'new-url.js')} ` +
        'is not cut out: Vite copies the file it names as it is. Import the image instead: import url from ' +
        "'./images/ball.jpg?rembg&w=200'",
    ])
  })
})
