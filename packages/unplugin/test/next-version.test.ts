/**
 * `withRembg` reads the version of the Next.js that loads the config (the `next` whose modules the process has
 * loaded), not a `next` that resolves from the working folder: a parent folder's or another app's copy must not turn
 * the Turbopack rules off. Its own process, since loading Next's modules cannot be undone.
 */
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
const next15App = join(repoRoot, 'examples', 'next-15')

const { withRembg } = (await import('../dist/next.js')) as {
  withRembg(config: unknown, options?: object): { turbopack?: { rules?: Record<string, unknown> } }
}

afterEach(() => {
  delete process.env.TURBOPACK
})

describe('the Next.js version withRembg checks', () => {
  it('is not a Next 15 that merely resolves from the working folder: the Turbopack rules stay', () => {
    const cwd = process.cwd()
    process.chdir(next15App)
    try {
      process.env.TURBOPACK = '1'
      expect(Object.keys(withRembg({}).turbopack?.rules ?? {})).toEqual(['*'])
    } finally {
      process.chdir(cwd)
    }
  })

  it('is the Next 15 whose modules are loaded: Turbopack stops with the reason, webpack gets no Turbopack rules', () => {
    createRequire(join(next15App, 'package.json'))('next/dist/lib/constants.js')
    expect(withRembg({}).turbopack?.rules).toBeUndefined()
    process.env.TURBOPACK = '1'
    expect(() => withRembg({})).toThrow(
      'rembg-kit: Turbopack in Next.js 15.5.29 cannot select ?rembg imports (rule conditions on the query need ' +
        'Next.js 16.2): build and run with webpack (next dev and next build without --turbopack) or upgrade Next.js',
    )
  })
})
