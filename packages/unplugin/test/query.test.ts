import { defaultParams } from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import { expandSizes, isRembgId, parseCutoutId, splitId } from '../src/core/query.js'

const allowed =
  'format, w, h, exact_resize, mask, bg_color, angle, expand, crop, crop_threshold, crop_margin, as, inline, preset'

function messageOf(id: string, defaults = {}): string {
  try {
    parseCutoutId(id, defaults)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`'${id}' was accepted`)
}

describe('isRembgId', () => {
  it('finds the rembg key wherever it stands in the query', () => {
    expect(isRembgId('/a/b.jpg?rembg')).toBe(true)
    expect(isRembgId('/a/b.jpg?rembg&w=800')).toBe(true)
    expect(isRembgId('/a/b.jpg?w=800&rembg')).toBe(true)
    expect(isRembgId('/a/b.jpg?w=800&rembg&format=png')).toBe(true)
    expect(isRembgId('/a/b.jpg?bg_color=#fff&rembg')).toBe(true)
  })

  it('ignores other keys and paths that only contain the word', () => {
    expect(isRembgId('/rembg/b.jpg')).toBe(false)
    expect(isRembgId('/a/b.jpg?rembgx')).toBe(false)
    expect(isRembgId('/a/b.jpg?rembg-asset&w=1')).toBe(false)
    expect(isRembgId('/a/b.jpg?w=1&notrembg')).toBe(false)
  })
})

describe('splitId', () => {
  it('keeps a # in the query as a character', () => {
    expect(splitId('/a/b.jpg?rembg&bg_color=#fff')).toStrictEqual({ file: '/a/b.jpg', query: 'rembg&bg_color=#fff' })
    expect(splitId('/a/b.jpg')).toStrictEqual({ file: '/a/b.jpg', query: '' })
  })
})

describe('parseCutoutId', () => {
  it('gives one URL of core defaults for a bare ?rembg', () => {
    expect(parseCutoutId('/a/b.jpg?rembg')).toStrictEqual({
      file: '/a/b.jpg',
      as: 'url',
      inline: false,
      variants: [defaultParams],
    })
  })

  it('reads core parameters in any order', () => {
    const request = parseCutoutId('/a/b.jpg?w=800&format=PNG&rembg')
    expect(request.variants).toStrictEqual([{ ...defaultParams, w: 800, format: 'png' }])
  })

  it('splits several widths into variants, in the order written', () => {
    const request = parseCutoutId('/a/b.jpg?rembg&w=320;640;960&as=srcset&format=png')
    expect(request.as).toBe('srcset')
    expect(request.variants.map((params) => [params.w, params.format])).toStrictEqual([
      [320, 'png'],
      [640, 'png'],
      [960, 'png'],
    ])
  })

  it('splits several heights the same way', () => {
    expect(parseCutoutId('/a/b.jpg?rembg&h=100;200&as=meta').variants.map((params) => params.h)).toStrictEqual([
      100, 200,
    ])
  })

  it('accepts bg_color with #, %23 or no prefix', () => {
    for (const spelling of ['#ff0000', '%23ff0000', 'ff0000']) {
      expect(parseCutoutId(`/a/b.jpg?rembg&bg_color=${spelling}`).variants[0]?.bg_color).toBe('#ff0000ff')
    }
  })

  it('takes a parameter flag written bare as true', () => {
    const [params] = parseCutoutId('/app/a.jpg?rembg&crop&mask&w=200').variants
    expect([params?.crop, params?.mask, params?.w]).toEqual([true, true, 200])
  })

  it('reads the inline flag', () => {
    expect(parseCutoutId('/a/b.jpg?rembg&inline').inline).toBe(true)
    expect(parseCutoutId('/a/b.jpg?inline&rembg&as=meta')).toMatchObject({ inline: true, as: 'meta' })
  })

  it('applies the defaults option under the query', () => {
    const defaults = { format: 'png', bgColor: 'white' }
    expect(parseCutoutId('/a/b.jpg?rembg&bg_color=red', defaults).variants[0]).toStrictEqual({
      ...defaultParams,
      format: 'png',
      bg_color: '#ff0000ff',
    })
  })

  it('refuses an unknown key, naming it and listing every valid key', () => {
    expect(messageOf('/a/b.jpg?rembg&widht=800')).toBe(`Unknown parameter 'widht'. Allowed parameters: ${allowed}`)
  })

  it("uses core's message for a bad value", () => {
    expect(messageOf('/a/b.jpg?rembg&w=abc')).toBe("'w' must be an integer, got: 'abc'")
    expect(messageOf('/a/b.jpg?rembg&w=320;abc&as=srcset')).toBe("'w' must be an integer, got: 'abc'")
    expect(messageOf('/a/b.jpg?rembg&format=gif')).toBe("Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP")
    expect(messageOf('/a/b.jpg?rembg&bg_color=nocolor')).toBe(
      "Invalid color format 'nocolor'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA",
    )
    expect(messageOf('/a/b.jpg?rembg&w=1&w=2')).toBe(
      "Parameter 'w' was given more than once. Give each parameter at most once.",
    )
  })

  it("reports several bad fields as core's one error", () => {
    expect(messageOf('/a/b.jpg?rembg&w=abc&angle=x')).toBe('Multiple validation errors')
  })

  it('refuses a bad as or inline value', () => {
    expect(messageOf('/a/b.jpg?rembg&as=json')).toBe("Invalid value 'json' for 'as'. Allowed values: url, meta, srcset")
    expect(messageOf('/a/b.jpg?rembg&inline=yes')).toBe("'inline' takes no value, got: 'yes'")
  })

  it('refuses bmp with as=meta, whose object is for <img> and image components (Astro has no bmp)', () => {
    expect(messageOf('/a/b.jpg?rembg&format=bmp&as=meta')).toBe(
      "'as=meta' takes format webp, png or jpeg, not bmp (the object is for <img> and image components)",
    )
    expect(() => parseCutoutId('/a/b.jpg?rembg&format=bmp')).not.toThrow()
  })

  it('refuses several sizes for a single URL, and several sizes in both w and h', () => {
    expect(messageOf('/a/b.jpg?rembg&w=320;640')).toBe(
      "Several sizes need 'as=srcset' or 'as=meta' (got w=320;640, h=)",
    )
    expect(messageOf('/a/b.jpg?rembg&w=1;2&h=3;4&as=meta')).toBe(
      "Give several sizes in 'w' or in 'h', not in both (got w=1;2 and h=3;4)",
    )
  })
})

describe('expandSizes', () => {
  it('keeps one field set when no size is repeated', () => {
    expect(expandSizes({ w: '800', format: 'png' })).toStrictEqual([{ w: '800', format: 'png' }])
  })
})
