import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { repoRoot } from './helpers.js'

const distDir = join(repoRoot, 'packages/core/dist')

/** Loads one built file in a fresh Node, as a user's `import` or `require` of it would; resolves with stderr. */
async function loadAlone(file: string): Promise<string> {
  const code = file.endsWith('.cjs') ? `require(${JSON.stringify(file)})` : `await import(${JSON.stringify(file)})`
  const type = file.endsWith('.cjs') ? 'commonjs' : 'module'
  try {
    await promisify(execFile)(process.execPath, ['--input-type', type, '-e', code])
    return ''
  } catch (error) {
    return (error as { stderr: string }).stderr
  }
}

// Core is bundled (its tsdown.config.ts): each entry is one file plus shared chunks, and the parts only a cache miss
// needs are chunks loaded by dynamic import. Each file must load on its own, as the first file a user's `import` or
// `require` (or a dynamic import) loads: a cycle between chunks throws "Cannot access '...' before initialization".
it('loads every built entry and chunk on its own, with import and with require (no import cycle)', async () => {
  const files = (await readdir(distDir, { recursive: true })).filter((name) => /\.c?js$/.test(name)).sort()
  expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'cli/main.js', 'cli/main.cjs']))
  const failures: string[] = []
  for (const name of files) {
    const stderr = await loadAlone(join(distDir, name))
    if (stderr !== '') failures.push(`${name}: ${stderr.split('\n').find((line) => /Error/.test(line))}`)
  }
  expect(failures).toEqual([])
})
