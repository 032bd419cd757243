import { describe, expect, it } from 'vitest'
import {
  canonicalParams,
  defaultParams,
  paramsToFields,
  paramsToFormFields,
  parseQuery,
  resolveParams,
} from '../src/params.js'
import { thrown } from './helpers.js'

const messageOf = (input: Record<string, unknown>): string => thrown(() => resolveParams(input)).message

const allowed = 'format, w, h, exact_resize, mask, bg_color, angle, expand, crop, crop_threshold, crop_margin'

describe('resolveParams: defaults', () => {
  it('fills every default from an empty object', () => {
    expect(resolveParams({})).toStrictEqual({
      format: 'webp',
      w: null,
      h: null,
      exact_resize: false,
      mask: false,
      bg_color: null,
      angle: 0,
      expand: true,
      crop: false,
      crop_threshold: 10,
      crop_margin: '0px',
    })
  })

  it('treats undefined values as absent', () => {
    expect(resolveParams({ w: undefined, format: undefined, bgColor: undefined })).toStrictEqual(defaultParams)
    // `{ ...options, bgColor: opts.bgColor }` must not count as giving bg_color twice, nor a stray key as a typo.
    expect(resolveParams({ bg_color: 'red', bgColor: undefined, widht: undefined }).bg_color).toBe('#ff0000ff')
  })

  it('builds a new object and leaves the input and the defaults alone', () => {
    const input = { format: 'JPG', w: ' 800 ' }
    const resolved = resolveParams(input)
    expect(input).toStrictEqual({ format: 'JPG', w: ' 800 ' })
    expect(resolved).not.toBe(defaultParams)
    expect(Object.isFrozen(defaultParams)).toBe(true)
    expect(defaultParams.format).toBe('webp')
  })

  it('accepts its own output again unchanged', () => {
    const resolved = resolveParams({ format: 'png', w: 10, h: '20', bg_color: 'red', angle: '-45.5', expand: '0' })
    expect(resolveParams(resolved)).toStrictEqual(resolved)
  })
})

describe('resolveParams: format', () => {
  it.each([
    ['png', 'png'],
    ['PNG', 'png'],
    ['Jpeg', 'jpeg'],
    ['jpg', 'jpeg'],
    ['JPG', 'jpeg'],
    [' webp ', 'webp'],
    ['BMP', 'bmp'],
  ])('%j → %s', (raw, expected) => {
    expect(resolveParams({ format: raw }).format).toBe(expected)
  })

  it.each(['gif', ' GIF ', '', 'jpe', 'tiff'])('refuses %j with the API message, quoting the value as given', (raw) => {
    const error = thrown(() => resolveParams({ format: raw }))
    expect(error.message).toBe(`Invalid format '${raw}'. Allowed formats: PNG, JPEG, WEBP, BMP`)
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'format' })
  })

  it('prints the documented example word for word', () => {
    expect(messageOf({ format: 'gif' })).toBe("Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP")
  })
})

describe('resolveParams: w and h', () => {
  it.each([
    ['800', 800],
    [' 12 ', 12],
    ['+5', 5],
    ['0010', 10],
    ['1_000', 1000],
    ['1', 1],
    ['10000', 10000],
    [800, 800],
    [12.0, 12],
  ])('w=%j → %d (as Python int() reads it)', (raw, expected) => {
    expect(resolveParams({ w: raw }).w).toBe(expected)
    expect(resolveParams({ h: raw }).h).toBe(expected)
  })

  it.each([0, -0, '0', '-0', '000', '', '  ', null])('w=%j means not set', (raw) => {
    expect(resolveParams({ w: raw, h: raw })).toMatchObject({ w: null, h: null })
  })

  it('accepts w=0&h=0, which the vendor client sends by default', () => {
    expect(resolveParams(parseQuery('w=0&h=0'))).toStrictEqual(defaultParams)
  })

  it.each(['abc', '12.5', '12.0', '1e3', '0x10', '1__0', '_1', '1_', '12px', '- 5', 'NaN'])(
    'refuses w=%j as not an integer',
    (raw) => {
      const error = thrown(() => resolveParams({ w: raw }))
      expect(error.message).toBe(`'w' must be an integer, got: '${raw}'`)
      expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'w' })
    },
  )

  it('refuses non-integer numbers, quoting them as the form field would carry them', () => {
    expect(messageOf({ w: 12.5 })).toBe("'w' must be an integer, got: '12.5'")
    expect(messageOf({ h: Number.NaN })).toBe("'h' must be an integer, got: 'NaN'")
    expect(messageOf({ h: Number.POSITIVE_INFINITY })).toBe("'h' must be an integer, got: 'Infinity'")
    expect(messageOf({ w: true })).toBe("'w' must be an integer, got: 'true'")
  })

  it('gives the documented messages for the bounds', () => {
    expect(messageOf({ w: 'abc' })).toBe("'w' must be an integer, got: 'abc'")
    expect(messageOf({ w: -5 })).toBe("'w' must be at least 1, got: -5")
    expect(messageOf({ w: 15000 })).toBe("'w' must be at most 10000, got: 15000")
  })

  it('prints the parsed value, as Python does, not the raw text', () => {
    expect(messageOf({ w: ' -05 ' })).toBe("'w' must be at least 1, got: -5")
    expect(messageOf({ h: '+10_001' })).toBe("'h' must be at most 10000, got: 10001")
  })
})

describe('resolveParams: booleans', () => {
  const fields = ['exact_resize', 'mask', 'expand'] as const

  it.each([
    [true, true],
    ['true', true],
    ['TRUE', true],
    [' True ', true],
    ['1', true],
    [1, true],
    [false, false],
    ['false', false],
    ['FaLsE', false],
    ['0', false],
    [0, false],
  ])('%j → %s', (raw, expected) => {
    for (const field of fields) expect(resolveParams({ [field]: raw })[field]).toBe(expected)
  })

  it.each(['yes', 'no', 'on', '', '2', 'truee', 't'])('refuses %j', (raw) => {
    for (const field of fields) {
      const error = thrown(() => resolveParams({ [field]: raw }))
      expect(error.message).toBe(`'${field}' must be a boolean (true/false/1/0), got: '${raw}'`)
      expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field })
    }
  })

  it('refuses numbers other than 0 and 1, and null', () => {
    expect(messageOf({ mask: 2 })).toBe("'mask' must be a boolean (true/false/1/0), got: '2'")
    expect(messageOf({ expand: null })).toBe("'expand' must be a boolean (true/false/1/0), got: 'null'")
  })

  it('accepts exactResize as an alias of exact_resize', () => {
    expect(resolveParams({ exactResize: 'true' }).exact_resize).toBe(true)
    expect(messageOf({ exactResize: 'maybe' })).toBe("'exact_resize' must be a boolean (true/false/1/0), got: 'maybe'")
  })
})

describe('resolveParams: bg_color', () => {
  it('normalises to #rrggbbaa', () => {
    expect(resolveParams({ bg_color: '#FFF' }).bg_color).toBe('#ffffffff')
    expect(resolveParams({ bg_color: 'ff000080' }).bg_color).toBe('#ff000080')
    expect(resolveParams({ bg_color: 'White' }).bg_color).toBe('#ffffffff')
    expect(resolveParams({ bg_color: null }).bg_color).toBeNull()
  })

  it('accepts bgColor as an alias', () => {
    expect(resolveParams({ bgColor: 'red' }).bg_color).toBe('#ff0000ff')
  })

  it.each(['#12345', '', 'reddish', '#ff00zz'])('refuses %j with the API message', (raw) => {
    const error = thrown(() => resolveParams({ bg_color: raw }))
    expect(error.message).toBe(`Invalid color format '${raw}'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA`)
    expect(error.field).toBe('bg_color')
  })

  it('refuses a number', () => {
    expect(messageOf({ bg_color: 0xffffff })).toBe(
      "Invalid color format '16777215'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA",
    )
  })
})

describe('resolveParams: mask with bg_color', () => {
  const conflict = "Cannot use 'mask=true' together with 'bg_color'. Choose one or the other."

  it('refuses both together', () => {
    const error = thrown(() => resolveParams({ mask: 'true', bg_color: '#fff' }))
    expect(error.message).toBe(conflict)
    expect(error).toMatchObject({ status: 400, code: 'PARAMETER_CONFLICT', field: 'bg_color' })
  })

  it('accepts mask=false with a colour, and mask=true without one', () => {
    expect(resolveParams({ mask: '0', bg_color: 'red' })).toMatchObject({ mask: false, bg_color: '#ff0000ff' })
    expect(resolveParams({ mask: '1', bg_color: null })).toMatchObject({ mask: true, bg_color: null })
  })

  it('reports only the invalid field when one of the two is invalid', () => {
    expect(messageOf({ mask: 'true', bg_color: '#12345' })).toBe(
      "Invalid color format '#12345'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA",
    )
    expect(messageOf({ mask: 'yes', bg_color: 'red' })).toBe("'mask' must be a boolean (true/false/1/0), got: 'yes'")
  })

  it('takes its place among other errors', () => {
    expect(thrown(() => resolveParams({ angle: 'x', bg_color: 'red', mask: true, w: 'y' })).toJSON()).toStrictEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'w', message: "'w' must be an integer, got: 'y'" },
        { field: 'bg_color', message: conflict },
        { field: 'angle', message: "'angle' must be a number, got: 'x'" },
      ],
      status: 400,
    })
  })
})

describe('resolveParams: angle', () => {
  it.each([
    ['90', 90],
    ['-45.5', -45.5],
    ['1e2', 100],
    [' 5. ', 5],
    ['.5', 0.5],
    ['+1_0.2_5', 10.25],
    ['360', 360],
    ['-360', -360],
    ['3.6E2', 360],
    [12.75, 12.75],
  ])('%j → %d (as Python float() reads it)', (raw, expected) => {
    expect(resolveParams({ angle: raw }).angle).toBe(expected)
  })

  it('normalises -0 to 0', () => {
    expect(Object.is(resolveParams({ angle: -0 }).angle, 0)).toBe(true)
    expect(Object.is(resolveParams({ angle: '-0.0' }).angle, 0)).toBe(true)
  })

  it.each(['ninety', '', 'nan', 'NaN', 'inf', '-Infinity', '1e400', '1.2.3', '.', '1e', '1_', '0x10', '90deg'])(
    'refuses %j as not a number',
    (raw) => {
      const error = thrown(() => resolveParams({ angle: raw }))
      expect(error.message).toBe(`'angle' must be a number, got: '${raw}'`)
      expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'angle' })
    },
  )

  it('refuses non-finite numbers as not a number', () => {
    expect(messageOf({ angle: Number.NaN })).toBe("'angle' must be a number, got: 'NaN'")
    expect(messageOf({ angle: Number.NEGATIVE_INFINITY })).toBe("'angle' must be a number, got: '-Infinity'")
  })

  it('prints out-of-range angles as Python floats', () => {
    expect(messageOf({ angle: 500 })).toBe("'angle' must be between -360 and 360 degrees, got: 500.0")
    expect(messageOf({ angle: '500' })).toBe("'angle' must be between -360 and 360 degrees, got: 500.0")
    expect(messageOf({ angle: '-360.5' })).toBe("'angle' must be between -360 and 360 degrees, got: -360.5")
    expect(messageOf({ angle: '1e3' })).toBe("'angle' must be between -360 and 360 degrees, got: 1000.0")
  })
})

describe('resolveParams: several errors', () => {
  it('reproduces the API documentation example exactly', () => {
    const error = thrown(() => resolveParams({ w: 'abc', angle: 500 }))
    expect(error.message).toBe('Multiple validation errors')
    expect(error.status).toBe(400)
    expect(error.toJSON()).toStrictEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'w', message: "'w' must be an integer, got: 'abc'" },
        { field: 'angle', message: "'angle' must be between -360 and 360 degrees, got: 500.0" },
      ],
      status: 400,
    })
  })

  it('lists one entry per field in parameter order, whatever the input order', () => {
    const error = thrown(() => resolveParams({ expand: 'x', angle: 'y', h: '0.5', format: 'gif', w: '-1' }))
    expect(error.details?.map((detail) => detail.field)).toStrictEqual(['format', 'w', 'h', 'angle', 'expand'])
    expect(error.details?.[2]).toStrictEqual({ field: 'h', message: "'h' must be an integer, got: '0.5'" })
  })

  it('gives a single error as itself, not wrapped', () => {
    const error = thrown(() => resolveParams({ w: 'abc', h: '10' }))
    expect(error.message).toBe("'w' must be an integer, got: 'abc'")
    expect(error.details).toBeUndefined()
  })
})

describe('resolveParams: keys', () => {
  it('refuses an unknown key, naming it and listing the parameters', () => {
    const error = thrown(() => resolveParams({ widht: 800 }))
    expect(error.message).toBe(`Unknown parameter 'widht'. Allowed parameters: ${allowed}`)
    expect(error).toMatchObject({ status: 400, code: 'UNKNOWN_PARAMETER', field: 'widht' })
  })

  it('lists unknown keys after the parameters, in the order met', () => {
    const error = thrown(() => resolveParams({ zoom: 2, w: 'abc', Format: 'png' }))
    expect(error.details).toStrictEqual([
      { field: 'w', message: "'w' must be an integer, got: 'abc'" },
      { field: 'zoom', message: `Unknown parameter 'zoom'. Allowed parameters: ${allowed}` },
      { field: 'Format', message: `Unknown parameter 'Format'. Allowed parameters: ${allowed}` },
    ])
  })

  it('ignores unknown keys when not strict (form fields of the vendor client)', () => {
    const fields = { w: '0', h: '0', format: 'png', return_base64: 'true', returnMask: 'false' }
    expect(resolveParams(fields, { strict: false })).toStrictEqual({ ...defaultParams, format: 'png' })
    expect(thrown(() => resolveParams(fields)).details?.map((detail) => detail.field)).toStrictEqual([
      'return_base64',
      'returnMask',
    ])
  })

  it('refuses a field given under both spellings', () => {
    const error = thrown(() => resolveParams({ bg_color: 'red', bgColor: 'blue' }))
    expect(error.message).toBe("Parameter 'bg_color' was given more than once. Give each parameter at most once.")
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'bg_color' })
    expect(messageOf({ exactResize: true, exact_resize: true })).toBe(
      "Parameter 'exact_resize' was given more than once. Give each parameter at most once.",
    )
  })
})

describe('parseQuery', () => {
  it('drops the rembg marker and keeps values as strings', () => {
    expect(parseQuery('?rembg&w=800&format=png')).toStrictEqual({ w: '800', format: 'png' })
    expect(parseQuery('rembg&h=20')).toStrictEqual({ h: '20' })
    expect(parseQuery(new URLSearchParams('rembg=&angle=90'))).toStrictEqual({ angle: '90' })
    expect(parseQuery('')).toStrictEqual({})
  })

  it('keeps a # in a colour, raw or encoded', () => {
    expect(parseQuery('?rembg&bg_color=#fff')).toStrictEqual({ bg_color: '#fff' })
    expect(parseQuery('bg_color=%23FF000080')).toStrictEqual({ bg_color: '#FF000080' })
  })

  it('gives empty values as empty strings: not set for w/h, invalid elsewhere', () => {
    expect(parseQuery('?rembg&w=&h')).toStrictEqual({ w: '', h: '' })
    expect(resolveParams(parseQuery('?rembg&w=&h='))).toStrictEqual(defaultParams)
    expect(thrown(() => resolveParams(parseQuery('?rembg&w=&mask=&format='))).toJSON()).toStrictEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'format', message: "Invalid format ''. Allowed formats: PNG, JPEG, WEBP, BMP" },
        { field: 'mask', message: "'mask' must be a boolean (true/false/1/0), got: ''" },
      ],
      status: 400,
    })
  })

  it('takes a boolean written bare as true, and still refuses one written with an empty value', () => {
    expect(parseQuery('?rembg&crop&crop_margin=10%&mask&exactResize')).toStrictEqual({
      crop: 'true',
      crop_margin: '10%',
      mask: 'true',
      exactResize: 'true',
    })
    expect(resolveParams(parseQuery('?rembg&crop&expand')).crop).toBe(true)
    expect(parseQuery('?rembg&mask=&w')).toStrictEqual({ mask: '', w: '' })
    expect(parseQuery(new URLSearchParams('rembg&crop'))).toStrictEqual({ crop: '' })
  })

  it('refuses a repeated key, naming it', () => {
    const error = thrown(() => parseQuery('?rembg&w=1&format=png&w=2'))
    expect(error.message).toBe("Parameter 'w' was given more than once. Give each parameter at most once.")
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'w' })
  })

  it('reports every repeated key at once, in parameter order', () => {
    const error = thrown(() => parseQuery('angle=1&w=1&angle=2&w=2&w=3'))
    expect(error.toJSON()).toStrictEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'w', message: "Parameter 'w' was given more than once. Give each parameter at most once." },
        { field: 'angle', message: "Parameter 'angle' was given more than once. Give each parameter at most once." },
      ],
      status: 400,
    })
  })

  it('feeds resolveParams, which names a misspelt key', () => {
    expect(resolveParams(parseQuery('?rembg&w=800&format=JPG&mask=TRUE'))).toStrictEqual({
      ...defaultParams,
      w: 800,
      format: 'jpeg',
      mask: true,
    })
    expect(thrown(() => resolveParams(parseQuery('?rembg&widht=800'))).message).toBe(
      `Unknown parameter 'widht'. Allowed parameters: ${allowed}`,
    )
  })

  it('keeps __proto__ as an ordinary key, which strict parsing refuses', () => {
    const fields = parseQuery('__proto__=x&w=5')
    expect(Object.keys(fields)).toStrictEqual(['__proto__', 'w'])
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype)
    expect(thrown(() => resolveParams(fields)).message).toBe(
      `Unknown parameter '__proto__'. Allowed parameters: ${allowed}`,
    )
  })
})

describe('canonicalParams', () => {
  it('serialises every field, sorted, with null as empty', () => {
    expect(canonicalParams(defaultParams)).toBe(
      'angle=0&bg_color=&exact_resize=false&expand=true&format=webp&h=&mask=false&w=',
    )
    expect(canonicalParams(resolveParams({ w: 1, h: 2, angle: '-45.5', bg_color: 'red', format: 'bmp' }))).toBe(
      'angle=-45.5&bg_color=#ff0000ff&exact_resize=false&expand=true&format=bmp&h=2&mask=false&w=1',
    )
  })

  it('is the same across orders and spellings', () => {
    const key = (search: string): string => canonicalParams(resolveParams(parseQuery(search)))
    expect(key('w=1&h=2')).toBe(key('h=2&w=1'))
    expect(key('format=JPG&mask=TRUE')).toBe(key('mask=1&format=jpeg'))
    expect(key('bg_color=white&exact_resize=True')).toBe(key('exact_resize=1&bg_color=%23FFF'))
    expect(key('angle=90.0&expand=1')).toBe(key('angle=9e1'))
    expect(key('w=0&h=0&format=webp&angle=-0')).toBe(key(''))
    expect(canonicalParams(resolveParams({ bgColor: 'fff', exactResize: true }))).toBe(
      key('bg_color=ffffffff&exact_resize=true'),
    )
  })

  it('differs when any field differs', () => {
    const base = canonicalParams(defaultParams)
    const variants = [{ w: 1 }, { h: 1 }, { format: 'png' }, { mask: true }, { angle: 1 }, { expand: false }]
    const keys = variants.map((variant) => canonicalParams(resolveParams(variant)))
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1)
    expect(canonicalParams(resolveParams({ bg_color: '#ffffff' }))).not.toBe(
      canonicalParams(resolveParams({ bg_color: '#fffffffe' })),
    )
  })
})

describe('paramsToFormFields', () => {
  it('gives every set field as a string, in the API order, without nulls', () => {
    const fields = paramsToFormFields(resolveParams({ w: 800 }))
    expect(fields).toStrictEqual({
      format: 'webp',
      w: '800',
      exact_resize: 'false',
      mask: 'false',
      angle: '0',
      expand: 'true',
    })
    expect(Object.keys(fields)).toStrictEqual(['format', 'w', 'exact_resize', 'mask', 'angle', 'expand'])
  })

  it('round-trips through resolveParams', () => {
    const params = resolveParams({ format: 'jpg', w: 10, h: 20, exact_resize: true, bg_color: 'Navy', angle: '-90.5' })
    const fields = paramsToFormFields(params)
    expect(fields).toMatchObject({ format: 'jpeg', h: '20', bg_color: '#000080ff', angle: '-90.5' })
    expect(resolveParams(fields)).toStrictEqual(params)
  })
})

describe("resolveParams: a caller's own keys and defaults (bundler plugins)", () => {
  it('skips the extra keys and lists them after the parameters when refusing an unknown key', () => {
    const options = { extraKeys: ['as', 'inline'] }
    expect(resolveParams({ w: '320', as: 'meta', inline: '' }, options)).toStrictEqual({ ...defaultParams, w: 320 })
    expect(thrown(() => resolveParams({ widht: '800' }, options)).message).toBe(
      `Unknown parameter 'widht'. Allowed parameters: ${allowed}, as, inline`,
    )
  })

  it('applies defaults under the input, whatever the spelling of either', () => {
    const defaults = { format: 'png', bgColor: 'white', w: 100 }
    expect(resolveParams({ bg_color: 'red' }, { defaults })).toStrictEqual({
      ...defaultParams,
      format: 'png',
      w: 100,
      bg_color: '#ff0000ff',
    })
    expect(resolveParams({}, { defaults })).toMatchObject({ format: 'png', bg_color: '#ffffffff' })
  })

  it('validates defaults with the same messages', () => {
    expect(thrown(() => resolveParams({}, { defaults: { angle: 'x' } })).message).toBe(
      "'angle' must be a number, got: 'x'",
    )
  })
})

describe('resolveParams: crop, crop_threshold, crop_margin', () => {
  const marginError = (raw: string): string =>
    `'crop_margin' must be 1, 2 or 4 margins (all; top-bottom left-right; top right bottom left), each in whole pixels (30px or 30) or percent (10%), got: '${raw}'`

  it('reads crop as a boolean and the threshold as an integer 0..255, camelCase accepted', () => {
    expect(resolveParams({ crop: 'TRUE', crop_threshold: ' 0 ' })).toMatchObject({ crop: true, crop_threshold: 0 })
    expect(resolveParams({ cropThreshold: 255 }).crop_threshold).toBe(255)
    expect(Object.is(resolveParams({ crop_threshold: '-0' }).crop_threshold, 0)).toBe(true)
    expect(messageOf({ crop: 'yes' })).toBe("'crop' must be a boolean (true/false/1/0), got: 'yes'")
  })

  it.each([
    ['30px', '30px'],
    ['30', '30px'],
    [30, '30px'],
    [' 10% ', '10%'],
    ['2.50%', '2.5%'],
    ['.5%', '0.5%'],
    ['010PX', '10px'],
    ['10px 5%', '10px 5%'],
    ['10px,5%', '10px 5%'],
    ['10px, 5%', '10px 5%'],
    ['10px 10px', '10px'],
    ['1px 2px 3px 4%', '1px 2px 3px 4%'],
    ['1px 2% 1px 2%', '1px 2%'],
    ['0 0 0 0', '0px'],
    ['500px 50%', '500px 50%'],
  ])('crop_margin %j is kept as %j (shortest spelling, top right bottom left)', (raw, expected) => {
    expect(resolveParams({ crop_margin: raw }).crop_margin).toBe(expected)
    expect(resolveParams({ cropMargin: raw }).crop_margin).toBe(expected)
  })

  it.each(['', 'abc', '10em', '-10px', '12.5px', '10 20 30', '1 2 3 4 5', ',10px', '10px;5px', '10 %', '%'])(
    'refuses crop_margin %j with one exact message',
    (raw) => {
      const error = thrown(() => resolveParams({ crop_margin: raw }))
      expect(error.message).toBe(marginError(raw))
      expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', field: 'crop_margin' })
    },
  )

  it('refuses a margin that is not a string or an integer', () => {
    expect(messageOf({ crop_margin: 12.5 })).toBe(marginError('12.5'))
    expect(messageOf({ crop_margin: true })).toBe(marginError('true'))
  })

  it('refuses more than 500px or 50% a side, naming the side', () => {
    expect(messageOf({ crop_margin: '501px' })).toBe("'crop_margin' must be at most 500px or 50% a side, got: '501px'")
    expect(messageOf({ crop_margin: '10px 50.5%' })).toBe(
      "'crop_margin' must be at most 500px or 50% a side, got: '50.5%'",
    )
    expect(messageOf({ crop_margin: 600 })).toBe("'crop_margin' must be at most 500px or 50% a side, got: '600'")
  })

  it('gives the threshold the messages of w and h', () => {
    expect(messageOf({ crop_threshold: 'abc' })).toBe("'crop_threshold' must be an integer, got: 'abc'")
    expect(messageOf({ crop_threshold: '' })).toBe("'crop_threshold' must be an integer, got: ''")
    expect(messageOf({ crop_threshold: 2.5 })).toBe("'crop_threshold' must be an integer, got: '2.5'")
    expect(messageOf({ crop_threshold: -1 })).toBe("'crop_threshold' must be at least 0, got: -1")
    expect(messageOf({ crop_threshold: '256' })).toBe("'crop_threshold' must be at most 255, got: 256")
  })

  it('reports them with the others, in parameter order', () => {
    const error = thrown(() => resolveParams({ crop_margin: '1 2 3', w: 'x', crop: 'maybe', cropThreshold: 300 }))
    expect(error.toJSON()).toStrictEqual({
      error: 'Multiple validation errors',
      details: [
        { field: 'w', message: "'w' must be an integer, got: 'x'" },
        { field: 'crop', message: "'crop' must be a boolean (true/false/1/0), got: 'maybe'" },
        { field: 'crop_threshold', message: "'crop_threshold' must be at most 255, got: 300" },
        { field: 'crop_margin', message: marginError('1 2 3') },
      ],
      status: 400,
    })
  })

  it('refuses a field given under both spellings', () => {
    expect(messageOf({ crop_margin: '1px', cropMargin: '1px' })).toBe(
      "Parameter 'crop_margin' was given more than once. Give each parameter at most once.",
    )
  })

  it('reads them from a query and accepts its own output again', () => {
    // A raw `%` stays a `%` in a query (`10%,20px`); `%20` would be decoded as a space, so commas are safer there.
    const resolved = resolveParams(parseQuery('?rembg&crop=1&crop_margin=10%,20px'))
    expect(resolved).toMatchObject({ crop: true, crop_threshold: 10, crop_margin: '10% 20px' })
    expect(resolveParams(resolved)).toStrictEqual(resolved)
  })
})

describe('canonicalParams and paramsToFormFields with crop', () => {
  const before = 'angle=0&bg_color=&exact_resize=false&expand=true&format=webp&h=&mask=false&w='

  it('keeps every key made before crop existed byte for byte', () => {
    expect(canonicalParams(defaultParams)).toBe(before)
    expect(canonicalParams(resolveParams(parseQuery('?rembg')))).toBe(before)
    expect(canonicalParams(resolveParams(parseQuery('?rembg&w=800&format=png')))).toBe(
      'angle=0&bg_color=&exact_resize=false&expand=true&format=png&h=&mask=false&w=800',
    )
  })

  it('leaves the crop fields out while crop is off: they change nothing then', () => {
    expect(canonicalParams(resolveParams({ crop: false, crop_threshold: 50, crop_margin: '10%' }))).toBe(before)
  })

  it('includes all three, sorted, once crop is on', () => {
    expect(canonicalParams(resolveParams({ crop: true }))).toBe(
      'angle=0&bg_color=&crop=true&crop_margin=0px&crop_threshold=10&exact_resize=false&expand=true&format=webp&h=&mask=false&w=',
    )
    const key = (search: string): string => canonicalParams(resolveParams(parseQuery(search)))
    expect(key('crop=1&crop_margin=10px,10px')).toBe(key('crop=true&crop_margin=10&crop_threshold=10'))
    const variants = ['crop=1', 'crop=1&crop_margin=1px', 'crop=1&crop_margin=1%', 'crop=1&crop_threshold=11']
    expect(new Set(variants.map(key)).size).toBe(variants.length)
  })

  it('never sends them as API form fields', () => {
    const params = resolveParams({ crop: true, crop_threshold: 40, crop_margin: '10%', w: 100 })
    expect(paramsToFormFields(params)).toStrictEqual({
      format: 'webp',
      w: '100',
      exact_resize: 'false',
      mask: 'false',
      angle: '0',
      expand: 'true',
    })
  })
})

describe('paramsToFields', () => {
  it('carries a whole request: the form fields, plus the crop fields when crop is on', () => {
    const plain = resolveParams({ w: 800, crop_margin: '5%' })
    expect(paramsToFields(plain)).toStrictEqual(paramsToFormFields(plain))
    const cropped = resolveParams({ w: 800, crop: true, cropMargin: '10% 5px' })
    expect(paramsToFields(cropped)).toStrictEqual({
      ...paramsToFormFields(cropped),
      crop: 'true',
      crop_threshold: '10',
      crop_margin: '10% 5px',
    })
  })

  it('survives a trip through a URL query', () => {
    const params = resolveParams({ format: 'png', crop: true, crop_threshold: 0, crop_margin: '1px 2% 3px 4%' })
    const query = new URLSearchParams(paramsToFields(params)).toString()
    expect(resolveParams(parseQuery(query))).toStrictEqual(params)
  })
})
