import { describe, expect, it } from 'vitest'
import { cssColors, parseColor, tryParseColor } from '../src/color.js'
import { thrown } from './helpers.js'

const invalidMessage = (raw: string): string =>
  `Invalid color format '${raw}'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA`

describe('parseColor: hex', () => {
  it.each([
    ['#f0a', '#ff00aaff'],
    ['#F0A8', '#ff00aa88'],
    ['#FF00AA', '#ff00aaff'],
    ['#ff00aa80', '#ff00aa80'],
    ['#000', '#000000ff'],
    ['#FFFFFFFF', '#ffffffff'],
  ])('%s → %s', (raw, expected) => {
    expect(parseColor(raw)).toBe(expected)
  })

  it.each([
    ['f0a', '#ff00aaff'],
    ['F0A8', '#ff00aa88'],
    ['Ff00Aa', '#ff00aaff'],
    ['12345678', '#12345678'],
  ])('accepts %s without the #', (raw, expected) => {
    expect(parseColor(raw)).toBe(expected)
  })

  it('ignores surrounding spaces', () => {
    expect(parseColor('  #ABC\t')).toBe('#aabbccff')
  })
})

describe('parseColor: names', () => {
  it.each([
    ['red', '#ff0000ff'],
    ['RebeccaPurple', '#663399ff'],
    [' White ', '#ffffffff'],
    ['LIGHTGOLDENRODYELLOW', '#fafad2ff'],
    ['gray', '#808080ff'],
    ['grey', '#808080ff'],
    ['transparent', '#00000000'],
    ['Transparent', '#00000000'],
  ])('%s → %s', (raw, expected) => {
    expect(parseColor(raw)).toBe(expected)
  })

  it('knows the 148 CSS named colours, each as #rrggbb, in any case', () => {
    const entries = Object.entries(cssColors)
    expect(entries).toHaveLength(148)
    for (const [name, hex] of entries) {
      expect(hex).toMatch(/^#[0-9a-f]{6}$/)
      expect(parseColor(name.toUpperCase())).toBe(`${hex}ff`)
    }
  })

  it('has the values of CSS Color 4 for a sample of names', () => {
    expect(cssColors).toMatchObject({
      aliceblue: '#f0f8ff',
      darkolivegreen: '#556b2f',
      mediumspringgreen: '#00fa9a',
      navajowhite: '#ffdead',
      yellowgreen: '#9acd32',
    })
  })
})

describe('parseColor: refused', () => {
  it.each([
    '#12345',
    '12345',
    '#fffffff',
    '#ff',
    '#ggg',
    '##fff',
    '',
    '   ',
    'rgb(0,0,0)',
    'red blue',
    'blu',
    '0xffffff',
    'constructor',
    '__proto__',
    'toString',
  ])('%j gives the API message, quoting the value as given', (raw) => {
    const error = thrown(() => parseColor(raw))
    expect(error.message).toBe(invalidMessage(raw))
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'bg_color' })
  })

  it('prints the documented example word for word', () => {
    expect(thrown(() => parseColor('#12345')).message).toBe(
      "Invalid color format '#12345'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA",
    )
  })

  it('keeps the raw spelling (spaces, case) in the message', () => {
    expect(thrown(() => parseColor(' #XYZ ')).message).toBe(invalidMessage(' #XYZ '))
  })
})

describe('tryParseColor', () => {
  it('returns the colour, or undefined instead of throwing', () => {
    expect(tryParseColor('Navy')).toBe('#000080ff')
    expect(tryParseColor('#12345')).toBeUndefined()
    expect(tryParseColor('hasOwnProperty')).toBeUndefined()
  })
})
