import * as core from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import { createSelector, folderPathIds, inFolders, namedFolderPath } from '../server/src/selection'

/** Whether a name alone is selected by include/exclude (every other rule passes). */
const createNameFilter = (include: (string | RegExp)[], exclude: (string | RegExp)[]) => {
  const select = createSelector({ include, exclude, folders: [], maxSize: Number.POSITIVE_INFINITY }, core)
  return (name: string) => select({ name, size: 1, folderPath: '/', optOut: undefined }).selected
}

describe('file names (include/exclude)', () => {
  it('matches globs on the whole name, ignoring case', () => {
    const matches = createNameFilter(['*.jpg', '*.png'], [])
    expect(['ball.jpg', 'BALL.JPG', 'a.b.png'].map(matches)).toEqual([true, true, true])
    expect(['ball.jpeg', 'ball.jpg.txt', 'ballpng'].map(matches)).toEqual([false, false, false])
  })

  it('lets exclude win over include', () => {
    const matches = createNameFilter(['*.jpg'], ['raw-*'])
    expect(matches('raw-ball.jpg')).toBe(false)
    expect(matches('ball-raw.jpg')).toBe(true)
  })

  it('reads ?, [..], [^..] and {a,b} as picomatch does, and takes other characters literally', () => {
    expect(createNameFilter(['photo-?.jpg'], [])('photo-1.jpg')).toBe(true)
    expect(createNameFilter(['photo-?.jpg'], [])('photo-12.jpg')).toBe(false)
    expect(createNameFilter(['[ab]*'], [])('box.jpg')).toBe(true)
    expect(createNameFilter(['[^ab]*'], [])('box.jpg')).toBe(false)
    expect(createNameFilter(['{hero,team}-*.{jpg,png}'], [])('team-1.png')).toBe(true)
    expect(createNameFilter(['{hero,team}-*.{jpg,png}'], [])('crew-1.png')).toBe(false)
    expect(createNameFilter(['a+b (1).jpg'], [])('a+b (1).jpg')).toBe(true)
    expect(createNameFilter(['a+b (1).jpg'], [])('aab (1).jpg')).toBe(false)
  })

  it('takes RegExps as they are, the same answer on every call', () => {
    const matches = createNameFilter([/^IMG_/g], [])
    expect([matches('IMG_1.jpg'), matches('IMG_1.jpg'), matches('img_1.jpg')]).toEqual([true, true, false])
  })
})

describe('createSelector', () => {
  const config = { include: [], exclude: ['raw-*'], folders: ['/Products'], maxSize: 1000 }
  const select = createSelector(config, core)
  const facts = { name: 'ball.jpg', size: 500, folderPath: '/Products', optOut: undefined }

  it('selects an upload that passes every rule', () => {
    expect(select(facts)).toEqual({ selected: true })
    expect(select({ ...facts, folderPath: '/Products/Shoes', size: 1000, optOut: true })).toEqual({ selected: true })
  })

  it('says why an upload is left alone', () => {
    expect(select({ ...facts, optOut: false })).toEqual({ selected: false, reason: 'fileInfo.rembg is false' })
    expect(select({ ...facts, optOut: 'false' })).toEqual({ selected: false, reason: 'fileInfo.rembg is false' })
    expect(select({ ...facts, size: 1001 })).toEqual({ selected: false, reason: '1001 bytes is over maxSize (1000)' })
    expect(select({ ...facts, name: 'raw-ball.jpg' })).toEqual({
      selected: false,
      reason: 'its name is not included by include/exclude',
    })
    expect(select({ ...facts, folderPath: '/ProductsOld' })).toEqual({
      selected: false,
      reason: 'folder /ProductsOld is not in folders',
    })
    expect(select({ ...facts, folderPath: '/' })).toEqual({ selected: false, reason: 'folder / is not in folders' })
  })
})

describe('folders', () => {
  it('covers subfolders, and everything when none is configured', () => {
    expect(inFolders('/API Uploads', [])).toBe(true)
    expect(inFolders('/Products/Shoes', ['/Products'])).toBe(true)
    expect(inFolders('/Products', ['/Products/Shoes'])).toBe(false)
    expect(inFolders('/Anything', ['/'])).toBe(true)
  })

  it("names a folder from Strapi's id path", () => {
    expect(folderPathIds('/1/3')).toEqual([1, 3])
    expect(
      namedFolderPath(
        '/1/3',
        new Map([
          [1, 'Products'],
          [3, 'Shoes'],
        ]),
      ),
    ).toBe('/Products/Shoes')
    expect(namedFolderPath('/', new Map())).toBe('/')
    expect(namedFolderPath(null, new Map())).toBe('/')
  })
})
