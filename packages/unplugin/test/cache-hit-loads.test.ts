/**
 * A Vite build whose cutouts all come from the cache loads neither onnxruntime-node nor sharp (issue 24): the plugin's
 * imports are cheap and the heavy modules load at the first miss. Each build is a `vite build` process of its own with
 * examples/report-loaded-libraries.cjs preloaded, which lists the heavy native libraries the process mapped; the cold
 * build before it must list them, so the check is seen to work.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { createProject } from './support/host-builds.js'

const run = promisify(execFile)
const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
const preload = join(repoRoot, 'examples', 'report-loaded-libraries.cjs')
const plugin = pathToFileURL(join(repoRoot, 'packages', 'unplugin', 'dist', 'vite.js')).href
const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js')

async function build(dir: string): Promise<{ libraries: string[]; output: string }> {
  const report = join(dir, `loaded-${Math.random().toString(36).slice(2)}.json`)
  const env = { ...process.env, REMBG_KIT_LOADED_REPORT: report }
  const args = ['--require', preload, viteBin, 'build', '--configLoader', 'native']
  const { stdout, stderr } = await run(process.execPath, args, { cwd: dir, env })
  return { libraries: JSON.parse(await readFile(report, 'utf8')) as string[], output: stdout + stderr }
}

it('a warm vite build loads neither sharp nor onnxruntime; the cold one before it loads both', async () => {
  const dir = await createProject('cache-hit-loads', {
    'ball.jpg': { photo: true },
    'index.html': '<!doctype html>\n<html><body><script type="module" src="/main.js"></script></body></html>\n',
    'main.js':
      "import a from './ball.jpg?rembg&w=200&format=png'\nimport b from './ball.jpg?rembg&w=100'\n" +
      "import c from './ball.jpg?rembg&w=100;150&as=srcset'\nconsole.log(a, b, c)\n",
    'vite.config.mjs': `import rembg from ${JSON.stringify(plugin)}\nexport default { plugins: [rembg({ model: 'isnet-imgly' })] }\n`,
  })

  const cold = await build(dir)
  expect(cold.output).toMatch(/rembg-kit: 4 images, 1 inferences?, 0 from cache/)
  expect(cold.libraries.some((name) => name.startsWith('libonnxruntime'))).toBe(true)
  expect(cold.libraries.some((name) => name.startsWith('libvips'))).toBe(true)

  const warm = await build(dir)
  expect(warm.output).toMatch(/rembg-kit: 4 images, 0 inferences, 4 from cache/)
  expect(warm.libraries).toEqual([])
})
