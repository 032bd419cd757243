import { defaultParams, type RemoveResult } from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import { BuildStats, formatSummary } from '../src/core/summary.js'

function result(cache: RemoveResult['cache']): RemoveResult {
  return {
    data: Buffer.alloc(0),
    width: 1,
    height: 1,
    format: 'webp',
    mime: 'image/webp',
    extension: 'webp',
    cache,
    params: defaultParams,
    engine: { id: 'local' },
  }
}

function record(stats: BuildStats, ...results: (RemoveResult | undefined)[]): void {
  for (const item of results) {
    stats.start()
    stats.finish(item)
  }
}

describe('BuildStats', () => {
  it('counts every cutout, each computed matte and each output cache answer', () => {
    const stats = new BuildStats()
    record(stats, result({ output: false, matte: false }), result({ output: false, matte: true }))
    record(stats, result({ output: true, matte: true }))
    expect(stats.current).toMatchObject({ images: 3, inferences: 1, fromCache: 1 })
  })

  it('counts the inference of a result shared by imports in flight once', () => {
    const stats = new BuildStats()
    const shared = result({ output: false, matte: false })
    record(stats, shared, shared)
    expect(stats.current).toMatchObject({ images: 2, inferences: 1, fromCache: 0 })
  })

  it('does not count a failed cutout, and starts from zero after reset', () => {
    const stats = new BuildStats()
    record(stats, undefined, result({ output: true, matte: true }))
    expect(stats.current).toMatchObject({ images: 1, inferences: 0, fromCache: 1 })
    stats.reset()
    expect(stats.current).toStrictEqual({ images: 0, inferences: 0, fromCache: 0, busyMs: 0 })
  })
})

describe('formatSummary', () => {
  it('prints the one line the example tests parse', () => {
    expect(formatSummary({ images: 6, inferences: 3, fromCache: 2, busyMs: 4249 })).toBe(
      'rembg-kit: 6 images, 3 inferences, 2 from cache, 4.2 s',
    )
  })
})
