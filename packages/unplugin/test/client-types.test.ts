/**
 * The `@rembg-kit/unplugin/client` types, checked by the TypeScript compiler as a user's project would be: the
 * covered import forms get their types, and a misuse is a type error.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const packageDir = resolve(fileURLToPath(import.meta.url), '../..')
const repoRoot = resolve(packageDir, '../..')

const usage = `/// <reference path="${join(packageDir, 'client.d.ts')}" />
import hero from './hero.jpg?rembg'
import sized from './hero.jpg?w=800&format=png&rembg'
import card from './hero.jpg?rembg&w=800&format=png'
import webp from './hero.jpg?rembg&w=800&format=webp'
import jpeg from './hero.jpg?rembg&w=800&format=jpeg'
import inline from './hero.jpg?rembg&w=40&inline'
import srcset from './hero.jpg?rembg&w=320;640&as=srcset'
import meta from './hero.jpg?rembg&w=320;640&as=meta'

const urls: string[] = [hero, sized, card, webp, jpeg, inline, srcset, meta.src]
const size: number = meta.width * meta.height
const format: 'webp' | 'png' | 'jpeg' | 'bmp' = meta.format
// Astro's ImageMetadata (astro/dist/assets/types.d.ts), which <Image src> takes: an as=meta import is one.
interface AstroImageMetadata {
  src: string
  width: number
  height: number
  format: 'png' | 'jpg' | 'jpeg' | 'tiff' | 'webp' | 'gif' | 'svg' | 'avif'
  orientation?: number
}
const astroImage: AstroImageMetadata = meta
const responsive: string | undefined = meta.srcset ?? meta.placeholder
export { urls, size, format, responsive, astroImage }
`

/** Type-checks one file as a module of a strict project; returns the diagnostics' messages. */
async function typeCheck(code: string): Promise<string[]> {
  const parent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
  await mkdir(parent, { recursive: true })
  const dir = await mkdtemp(join(parent, 'client-types-'))
  const file = join(dir, 'app.ts')
  await writeFile(file, code)
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  })
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

describe('client types', () => {
  it('type the covered import forms', async () => {
    expect(await typeCheck(usage)).toStrictEqual([])
  })

  it('make a misuse a type error', async () => {
    const misuse = `${usage}\nconst wrong: number = meta.src\nconst alsoWrong: { src: string } = srcset\n`
    expect(await typeCheck(misuse)).toStrictEqual([
      "Type 'string' is not assignable to type 'number'.",
      "Type 'string' is not assignable to type '{ src: string; }'.",
    ])
  })

  it('leave an import without the client types unresolved', async () => {
    const withoutTypes = usage.split('\n').slice(1).join('\n')
    expect((await typeCheck(withoutTypes))[0]).toBe(
      "Cannot find module './hero.jpg?rembg' or its corresponding type declarations.",
    )
  })
})
