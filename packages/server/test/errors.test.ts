/**
 * Every row of the API documentation's error table: the status and the whole JSON body, word for word. The network is
 * not what is under test here, so requests go in with fastify's inject() (the same multipart bytes fetch sends). One
 * server with a keys file answers the rows about requests; small servers with other settings answer the rate-limit
 * rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorOf, plainImage, postImage, scenePng, startTestApp, type TestApp, type Upload } from './helpers.js'

const goodKey = 'rk_errors_good_0001'
const unverifiedKey = 'rk_errors_unverified_0002'
const oneCreditKey = 'rk_errors_one_credit_0003'
const keys = [
  { key: goodKey, membership: 'Premium-20000', credits: 20000, prepaidCredits: 0 },
  { key: unverifiedKey, membership: 'Free-50', credits: 50, prepaidCredits: 0, emailVerified: false },
  { key: oneCreditKey, membership: 'Free-1', credits: 1, prepaidCredits: 0 },
]
const withKey = { 'x-api-key': goodKey }

let api: TestApp
let png: Buffer

beforeAll(async () => {
  api = await startTestApp({ keys })
  png = await plainImage(32, 24)
})
afterAll(() => api?.close())

const bad = (error: string) => ({ status: 400, body: { error, status: 400 } })

interface Row {
  scenario: string
  upload: () => Promise<Upload> | Upload
  expected: { status: number; body: unknown }
}

/** The table's input and parameter rows, in its order. */
const rows: Row[] = [
  {
    scenario: 'No image provided',
    upload: () => ({ fields: { format: 'png' }, headers: withKey }),
    expected: bad("No image file provided. Please include an 'image' field in your form data."),
  },
  {
    scenario: 'No file selected',
    upload: () => ({ image: Buffer.alloc(0), fileName: '', headers: withKey }),
    expected: bad('No file selected. Please choose an image file to upload.'),
  },
  {
    scenario: 'Unsupported file type',
    upload: () => ({ image: png, fileName: 'setup.exe', headers: withKey }),
    expected: bad("File type '.exe' is not supported. Allowed formats: webp, bmp, png, jpg, jpeg"),
  },
  {
    scenario: 'Corrupt image',
    upload: () => ({ image: Buffer.from('not an image at all'), fileName: 'photo.png', headers: withKey }),
    expected: bad('File does not appear to be a valid image (invalid file signature)'),
  },
  {
    scenario: 'Empty file (0 bytes)',
    upload: () => ({ image: Buffer.alloc(0), fileName: 'photo.png', headers: withKey }),
    expected: bad('Uploaded file is empty (0 bytes).'),
  },
  {
    scenario: 'File too large',
    // 55.2 MB as the table prints it: a PNG signature followed by zeros.
    upload: () => {
      const image = Buffer.alloc(Math.round(55.2 * 1024 * 1024))
      png.copy(image, 0, 0, 8)
      return { image, fileName: 'huge.png', headers: withKey }
    },
    expected: bad('File size (55.2 MB) exceeds the maximum allowed size of 50 MB.'),
  },
  {
    scenario: 'Image too wide',
    upload: async () => ({ image: await plainImage(12000, 8), fileName: 'wide.png', headers: withKey }),
    expected: bad('Image width (12000px) exceeds the maximum allowed width of 10000px.'),
  },
  {
    scenario: 'Image too tall',
    upload: async () => ({ image: await plainImage(8, 15000), fileName: 'tall.png', headers: withKey }),
    expected: bad('Image height (15000px) exceeds the maximum allowed height of 10000px.'),
  },
  {
    scenario: 'Bad w or h value',
    upload: () => ({ image: png, fields: { w: 'abc' }, headers: withKey }),
    expected: bad("'w' must be an integer, got: 'abc'"),
  },
  {
    scenario: 'w or h out of range',
    upload: () => ({ image: png, fields: { w: '-5' }, headers: withKey }),
    expected: bad("'w' must be at least 1, got: -5"),
  },
  {
    scenario: 'w or h above max',
    upload: () => ({ image: png, fields: { w: '15000' }, headers: withKey }),
    expected: bad("'w' must be at most 10000, got: 15000"),
  },
  {
    scenario: 'Bad angle',
    upload: () => ({ image: png, fields: { angle: 'ninety' }, headers: withKey }),
    expected: bad("'angle' must be a number, got: 'ninety'"),
  },
  {
    scenario: 'Angle out of range',
    upload: () => ({ image: png, fields: { angle: '500' }, headers: withKey }),
    expected: bad("'angle' must be between -360 and 360 degrees, got: 500.0"),
  },
  {
    scenario: 'Bad output format',
    upload: () => ({ image: png, fields: { format: 'gif' }, headers: withKey }),
    expected: bad("Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP"),
  },
  {
    scenario: 'Bad bg_color',
    upload: () => ({ image: png, fields: { bg_color: '#12345' }, headers: withKey }),
    expected: bad("Invalid color format '#12345'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA"),
  },
  {
    scenario: 'mask + bg_color conflict',
    upload: () => ({ image: png, fields: { mask: 'true', bg_color: '#ffffff' }, headers: withKey }),
    expected: bad("Cannot use 'mask=true' together with 'bg_color'. Choose one or the other."),
  },
  {
    scenario: 'Email not verified',
    upload: () => ({ image: png, headers: { 'x-api-key': unverifiedKey } }),
    expected: { status: 403, body: { error: 'Email address not verified — please check your inbox', status: 403 } },
  },
  {
    scenario: 'Invalid API key',
    upload: () => ({ image: png, headers: { 'x-api-key': 'rk_nobody_knows_this_key' } }),
    expected: { status: 401, body: { error: 'invalid api key', status: 401 } },
  },
  {
    scenario: 'Both API key and user token sent',
    upload: () => ({ image: png, headers: { ...withKey, authorization: 'Bearer eyJhbGciOi.user.token' } }),
    expected: bad('This is a mistake: Cannot use both API key and user token'),
  },
]

describe('POST /rmbg answers every documented error', () => {
  it.each(rows)('$scenario', async ({ upload, expected }) => {
    const response = await postImage(api.fetch, await upload())
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await errorOf(response)).toEqual(expected)
  })

  it('answers several invalid fields as the documented "Multiple validation errors" body', async () => {
    const response = await postImage(api.fetch, { image: png, fields: { w: 'abc', angle: '500' }, headers: withKey })
    expect(await errorOf(response)).toEqual({
      status: 400,
      body: {
        error: 'Multiple validation errors',
        details: [
          { field: 'w', message: "'w' must be an integer, got: 'abc'" },
          { field: 'angle', message: "'angle' must be between -360 and 360 degrees, got: 500.0" },
        ],
        status: 400,
      },
    })
  })

  it('refuses a request without a key when a keys file is loaded, and a user token alone', async () => {
    const invalid = { status: 401, body: { error: 'invalid api key', status: 401 } }
    expect(await errorOf(await postImage(api.fetch, { image: png }))).toEqual(invalid)
    const tokenOnly = await postImage(api.fetch, { image: png, headers: { authorization: 'Bearer eyJ.user.token' } })
    expect(await errorOf(tokenOnly)).toEqual(invalid)
  })

  it('answers "No image file provided" to a body that is not multipart, and to a text field named image', async () => {
    const expected = bad("No image file provided. Please include an 'image' field in your form data.")
    const json = await api.fetch('/rmbg', {
      method: 'POST',
      headers: { ...withKey, 'content-type': 'application/json' },
      body: JSON.stringify({ image: 'photo.png' }),
    })
    expect(await errorOf(json)).toEqual(expected)
    const textField = await postImage(api.fetch, { fields: { image: 'photo.png' }, headers: withKey })
    expect(await errorOf(textField)).toEqual(expected)
  })

  it('answers 400 to a multipart body cut short, naming what went wrong', async () => {
    const boundary = 'cut-short'
    const response = await api.fetch('/rmbg', {
      method: 'POST',
      headers: { ...withKey, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n\x89PNG`,
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: string; status: number }
    expect(body.status).toBe(400)
    expect(body.error).toMatch(/^The multipart\/form-data body could not be read: \S/)
  })

  it('checks the caller before the body: an invalid key with a bad image gets 401, not 400', async () => {
    const response = await postImage(api.fetch, { image: Buffer.from('junk'), headers: { 'x-api-key': 'nope' } })
    expect(await errorOf(response)).toEqual({ status: 401, body: { error: 'invalid api key', status: 401 } })
  })

  it('answers the monthly limit once a key has used its credits', async () => {
    const image = await scenePng(64, 48)
    const first = await postImage(api.fetch, {
      image,
      fields: { format: 'png' },
      headers: { 'x-api-key': oneCreditKey },
    })
    expect(first.status).toBe(200)
    const second = await postImage(api.fetch, { image, headers: { 'x-api-key': oneCreditKey } })
    expect(await errorOf(second)).toEqual({
      status: 429,
      body: { error: "You've reached your monthly limit. Consider purchasing more credits.", status: 429 },
    })
  })
})

describe('the rate limits', () => {
  let limited: TestApp
  let anonymous: TestApp
  beforeAll(async () => {
    limited = await startTestApp({ keys, rateLimit: 2, rateWindow: 3600 })
    anonymous = await startTestApp({ keys, anonymousDailyLimit: 2 })
  })
  afterAll(async () => {
    await limited?.close()
    await anonymous?.close()
  })

  it('answers the short-term 429 with Retry-After once a key exceeds its requests per window', async () => {
    // Invalid parameters keep the model out of it; the limit counts requests, whatever they ask.
    const request = () => postImage(limited.fetch, { image: png, fields: { w: 'abc' }, headers: withKey })
    expect((await request()).status).toBe(400)
    expect((await request()).status).toBe(400)
    const refused = await request()
    expect(await errorOf(refused)).toEqual({
      status: 429,
      body: { error: "You're making requests too quickly, Please Upgrade or slow down.", status: 429 },
    })
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    // Another key has its own window.
    const other = await postImage(limited.fetch, {
      image: png,
      fields: { w: 'abc' },
      headers: { 'x-api-key': oneCreditKey },
    })
    expect(other.status).toBe(400)
  })

  it('answers the daily 429 to an anonymous client past its daily allowance, while keys still work', async () => {
    const request = () => postImage(anonymous.fetch, { image: png, fields: { w: 'abc' } })
    expect((await request()).status).toBe(400)
    expect((await request()).status).toBe(400)
    expect(await errorOf(await request())).toEqual({
      status: 429,
      body: { error: "You've reached your daily limit. Please sign up for more access.", status: 429 },
    })
    const keyed = await postImage(anonymous.fetch, { image: png, fields: { w: 'abc' }, headers: withKey })
    expect(keyed.status).toBe(400)
  })
})
