import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../src/core/options.js'
import { parseCutoutId } from '../src/core/query.js'

describe('the preset option and query key', () => {
  it('takes &preset= from the import, which overrides the plugin option', () => {
    expect(parseCutoutId('/app/a.jpg?rembg&preset=fast&w=100').preset).toBe('fast')
    expect(parseCutoutId('/app/a.jpg?rembg&w=100').preset).toBeUndefined()
    expect(resolveOptions({}, '/app').preset).toBe('quality')
    expect(resolveOptions({ preset: 'fast' }, '/app').preset).toBe('fast')
  })

  it("refuses an unknown preset with core's message, in the query and in the options", () => {
    expect(() => parseCutoutId('/app/a.jpg?rembg&preset=turbo')).toThrow(
      "Unknown preset 'turbo'. Presets: quality, fast",
    )
    expect(() => resolveOptions({ preset: 'Fast' as 'fast' }, '/app')).toThrow(
      "Unknown preset 'Fast'. Presets: quality, fast",
    )
  })
})
