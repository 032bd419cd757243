import { describe, expect, it } from 'vitest'
import { RembgError } from '../src/errors.js'
import { createFilter, filterPatterns } from '../src/filter.js'

describe('createFilter', () => {
  it('takes every path when nothing is included, and a bare pattern or list as the include', () => {
    expect(createFilter(undefined)('any/thing.jpg')).toBe(true)
    expect(createFilter({ exclude: [] })('any/thing.jpg')).toBe(true)
    expect(['a.jpg', 'a.png', 'dir/a.jpg'].map(createFilter('*.jpg'))).toEqual([true, false, false])
    expect(['a.jpg', 'a.png', 'a.gif'].map(createFilter(['*.jpg', /\.png$/]))).toEqual([true, true, false])
  })

  it('reads globs as picomatch does: ** spans folders, * and ? stay in one, braces choose, dotfiles match', () => {
    const matches = createFilter(['assets/**/*.{png,jpg}', 'top/?.webp'])
    const taken = ['assets/a.jpg', 'assets/x/y/b.png', 'assets/.hidden/c.png', 'top/c.webp']
    const left = ['assetsx/a.jpg', 'top/x/c.webp', 'top/cd.webp', 'assets/a.gif']
    expect([...taken, ...left].filter(matches)).toEqual(taken)
  })

  it('lets exclude win over include', () => {
    const matches = createFilter({ include: ['*.jpg'], exclude: ['raw-*', /draft/] })
    expect(['ball.jpg', 'raw-ball.jpg', 'ball-draft.jpg', 'ball-raw.jpg'].filter(matches)).toEqual([
      'ball.jpg',
      'ball-raw.jpg',
    ])
  })

  it('ignores case in globs only when asked; RegExps keep their own flags', () => {
    expect(createFilter('*.jpg')('IMG_1.JPG')).toBe(false)
    expect(createFilter('*.jpg', { ignoreCase: true })('IMG_1.JPG')).toBe(true)
    expect(createFilter(/^img_/, { ignoreCase: true })('IMG_1.jpg')).toBe(false)
    expect(createFilter(/^img_/i)('IMG_1.jpg')).toBe(true)
  })

  it('gives a RegExp with g or y the same answer on every call', () => {
    const matches = createFilter(/^IMG_/g)
    expect([matches('IMG_1.jpg'), matches('IMG_1.jpg'), matches('img_1.jpg')]).toEqual([true, true, false])
  })

  it('resolves relative globs against a root; absolute and ** globs stay as they are', () => {
    const matches = createFilter({ include: ['src/photos/**', '/shared/*.png', '**/hero.jpg'] }, { root: '/app' })
    const taken = ['/app/src/photos/a.jpg', '/shared/b.png', '/elsewhere/hero.jpg']
    const left = ['/app/src/icons/a.jpg', 'src/photos/a.jpg', '/app/shared/b.png']
    expect([...taken, ...left].filter(matches)).toEqual(taken)
  })

  it('takes the root as a path, not a pattern, whatever characters its folders hold', () => {
    const matches = createFilter({ include: './src/**' }, { root: '/srv/my (copy) [1]/app' })
    expect(matches('/srv/my (copy) [1]/app/src/a.jpg')).toBe(true)
    expect(matches('/srv/my copy 1/app/src/a.jpg')).toBe(false)
    expect(createFilter('../shared/*.png', { root: '/srv/app' })('/srv/shared/logo.png')).toBe(true)
  })

  it('reads backslashes in paths and globs as /, and drops a leading ./ of a glob', () => {
    expect(createFilter('./assets/**')('assets\\products\\a.jpg')).toBe(true)
    expect(createFilter({ exclude: 'assets\\raw\\**' })('assets/raw/a.jpg')).toBe(false)
    expect(createFilter(/^assets\/raw\//)('assets\\raw\\a.jpg')).toBe(true)
  })

  it('refuses an entry that is neither a glob nor a RegExp, naming the option', () => {
    expect(() => createFilter({ include: ['*.jpg', 42 as never] })).toThrow(
      new RembgError("'include' must be a glob, a RegExp or a list of them, got: 42", {
        status: 400,
        code: 'INVALID_OPTION',
        field: 'include',
      }),
    )
  })
})

describe('filterPatterns', () => {
  it('makes a list of one pattern, none, or several', () => {
    expect(filterPatterns('include', undefined)).toEqual([])
    expect(filterPatterns('include', null)).toEqual([])
    expect(filterPatterns('exclude', /^raw-/)).toEqual([/^raw-/])
    expect(filterPatterns('include', ['*.jpg', /x/])).toEqual(['*.jpg', /x/])
  })

  it('refuses numbers, empty strings and objects with one message', () => {
    const messageOf = (value: unknown) => {
      try {
        filterPatterns('include', value)
      } catch (error) {
        return (error as Error).message
      }
    }
    expect(messageOf([42])).toBe("'include' must be a glob, a RegExp or a list of them, got: 42")
    expect(messageOf('')).toBe("'include' must be a glob, a RegExp or a list of them, got: ''")
    expect(messageOf({ glob: '*.jpg' })).toBe(
      "'include' must be a glob, a RegExp or a list of them, got: [object Object]",
    )
  })
})
