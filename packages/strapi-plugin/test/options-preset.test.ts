import * as core from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import { publicSettings, resolveConfig } from '../server/src/options'

const resolve = (raw: unknown) => resolveConfig(raw, { appRoot: '/srv/app', core })
const failure = (raw: unknown): string => {
  try {
    resolve(raw)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('the preset config key', () => {
  it('defaults to quality, takes fast, and is shown in the settings', () => {
    expect(resolve({}).preset).toBe('quality')
    const fast = resolve({ preset: 'fast' })
    expect(fast.preset).toBe('fast')
    expect(publicSettings(fast).preset).toBe('fast')
  })

  it("is refused with core's message and the key: unknown, or fast with the remote engine", () => {
    expect(failure({ preset: 'turbo' })).toBe(
      "plugin::rembg config preset: Unknown preset 'turbo'. Presets: quality, fast",
    )
    expect(failure({ preset: 'fast', engine: 'remote' })).toBe(
      "plugin::rembg config preset: Preset 'fast' needs engine 'local'; engine 'remote' has only 'quality'",
    )
  })
})
