import { describe, expect, it } from 'vitest'
import { createIdFilter } from '../src/core/filter.js'

describe('createIdFilter: include/exclude match the file path without its query, in every bundler', () => {
  const id = (path: string) => `${path}?rembg&w=800`

  it('takes every id when nothing is included', () => {
    expect(createIdFilter({ include: undefined, exclude: [] }, '/app')(id('/app/src/a.jpg'))).toBe(true)
  })

  it('matches string globs against the file, resolved from the root, with or without a query', () => {
    const filter = createIdFilter({ include: 'src/photos/**/*.jpg', exclude: [] }, '/app')
    expect(filter(id('/app/src/photos/a.jpg'))).toBe(true)
    expect(filter('/app/src/photos/a.jpg')).toBe(true)
    expect(filter(id('/app/src/icons/a.jpg'))).toBe(false)
  })

  it('leaves globs starting with ** unanchored and normalises backslashes, as unplugin does', () => {
    const filter = createIdFilter({ include: '**/photos/*.jpg', exclude: [] }, '/app')
    expect(filter(id('/elsewhere/photos/a.jpg'))).toBe(true)
    expect(filter(id('C:\\app\\photos\\a.jpg'))).toBe(true)
  })

  it('tests RegExps on the path too (a query is never part of it), and lets exclude win', () => {
    const filter = createIdFilter({ include: [/\.jpg$/, 'src/**'], exclude: /hero/g }, '/app')
    expect(filter(id('/other/a.jpg'))).toBe(true)
    expect(filter(id('/app/src/hero.jpg'))).toBe(false)
    expect(filter(id('/app/src/hero.jpg'))).toBe(false)
    expect(createIdFilter({ include: /rembg/, exclude: [] }, '/app')(id('/app/a.jpg'))).toBe(false)
  })

  it('escapes glob syntax in the root folder', () => {
    const filter = createIdFilter({ include: 'src/*.jpg', exclude: [] }, '/work/app (v2)')
    expect(filter(id('/work/app (v2)/src/a.jpg'))).toBe(true)
  })
})
