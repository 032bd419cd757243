/**
 * The CommonJS build, as a `webpack.config.js` or `rspack.config.js` written with `require` loads it
 * (`require('@rembg-kit/unplugin/webpack')` is dist/webpack.cjs): a real build finds the loader the plugin hands the
 * bundler by path, and ships the cutout. The other tests build through the ES modules.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProject, expectCutout, listFiles } from './support/host-builds.js'

const require = createRequire(import.meta.url)

interface Compiler {
  run(callback: (error: Error | null, stats?: { hasErrors(): boolean; toJson(): Json }) => void): void
  close(callback: () => void): void
}
type Json = { errors?: { message: string }[] }

function run(compiler: Compiler): Promise<void> {
  return new Promise((done, fail) => {
    compiler.run((error, stats) => {
      compiler.close(() => {
        if (error) return fail(error)
        if (stats?.hasErrors()) return fail(new Error((stats.toJson().errors ?? []).map((e) => e.message).join('\n')))
        done()
      })
    })
  })
}

const bundlers = {
  webpack: (config: object): Compiler => require('webpack')(config),
  rspack: (config: object): Compiler => require('@rspack/core').rspack(config),
}

describe.each(Object.keys(bundlers) as (keyof typeof bundlers)[])('%s with the plugin loaded by require', (name) => {
  it('builds the cutout import into a transparent PNG of the asked width', async () => {
    const rembg = require(`../dist/${name}.cjs`) as (options: object) => object
    expect(typeof rembg).toBe('function')
    const dir = await createProject(`commonjs-${name}`, {
      'ball.jpg': { photo: true },
      'main.js': "import hero from './ball.jpg?rembg&w=96&format=png'\nconsole.log(hero)\n",
    })
    const outDir = join(dir, 'dist')
    await run(
      bundlers[name]({
        mode: 'production',
        context: dir,
        entry: './main.js',
        output: { path: outDir, publicPath: '/static/', assetModuleFilename: 'img/[name]-[contenthash:10][ext]' },
        plugins: [rembg({ model: 'isnet-imgly', logLevel: 'silent' })],
      }),
    )
    const images = (await listFiles(outDir)).filter((file) => file.endsWith('.png'))
    expect(images).toHaveLength(1)
    const image = images[0] as string
    // The bundle joins the public path and the file at run time (`p.p + "img/ball-<hash>.png"`).
    expect(await readFile(join(outDir, 'main.js'), 'utf8')).toContain(`"${image}"`)
    await expectCutout(await readFile(join(outDir, image)), 'png', 96)
  })
})
