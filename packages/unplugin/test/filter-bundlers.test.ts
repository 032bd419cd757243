/**
 * One filter rule in every bundler: `include`/`exclude` match the file path without its query, so the same options
 * take the same imports in Vite, Rollup, esbuild, webpack and Rspack (Vite and Rollup hand plugins the id with its
 * query, webpack without). An import that asks for `rembg` of a file the options leave out fails the build, naming
 * the file, the reason, the importing module and the import: never the original photo in place of a cutout.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildError,
  buildWith,
  createProject,
  expectCutout,
  expectMessageLines,
  type HostBuild,
  hostNames,
  listFiles,
} from './support/host-builds.js'

const included = `import hero from './images/ball.jpg?rembg&w=120&format=png'\nconsole.log(hero)\n`
const excluded = `import other from './other/ball.jpg?rembg&w=120&format=png'\nconsole.log(other)\n`
const skipped = `import hero from './images/skip-ball.jpg?w=120&format=png&rembg'\nconsole.log(hero)\n`

// Relative globs are resolved from the project (the folder with package.json); RegExps match the path too.
const filterOptions = { model: 'isnet-imgly', include: ['src/images/**/*.jpg'], exclude: [/skip-/] }

describe.each(hostNames)('include/exclude in %s', (name) => {
  let dir = ''
  const input = (entry: string): HostBuild => ({
    dir,
    entry: join(dir, 'src', entry),
    outDir: join(dir, `dist-${entry}`),
    pluginOptions: { ...filterOptions, cacheDir: join(dir, 'cache') },
  })

  beforeAll(async () => {
    dir = await createProject(`filter-${name}`, {
      'src/images/ball.jpg': { photo: true },
      'src/images/skip-ball.jpg': { photo: true },
      'src/other/ball.jpg': { photo: true },
      'src/included.js': included,
      'src/excluded.js': excluded,
      'src/skipped.js': skipped,
    })
  })

  it('cuts out an import of an included file (globs match the path without the ?rembg query)', async () => {
    await buildWith(name, input('included.js'))
    const images = (await listFiles(join(dir, 'dist-included.js'))).filter((file) => /\.(png|jpe?g)$/.test(file))
    expect(images).toHaveLength(1)
    expect(images[0]).toMatch(/\.png$/)
    await expectCutout(await readFile(join(dir, 'dist-included.js', images[0] as string)), 'png', 120)
  })

  it('fails the build for an import of a file include leaves out, naming the file, the reason and the import', async () => {
    expectMessageLines(await buildError(name, input('excluded.js')), [
      "rembg-kit: src/other/ball.jpg is excluded by the plugin's include/exclude options, so no cutout is made: " +
        "include the file or remove 'rembg' from the import",
      `  in ${join(dir, 'src', 'excluded.js')}`,
      "  import './other/ball.jpg?rembg&w=120&format=png'",
    ])
  })

  it('fails the build for an import of a file exclude takes out (a RegExp on the path; exclude wins)', async () => {
    expectMessageLines(await buildError(name, input('skipped.js')), [
      "rembg-kit: src/images/skip-ball.jpg is excluded by the plugin's include/exclude options, so no cutout is " +
        "made: include the file or remove 'rembg' from the import",
      `  in ${join(dir, 'src', 'skipped.js')}`,
      "  import './images/skip-ball.jpg?w=120&format=png&rembg'",
    ])
  })
})
