import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCommandArgs } from '../src/cli/args.js'
import { repoRoot, tempDir, testModel } from './helpers.js'

const bin = join(repoRoot, 'packages/core/bin/rembg-kit.js')

/** The built CLI with an environment of the test's choosing (no REMBG_API_KEY unless given). */
async function rembgKit(args: string[], env: Record<string, string> = {}) {
  const { REMBG_API_KEY: _key, REMBG_BASE_URL: _url, ...inherited } = process.env
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: await tempDir(),
      env: { ...inherited, CI: 'true', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('negative numbers after a flag', () => {
  it('are taken as the flag value, and "--" still ends the flags', () => {
    const options = { angle: { type: 'string' }, w: { type: 'string' }, mask: { type: 'boolean' } } as const
    const parsed = parseCommandArgs(['--angle', '-90', '--w', '-5', 'in.png', '--', '--w', '-1'], options)
    expect(parsed.values).toEqual({ angle: '-90', w: '-5' })
    expect(parsed.positionals).toEqual(['in.png', '--w', '-1'])
  })

  it("reach core's validation with the documented messages", async () => {
    const run = await rembgKit(['remove', 'in.png', '-o', 'out.png', '--w', '-5', '--angle', '-400'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      [
        'rembg-kit: Multiple validation errors',
        "  w: 'w' must be at least 1, got: -5",
        "  angle: 'angle' must be between -360 and 360 degrees, got: -400.0",
        '',
      ].join('\n'),
    )
  })
})

describe('--engine', () => {
  it('refuses the hosted API without a key, naming both ways to give one', async () => {
    const run = await rembgKit(['remove', 'in.png', '-o', 'out.png', '--engine', 'remote'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('rembg-kit: No API key: pass apiKey (CLI: --api-key) or set REMBG_API_KEY.\n')
  })

  it('refuses an unknown engine', async () => {
    const run = await rembgKit(['remove', 'in.png', '-o', 'out.png', '--engine', 'cloud'])
    expect(run.stderr).toBe("rembg-kit: Unknown engine 'cloud'. Engines: local, remote\n")
  })
})

describe('doctor', () => {
  it('shows the remote engine with its key masked', async () => {
    const key = 'rk_live_5f2c9a7e41d3b8'
    const run = await rembgKit(['doctor', '--model', testModel], {
      REMBG_API_KEY: key,
      REMBG_BASE_URL: 'http://127.0.0.1:9/',
    })
    expect(run.stdout).toContain('remote engine     http://127.0.0.1:9, REMBG_API_KEY ****d3b8\n')
    expect(run.stdout + run.stderr).not.toContain(key.slice(0, 12))
  })
})

describe('--version', () => {
  it('prints the version of the installed package, as -v too', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'packages/core/package.json'), 'utf8'))
    expect(version).toMatch(/^\d+\.\d+\.\d+/)
    for (const flag of ['--version', '-v']) {
      const run = await rembgKit([flag])
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })
})
