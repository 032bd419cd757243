import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../src/core/options.js'

describe('resolveOptions', () => {
  it('fills every default', () => {
    expect(resolveOptions({}, '/app')).toStrictEqual({
      defaults: {},
      engine: 'local',
      model: undefined,
      preset: 'quality',
      apiKey: process.env.REMBG_API_KEY,
      baseUrl: undefined,
      include: undefined,
      exclude: [],
      cacheDir: join('/app', 'node_modules', '.cache', 'rembg-kit'),
      concurrency: 1,
      logLevel: 'summary',
    })
  })

  it("keeps the user's values and never changes the caller's object", () => {
    const options = { defaults: { format: 'png' }, model: 'isnet-imgly', cacheDir: '/c', logLevel: 'silent' as const }
    const resolved = resolveOptions(options, '/app')
    expect(resolved).toMatchObject({ defaults: { format: 'png' }, model: 'isnet-imgly', cacheDir: '/c' })
    expect(resolved.defaults).not.toBe(options.defaults)
  })

  it("checks defaults with core's messages before any build", () => {
    expect(() => resolveOptions({ defaults: { w: 'wide' } })).toThrow("'w' must be an integer, got: 'wide'")
  })

  it("checks include and exclude with core's pattern rule before any build", () => {
    expect(() => resolveOptions({ include: [42 as unknown as string] })).toThrow(
      /^'include' must be a glob, a RegExp or a list of them, got: 42$/,
    )
    expect(() => resolveOptions({ exclude: '' })).toThrow(
      /^'exclude' must be a glob, a RegExp or a list of them, got: ''$/,
    )
  })

  it('refuses unknown engines, log levels and a bad concurrency', () => {
    expect(() => resolveOptions({ engine: 'cloud' as 'local' })).toThrow(
      "rembg-kit: option 'engine' must be one of local, remote, got: 'cloud'",
    )
    expect(() => resolveOptions({ logLevel: 'loud' as 'silent' })).toThrow(
      "rembg-kit: option 'logLevel' must be one of silent, summary, verbose, got: 'loud'",
    )
    expect(() => resolveOptions({ concurrency: 0 })).toThrow(/^'concurrency' must be at least 1, got: 0$/)
  })
})
