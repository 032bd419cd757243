import * as core from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import { ConfigError, publicSettings, resolveConfig } from '../server/src/options'

const resolve = (raw: unknown) => resolveConfig(raw, { appRoot: '/srv/app', core })
const failure = (raw: unknown): string => {
  try {
    resolve(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('resolveConfig', () => {
  it('fills every default from an empty config', () => {
    expect(resolve(undefined)).toEqual({
      enabled: true,
      mode: 'variant',
      params: core.defaultParams,
      engine: 'local',
      model: core.defaultModel,
      preset: 'quality',
      apiKey: null,
      baseUrl: null,
      include: [],
      exclude: [],
      folders: [],
      maxSize: 20_000_000,
      readTimeout: 30_000,
      async: false,
      concurrency: 1,
      shutdownTimeout: 8000,
      cacheDir: '/srv/app/.cache/rembg-kit',
      cacheMaxSize: 1024 ** 3,
    })
  })

  it("keeps the user's values, with params resolved by core", () => {
    const config = resolve({
      mode: 'replace',
      params: { format: 'PNG', w: '800', bgColor: 'white' },
      model: 'isnet-imgly',
      include: '*.jpg',
      exclude: [/^raw-/],
      folders: ['/Products/'],
      maxSize: 1000,
      readTimeout: 5000,
      async: true,
      concurrency: 3,
      shutdownTimeout: 0,
      cacheDir: '/tmp/c',
      cacheMaxSize: '500MB',
    })
    expect(config).toMatchObject({
      mode: 'replace',
      params: { format: 'png', w: 800, bg_color: '#ffffffff' },
      model: 'isnet-imgly',
      include: ['*.jpg'],
      exclude: [/^raw-/],
      folders: ['/Products'],
      maxSize: 1000,
      readTimeout: 5000,
      async: true,
      concurrency: 3,
      shutdownTimeout: 0,
      cacheDir: '/tmp/c',
      cacheMaxSize: 500 * 1024 ** 2,
    })
  })

  it("refuses a bad params value with core's message and the key path", () => {
    expect(failure({ params: { format: 'gif' } })).toBe(
      "plugin::rembg config params.format: Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP",
    )
    expect(failure({ params: { widht: 800 } })).toBe(
      "plugin::rembg config params.widht: Unknown parameter 'widht'. Allowed parameters: format, w, h, exact_resize, mask, bg_color, angle, expand, crop, crop_threshold, crop_margin",
    )
  })

  it('lists every bad params field at once', () => {
    expect(failure({ params: { w: 'abc', angle: 500 } })).toBe(
      [
        'plugin::rembg config params: Multiple validation errors:',
        "  params.w: 'w' must be an integer, got: 'abc'",
        "  params.angle: 'angle' must be between -360 and 360 degrees, got: 500.0",
      ].join('\n'),
    )
  })

  it('takes the remote engine with its key and address, and refuses other engines', () => {
    const config = resolve({ engine: 'remote', apiKey: 'k-123', baseUrl: 'http://127.0.0.1:3000' })
    expect([config.engine, config.apiKey, config.baseUrl]).toEqual(['remote', 'k-123', 'http://127.0.0.1:3000'])
    expect(failure({ engine: 'cloud' })).toBe("plugin::rembg config engine: must be 'local' or 'remote', got 'cloud'")
  })

  it('never repeats a mistyped API key in its message, only what kind of value it is', () => {
    expect(failure({ apiKey: 4242424242424242 })).toBe(
      'plugin::rembg config apiKey: must be a non-empty string, got a number',
    )
    expect(failure({ apiKey: '' })).toBe('plugin::rembg config apiKey: must be a non-empty string, got an empty string')
  })

  it("refuses an unknown model with core's message", () => {
    expect(failure({ model: 'nope' })).toMatch(/^plugin::rembg config model: Unknown model 'nope'\. Known models: /)
  })

  it('refuses other bad values, naming the key', () => {
    expect(failure({ mode: 'copy' })).toBe("plugin::rembg config mode: must be 'variant' or 'replace', got 'copy'")
    expect(failure({ modle: 'x' })).toBe(
      'plugin::rembg config modle: unknown key. Known keys: enabled, mode, params, engine, model, preset, apiKey, baseUrl, include, exclude, folders, maxSize, readTimeout, async, concurrency, shutdownTimeout, cacheDir, cacheMaxSize',
    )
    expect(failure({ folders: ['Products'] })).toBe(
      "plugin::rembg config folders: must be an array of folder paths starting with '/', got Products",
    )
    expect(failure({ concurrency: 0 })).toBe(
      "plugin::rembg config concurrency: 'concurrency' must be at least 1, got: 0",
    )
    expect(failure({ maxSize: '1MB' })).toBe("plugin::rembg config maxSize: must be a number above 0, got '1MB'")
    expect(failure({ readTimeout: '30s' })).toBe(
      "plugin::rembg config readTimeout: 'readTimeout' must be an integer, got: '30s'",
    )
    expect(failure({ readTimeout: 0 })).toBe(
      "plugin::rembg config readTimeout: 'readTimeout' must be at least 1, got: 0",
    )
    expect(failure({ shutdownTimeout: -1 })).toBe(
      "plugin::rembg config shutdownTimeout: 'shutdownTimeout' must be at least 0, got: -1",
    )
    expect(failure({ shutdownTimeout: '8s' })).toBe(
      "plugin::rembg config shutdownTimeout: 'shutdownTimeout' must be an integer, got: '8s'",
    )
    expect(failure({ async: 'yes' })).toBe("plugin::rembg config async: must be true or false, got 'yes'")
    expect(failure({ include: [42] })).toBe(
      "plugin::rembg config include: 'include' must be a glob, a RegExp or a list of them, got: 42",
    )
    expect(failure({ params: 'png' })).toBe(
      "plugin::rembg config params: must be an object of core's output parameters, got 'png'",
    )
  })
})

describe('publicSettings', () => {
  it('masks the API key and prints patterns', () => {
    const settings = publicSettings(resolve({ apiKey: 'secret', exclude: [/^raw-/i] }))
    expect(settings.apiKey).toBe('********')
    expect(settings.exclude).toEqual(['/^raw-/i'])
    expect(JSON.stringify(settings)).not.toContain('secret')
    expect(publicSettings(resolve({})).apiKey).toBeNull()
  })

  it('masks credentials written into baseUrl, and nothing else of it', () => {
    const settings = publicSettings(
      resolve({ engine: 'remote', baseUrl: 'https://team:s3cret@rembg.internal:7000/v1' }),
    )
    expect(settings.baseUrl).toBe('https://********:********@rembg.internal:7000/v1')
    expect(publicSettings(resolve({ baseUrl: 'http://127.0.0.1:7000' })).baseUrl).toBe('http://127.0.0.1:7000')
  })

  it('refuses enabled other than true or false', () => {
    expect(failure({ enabled: 'no' })).toBe("plugin::rembg config enabled: must be true or false, got 'no'")
  })
})
