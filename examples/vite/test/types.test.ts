/** The example's `?rembg` imports type-check with `@rembg-kit/unplugin/client` in its tsconfig, as the README says. */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { exampleDir, repoRoot } from '../../test-support.ts'

describe('types of examples/vite', () => {
  it('type-checks src/ with tsc and the client types: a URL, a srcset string and a meta object', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    const run = promisify(execFile)(process.execPath, [tsc, '-p', join(exampleDir('vite'), 'tsconfig.json')])
    await expect(run).resolves.toEqual({ stdout: '', stderr: '' })
  })
})
