import { defaultParams, type RemoveResult } from '@rembg-kit/core'
import { describe, expect, it } from 'vitest'
import type { RenderedCutout } from '../src/core/cutouts.js'
import { cutoutModule, dataUrl } from '../src/core/module-code.js'
import { parseCutoutId } from '../src/core/query.js'

/** A result as core returns it; the module writer reads only the size, format and bytes. */
function result(width: number, format: 'webp' | 'png' = 'webp'): RemoveResult {
  return {
    data: Buffer.from([width % 256]),
    width,
    height: (width * 3) / 4,
    format,
    mime: `image/${format}`,
    extension: format,
    cache: { output: false, matte: false },
    params: { ...defaultParams, format, w: width },
    engine: { id: 'local' },
  }
}

const urlOf = (width: number) => ({ expression: JSON.stringify(`/assets/a-${width}.webp`) })

describe('cutoutModule', () => {
  it('exports the URL expression of a single cutout', () => {
    const request = parseCutoutId('/a.jpg?rembg&w=800')
    const rendered: RenderedCutout = { variants: [result(800)], placeholder: undefined }
    expect(cutoutModule(request, rendered, [urlOf(800)])).toBe('export default "/assets/a-800.webp"\n')
  })

  it('imports asset modules where the bundler publishes files as modules', () => {
    const request = parseCutoutId('/a.jpg?rembg&w=800')
    const rendered: RenderedCutout = { variants: [result(800)], placeholder: undefined }
    expect(cutoutModule(request, rendered, [{ importFrom: '/a.webp#x!=!/a.jpg?rembg-asset&w=800' }])).toBe(
      'import __rembg_0 from "/a.webp#x!=!/a.jpg?rembg-asset&w=800"\nexport default __rembg_0\n',
    )
  })

  it("writes CommonJS for webpack and Rspack, whose new URL() and require() give a module's exports", () => {
    const request = parseCutoutId('/a.jpg?rembg&w=800')
    const rendered: RenderedCutout = { variants: [result(800)], placeholder: undefined }
    const asset = { importFrom: '/a.webp#x!=!/a.jpg?rembg-asset&w=800' }
    expect(cutoutModule(request, rendered, [asset], 'commonjs')).toBe(
      'const __rembg_0 = require("/a.webp#x!=!/a.jpg?rembg-asset&w=800")\nmodule.exports = __rembg_0\n',
    )
  })

  it('writes a srcset with the width of each cutout', () => {
    const request = parseCutoutId('/a.jpg?rembg&w=320;640&as=srcset')
    const rendered: RenderedCutout = { variants: [result(320), result(640)], placeholder: undefined }
    expect(cutoutModule(request, rendered, [urlOf(320), urlOf(640)])).toBe(
      'export default "/assets/a-320.webp" + " 320w" + ", " + "/assets/a-640.webp" + " 640w"\n',
    )
  })

  it('gives meta of the widest cutout, with srcset and placeholder for several sizes', () => {
    const request = parseCutoutId('/a.jpg?rembg&w=640;320&as=meta')
    const placeholder = result(20)
    const rendered: RenderedCutout = { variants: [result(640), result(320)], placeholder }
    expect(cutoutModule(request, rendered, [urlOf(640), urlOf(320)])).toBe(
      'export default { src: "/assets/a-640.webp", width: 640, height: 480, format: "webp", ' +
        'srcset: "/assets/a-640.webp" + " 640w" + ", " + "/assets/a-320.webp" + " 320w", ' +
        `placeholder: ${JSON.stringify(dataUrl(placeholder))} }\n`,
    )
  })

  it('gives meta without srcset or placeholder for one size', () => {
    const request = parseCutoutId('/a.jpg?rembg&w=640&format=png&as=meta')
    const rendered: RenderedCutout = { variants: [result(640, 'png')], placeholder: undefined }
    expect(cutoutModule(request, rendered, [{ expression: '"/a.png"' }])).toBe(
      'export default { src: "/a.png", width: 640, height: 480, format: "png" }\n',
    )
  })
})

describe('dataUrl', () => {
  it('encodes the bytes with the MIME type of the format', () => {
    expect(dataUrl(result(255, 'png'))).toBe('data:image/png;base64,/w==')
  })
})
