import { describe, expect, it } from 'vitest'
import { createIdFilter } from '../src/core/filter.js'

describe('createIdFilter (webpack and Rspack loaders)', () => {
  const id = (path: string) => `${path}?rembg&w=800`

  it('takes every id when nothing is included', () => {
    expect(createIdFilter({ include: undefined, exclude: [] }, '/app')(id('/app/src/a.jpg'))).toBe(true)
  })

  it('matches string globs against the file, resolved from the root', () => {
    const filter = createIdFilter({ include: 'src/photos/**', exclude: [] }, '/app')
    expect(filter(id('/app/src/photos/a.jpg'))).toBe(true)
    expect(filter(id('/app/src/icons/a.jpg'))).toBe(false)
  })

  it('tests RegExps on the whole id, and lets exclude win', () => {
    const filter = createIdFilter({ include: [/\.jpg\?/, 'src/**'], exclude: /hero/ }, '/app')
    expect(filter(id('/other/a.jpg'))).toBe(true)
    expect(filter(id('/app/src/hero.jpg'))).toBe(false)
  })
})
