/**
 * `withRembg` (dist/next.js, what next.config.ts imports): the config it returns for Turbopack and webpack, and the
 * errors a build gets, through real webpack with the hook Next would call. The whole Next builds are
 * examples/next's tests.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')
const tempParent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')
const photo = join(repoRoot, 'examples', 'webpack', 'src', 'images', 'ball.jpg')

interface Rule {
  condition: Condition
  loaders: { loader: string; options: Record<string, unknown> }[]
  as: string
}
type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | { query: RegExp }

interface Config {
  turbopack?: { rules?: Record<string, unknown>; root?: string }
  webpack?: (config: object, context: object) => object
  [key: string]: unknown
}

const { withRembg, createRembg } = (await import('../dist/next.js')) as {
  withRembg(config: unknown, options?: object): Config & ((...args: unknown[]) => Promise<Config>)
  createRembg(options?: object): (config: unknown) => Config
}

/** Turbopack's reading of a rule condition, for the kinds the plugin writes. */
function matches(condition: Condition, query: string): boolean {
  if ('all' in condition) return condition.all.every((item) => matches(item, query))
  if ('any' in condition) return condition.any.some((item) => matches(item, query))
  if ('not' in condition) return !matches(condition.not, query)
  return condition.query.test(query)
}

/** The Turbopack rules for every file (`'*'`), the user's first. */
function everyFileRules(config: Config): Rule[] {
  return (config.turbopack?.rules?.['*'] ?? []) as Rule[]
}

/** The `as` of every plugin rule a file's query selects. */
function rulesFor(config: Config, query: string): string[] {
  return everyFileRules(config)
    .filter((rule) => 'condition' in rule && matches(rule.condition, query))
    .map((rule) => rule.as)
}

const webpackContext = { isServer: false, dev: false, config: { assetPrefix: '' } }

describe('withRembg', () => {
  it('returns a new config with the user keys, their Turbopack rules and options, and does not change theirs', () => {
    const svgRule = { loaders: ['@svgr/webpack'], as: '*.js' }
    const everyFile = { condition: { query: /raw/ }, type: 'raw' }
    const user = { reactStrictMode: true, turbopack: { root: '/app', rules: { '*.svg': svgRule, '*': everyFile } } }
    const before = structuredClone(user)
    const config = withRembg(user, { model: 'isnet-imgly' })
    expect(user).toEqual(before)
    expect(config).not.toBe(user)
    expect(config.reactStrictMode).toBe(true)
    expect(config.turbopack?.root).toBe('/app')
    expect(config.turbopack?.rules?.['*.svg']).toBe(svgRule)
    expect(everyFileRules(config)[0]).toBe(everyFile)
    expect(typeof config.webpack).toBe('function')
  })

  it('gives every rembg import exactly one Turbopack rule, typed by the output format', () => {
    const config = withRembg({}, { model: 'isnet-imgly' })
    expect(rulesFor(config, '?rembg&w=800&format=png')).toEqual(['*.png'])
    expect(rulesFor(config, '?w=800&format=webp&rembg')).toEqual(['*.webp'])
    expect(rulesFor(config, '?rembg&format=jpg')).toEqual(['*.jpeg'])
    expect(rulesFor(config, '?rembg&w=800')).toEqual(['*.webp'])
    // Any other format reaches the loader (which fails with core's message), never Next's image handling.
    expect(rulesFor(config, '?rembg&format=avif')).toEqual(['*.js'])
    expect(rulesFor(config, '?rembg&format=bmp')).toEqual(['*.js'])
    expect(rulesFor(config, '?format=png')).toEqual([])
    expect(rulesFor(config, '?rembgx=1')).toEqual([])
    expect(rulesFor(withRembg({}, { defaults: { format: 'png' } }), '?rembg')).toEqual(['*.png'])
  })

  it('hands the Turbopack loader plain JSON options, without the API key', () => {
    const config = withRembg({}, { model: 'isnet-imgly', include: [/photos/, 'app/**'], concurrency: 2 })
    const [rule] = everyFileRules(config)
    const options = rule?.loaders[0]?.options
    expect(JSON.parse(JSON.stringify(options))).toEqual(options)
    expect(options).toMatchObject({ kind: 'image', format: 'webp', model: 'isnet-imgly', concurrency: 2 })
    expect(options?.include).toEqual([{ source: 'photos', flags: '' }, 'app/**'])
    expect(rule?.loaders[0]?.loader).toMatch(/next-loader\.js$/)
  })

  it("runs the user's webpack function after its own, with the rule added and Next's image rule told to skip rembg", () => {
    const imageRule = { loader: 'next-image-loader', test: /\.jpg$/, resourceQuery: { not: [/__next_metadata__/] } }
    const seen: object[] = []
    const config = withRembg({
      webpack: (webpackConfig: { module: { rules: unknown[] } }) => {
        seen.push(webpackConfig)
        return { ...webpackConfig, marked: true }
      },
    })
    const result = config.webpack?.({ module: { rules: [imageRule] } }, webpackContext) as {
      marked: boolean
      module: { rules: { loader?: string; resourceQuery: RegExp | { not: RegExp[] }; use?: unknown }[] }
    }
    expect(result.marked).toBe(true)
    expect(seen).toHaveLength(1)
    const [nextImages, ours] = result.module.rules
    expect(imageRule.resourceQuery.not).toHaveLength(1)
    const skipped = (nextImages?.resourceQuery as { not: RegExp[] } | undefined)?.not ?? []
    expect(skipped.some((pattern) => pattern.test('?rembg&w=800'))).toBe(true)
    expect(skipped.some((pattern) => pattern.test('?__next_metadata__'))).toBe(true)
    // url() in a stylesheet gets the file itself, named with the output's extension.
    const stylesheetRules = result.module.rules.slice(2) as unknown as {
      issuer: RegExp
      generator: { filename: string }
    }[]
    expect(stylesheetRules.every((rule) => rule.issuer.test('/app/page.module.css'))).toBe(true)
    expect(stylesheetRules.map((rule) => rule.generator.filename.split('.').at(-1))).toEqual([
      'webp',
      'png',
      'jpg',
      'webp',
      'bin',
    ])
    expect(ours?.resourceQuery).toEqual(expect.any(RegExp))
    expect((ours?.resourceQuery as RegExp | undefined)?.test('?w=800&rembg')).toBe(true)
  })

  it('wraps a config function, and composes with createRembg', async () => {
    const wrapped = withRembg(async (phase: string) => ({ env: { phase } }))
    const config = await wrapped('phase-production-build', { defaultConfig: {} })
    expect(config.env).toEqual({ phase: 'phase-production-build' })
    expect(everyFileRules(config)).toHaveLength(5)
    expect(createRembg({ model: 'isnet-imgly' })({ basePath: '/shop' }).basePath).toBe('/shop')
  })

  it('refuses apiKey, a default format Next does not serve, and a bad default, with the reason', () => {
    expect(() => withRembg({}, { apiKey: 'rk_secret' })).toThrow(
      "rembg-kit: withRembg has no 'apiKey' option: set REMBG_API_KEY in the build's environment " +
        '(Next writes loader options to its caches, and a key must not reach them)',
    )
    expect(() => withRembg({}, { defaults: { format: 'bmp' } })).toThrow(
      "rembg-kit: defaults.format 'bmp' is not a static image format of Next.js: use webp, png or jpeg",
    )
    expect(() => withRembg({}, { defaults: { w: 'wide' } })).toThrow("'w' must be an integer, got: 'wide'")
  })
})

describe('the webpack loader of withRembg, in webpack', () => {
  async function compile(importLine: string): Promise<string> {
    const webpack = (await import('webpack')).default
    await mkdir(tempParent, { recursive: true })
    const dir = await mkdtemp(join(tempParent, 'next-webpack-'))
    await copyFile(photo, join(dir, 'ball.jpg'))
    await writeFile(join(dir, 'entry.js'), `${importLine}\nconsole.log(hero)\n`)
    const base = { mode: 'production', context: dir, entry: './entry.js', output: { path: join(dir, 'out') } }
    const config = withRembg({}, { model: 'isnet-imgly', cacheDir: join(dir, 'cache') }).webpack?.(base, {
      ...webpackContext,
      isServer: true,
    })
    const compiler = webpack(config as never)
    return new Promise((done) => {
      compiler.run((error, stats) => {
        compiler.close(() =>
          done(error ? error.message : (stats?.toJson().errors ?? []).map((e) => e.message).join('\n')),
        )
      })
    })
  }

  it('fails the build on an import Next cannot take as a static image, naming the file and the import', async () => {
    const message = await compile("import hero from './ball.jpg?rembg&w=100;200&as=srcset'")
    expect(message).toContain(
      'rembg-kit: In Next.js a ?rembg import is a static image ({ src, width, height }), one file: as=srcset, ' +
        'several sizes is not supported (next/image makes the other sizes and the placeholder)',
    )
    expect(message).toMatch(/ {2}in \/.*\/entry\.js\n {2}import '\.\/ball\.jpg\?rembg&w=100;200&as=srcset'/)
  })

  it('fails the build on a format Next does not serve as an image', async () => {
    const message = await compile("import hero from './ball.jpg?rembg&format=bmp'")
    expect(message).toContain('rembg-kit: format=bmp is not a static image format of Next.js: use webp, png or jpeg')
  })

  it("fails the build with core's message for a bad parameter", async () => {
    const message = await compile("import hero from './ball.jpg?rembg&widht=800'")
    expect(message).toContain("rembg-kit: Unknown parameter 'widht'.")
    expect(message).toMatch(/ {2}import '\.\/ball\.jpg\?rembg&widht=800'/)
  })
})
