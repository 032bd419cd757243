import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { packageDir } from './action-yml.js'

it('the committed dist/index.js is the bundle of the current sources (run `pnpm --filter @rembg-kit/github-action run bundle`)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rembg-kit-bundle-'))
  try {
    const fresh = join(dir, 'index.js')
    await promisify(execFile)(process.execPath, [join(packageDir, 'bundle.mjs'), fresh], { cwd: packageDir })
    const committed = await readFile(join(packageDir, 'dist', 'index.js'), 'utf8')
    // Compared as text with a short message: a diff of a 1 MB bundle helps nobody.
    expect(
      committed === (await readFile(fresh, 'utf8')),
      'dist/index.js is stale: rebuild it with `pnpm --filter @rembg-kit/github-action run bundle`',
    ).toBe(true)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
