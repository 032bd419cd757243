import { describe, expect, it } from 'vitest'
import { isOutputPath, outputPathFor, parseOutputRule } from '../src/output-names.js'
import type { FileResult } from '../src/process-files.js'
import { commentLimit, formatReport } from '../src/report.js'

describe('output names', () => {
  const suffix = parseOutputRule('{dir}/{name}.cutout.{ext}')
  it('names outputs by the template, the folder rule or in place, with core’s extensions', () => {
    expect(outputPathFor('assets/a.jpg', suffix, 'webp')).toBe('assets/a.cutout.webp')
    expect(outputPathFor('a.JPG', suffix, 'jpeg')).toBe('a.cutout.jpg')
    expect(outputPathFor('assets/a.jpg', parseOutputRule('cutouts/'), 'png')).toBe('cutouts/assets/a.png')
    expect(outputPathFor('assets/a.jpeg', parseOutputRule('in-place'), 'jpeg')).toBe('assets/a.jpeg')
    expect(outputPathFor('assets/a.jpg', parseOutputRule('in-place'), 'png')).toBe('assets/a.png')
  })
  it('recognises any output of the rule, so a cutout is never an input again', () => {
    expect(isOutputPath('x/y/a.cutout.webp', suffix)).toBe(true)
    expect(isOutputPath('a.cutout.PNG', suffix)).toBe(true)
    expect(isOutputPath('x/a.jpg', suffix)).toBe(false)
    expect(isOutputPath('cutouts/x/a.png', parseOutputRule('cutouts'))).toBe(true)
  })
  it('refuses templates that cannot work, naming the input', () => {
    expect(() => parseOutputRule('{dir}/{name}.{ext}')).toThrow(
      "Input 'output': this template would replace the images themselves; write 'in-place' to ask for that",
    )
    expect(() => parseOutputRule('{dir}/{base}.{ext}')).toThrow(
      "Input 'output': unknown placeholder '{base}'. Placeholders: {dir}, {name}, {ext}",
    )
    expect(() => parseOutputRule('../out')).toThrow(
      "Input 'output': a folder must be inside the repository, got: '../out'",
    )
  })
})

it('a report past the comment cap drops rows and says how many', () => {
  const results: FileResult[] = Array.from({ length: 2000 }, (_, i) => ({
    input: `assets/products/a-long-folder-name/image-${i}.jpg`,
    output: `assets/products/a-long-folder-name/image-${i}.cutout.webp`,
    status: 'written',
    bytesBefore: 50_000,
    bytesAfter: 10_000,
    width: 640,
    height: 480,
    ms: 1000,
    cache: 'computed',
  }))
  const text = formatReport({ results, notes: ['a note'], outcome: 'Committed.' }, commentLimit)
  expect(text.length).toBeLessThanOrEqual(commentLimit)
  const shown = text.split('\n').filter((line) => line.startsWith('| assets/')).length
  expect(text).toContain(`| … ${2000 - shown} more rows not shown: GitHub caps this text at 65536 characters |`)
  expect(text.trimEnd().endsWith('- a note')).toBe(true)
})
