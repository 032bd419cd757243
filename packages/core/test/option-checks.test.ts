import { describe, expect, it } from 'vitest'
import { createLocalEngine } from '../src/engines/local.js'
import { createRemoteEngine } from '../src/engines/remote.js'
import { combineErrors, describeError, invalidFormat, notAnInteger, RembgError } from '../src/errors.js'
import { parseEngineName, parseIntegerOption } from '../src/option-checks.js'

const messageOf = (check: () => unknown): string => {
  try {
    check()
  } catch (error) {
    expect(error).toBeInstanceOf(RembgError)
    return (error as RembgError).message
  }
  throw new Error('expected the check to throw')
}

describe('parseIntegerOption', () => {
  it('reads numbers and integer strings, spaces and a sign allowed', () => {
    expect(parseIntegerOption('concurrency', 4)).toBe(4)
    expect(parseIntegerOption('concurrency', ' 12 ')).toBe(12)
    expect(parseIntegerOption('queue', '0', { min: 0 })).toBe(0)
    expect(parseIntegerOption('port', '65535', { min: 0, max: 65535 })).toBe(65535)
  })

  it("refuses what is not an integer, in the parameters' wording", () => {
    expect(messageOf(() => parseIntegerOption('concurrency', 'two'))).toBe(
      "'concurrency' must be an integer, got: 'two'",
    )
    expect(messageOf(() => parseIntegerOption('concurrency', 1.5))).toBe("'concurrency' must be an integer, got: '1.5'")
    expect(messageOf(() => parseIntegerOption('threads', ''))).toBe("'threads' must be an integer, got: ''")
    expect(messageOf(() => parseIntegerOption('threads', undefined))).toBe(
      "'threads' must be an integer, got: 'undefined'",
    )
    expect(messageOf(() => parseIntegerOption('queue', '1e99', { min: 0 }))).toBe(
      "'queue' must be an integer, got: '1e99'",
    )
  })

  it('refuses a value out of range: at least min, or between min and max when there is a max', () => {
    expect(messageOf(() => parseIntegerOption('concurrency', 0))).toBe("'concurrency' must be at least 1, got: 0")
    expect(messageOf(() => parseIntegerOption('concurrency', '-3'))).toBe("'concurrency' must be at least 1, got: -3")
    expect(messageOf(() => parseIntegerOption('month', '13', { max: 12 }))).toBe(
      "'month' must be between 1 and 12, got: 13",
    )
    expect(messageOf(() => parseIntegerOption('port', 70000, { min: 0, max: 65535 }))).toBe(
      "'port' must be between 0 and 65535, got: 70000",
    )
  })
})

describe('parseEngineName', () => {
  it('takes the names core builds and refuses others, listing them', () => {
    expect(parseEngineName('local')).toBe('local')
    expect(parseEngineName('remote')).toBe('remote')
    expect(messageOf(() => parseEngineName('cloud'))).toBe("Unknown engine 'cloud'. Engines: local, remote")
    expect(messageOf(() => parseEngineName('Local'))).toBe("Unknown engine 'Local'. Engines: local, remote")
  })
})

describe('describeError', () => {
  it('gives the documented message with one indented line per detail', () => {
    const several = combineErrors([notAnInteger('w', 'abc'), invalidFormat('gif')])
    expect(describeError(several)).toBe(
      "Multiple validation errors\n  w: 'w' must be an integer, got: 'abc'\n" +
        "  format: Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP",
    )
    expect(describeError(notAnInteger('w', 'abc'))).toBe("'w' must be an integer, got: 'abc'")
  })

  it("gives another error's message, and any other thrown value as text", () => {
    expect(describeError(new TypeError('fetch failed'))).toBe('fetch failed')
    expect(describeError('plain words')).toBe('plain words')
    expect(describeError(undefined)).toBe('undefined')
  })
})

describe('the engines', () => {
  it('refuse a count that would leave their queue stuck, when they are created', () => {
    expect(messageOf(() => createRemoteEngine({ apiKey: 'test-key', concurrency: 0 }))).toBe(
      "'concurrency' must be at least 1, got: 0",
    )
    expect(messageOf(() => createLocalEngine({ concurrency: 1.5 }))).toBe(
      "'concurrency' must be an integer, got: '1.5'",
    )
    expect(messageOf(() => createLocalEngine({ threads: -2 }))).toBe("'threads' must be at least 1, got: -2")
  })
})
