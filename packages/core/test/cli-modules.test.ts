import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { repoRoot } from './helpers.js'

const cliDir = join(repoRoot, 'packages/core/dist/cli')

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

// main.ts imports the commands and a command never imports main.ts: with a cycle, loading a command first throws
// "Cannot access 'removeCommand' before initialization".
it('loads every built CLI module on its own, with import and with require (no import cycle)', async () => {
  const files = (await readdir(cliDir)).filter((name) => /\.c?js$/.test(name)).sort()
  expect(files).toEqual(expect.arrayContaining(['main.js', 'main.cjs', 'remove.js', 'remove.cjs']))
  const failures: string[] = []
  for (const name of files) {
    const stderr = await loadAlone(join(cliDir, name))
    if (stderr !== '') failures.push(`${name}: ${stderr.split('\n').find((line) => /Error/.test(line))}`)
  }
  expect(failures).toEqual([])
})
