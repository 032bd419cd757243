import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { packageDir } from './action-yml.js'

it('the committed dist/ (index.js and its chunks) is the bundle of the current sources (run `pnpm --filter @rembg-kit/github-action run bundle`)', async () => {
  const fresh = await mkdtemp(join(tmpdir(), 'rembg-kit-bundle-'))
  try {
    await promisify(execFile)(process.execPath, [join(packageDir, 'bundle.mjs'), fresh], { cwd: packageDir })
    const committed = join(packageDir, 'dist')
    const stale = 'dist/ is stale: rebuild it with `pnpm --filter @rembg-kit/github-action run bundle`'
    const names = (await readdir(fresh)).sort()
    expect(names).toContain('index.js')
    expect((await readdir(committed)).sort(), stale).toEqual(names)
    for (const name of names) {
      // Compared as text with a short message: a diff of a 1 MB chunk helps nobody.
      const same = (await readFile(join(committed, name), 'utf8')) === (await readFile(join(fresh, name), 'utf8'))
      expect(same, `${stale} (${name} differs)`).toBe(true)
    }
  } finally {
    await rm(fresh, { recursive: true, force: true })
  }
})
