/**
 * Every package as a user gets it. The built files of every package load on their own (a module that only works
 * when another was loaded first is an import cycle: `Cannot access 'removeCommand' before initialization`), and
 * every public package, packed as `pnpm publish` packs it, passes publint and arethetypeswrong, installs with npm
 * outside the repository and loads with `import` and with `require` on each of its entry points.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repoRoot = resolve(import.meta.dirname, '..')

/** Runs a dev tool's bin with this Node (its file from its manifest: the .bin shims are relinked by every install). */
async function runTool(pkg: string, name: string, args: string[]): Promise<{ stdout: string }> {
  const dir = join(repoRoot, 'node_modules', pkg)
  const { bin } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>
  }
  return run(process.execPath, [join(dir, typeof bin === 'string' ? bin : (bin[name] as string)), ...args])
}
const pnpm = ['-y', 'pnpm@10.34.8']

/**
 * What a user takes from each entry point, as an expression of the loaded module `m`: each must be a function.
 * `require` of an entry whose only export is a default gives that default itself.
 */
const uses: Record<string, { import: string[]; require: string[] }> = {
  '@rembg-kit/core': both(['m.createRemover', 'm.removeBackground', 'm.RembgError', 'm.isRembgError']),
  '@rembg-kit/core/internal': both(['m.loadInput', 'm.decodeInput', 'm.compose']),
  '@rembg-kit/server': both(['m.createServer', 'm.startServer', 'm.rembgServer']),
  '@rembg-kit/unplugin': both(['m.rembg.vite', 'm.rembg.webpack', 'm.default.rollup', 'm.resolveOptions']),
  '@rembg-kit/unplugin/vite': defaultOnly(),
  '@rembg-kit/unplugin/webpack': defaultOnly(),
  '@rembg-kit/unplugin/rollup': defaultOnly(),
  '@rembg-kit/unplugin/esbuild': defaultOnly(),
  '@rembg-kit/unplugin/rspack': defaultOnly(),
  '@rembg-kit/unplugin/next': both(['m.withRembg']),
  // Strapi reads the plugin's `default` from what `require` gives (@strapi/sdk-plugin builds CommonJS).
  '@rembg-kit/strapi-plugin/strapi-server': {
    import: ['m.default.default.register', 'm.default.default.destroy'],
    require: ['m.default.register', 'm.default.destroy'],
  },
}

/**
 * Entry points that run in a browser, bundled by their host (Strapi's admin build), never loaded by Node: they import
 * the host's React, design system and `@strapi/strapi/admin`, which only its bundle provides. Their folder in dist is
 * not loaded on its own; instead every package they import must be one of their package's peer dependencies (a
 * bundled second React breaks every hook of the admin).
 */
const browserEntries: Record<string, string> = { '@rembg-kit/strapi-plugin/strapi-admin': 'dist/admin' }

/** The packages a built folder imports (bare specifiers of `import`, `export ... from`, `import()` and `require()`). */
async function importedPackages(dir: string): Promise<string[]> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => /\.m?js$/.test(file))
  const names = new Set<string>()
  for (const file of files) {
    const code = await readFile(join(dir, file), 'utf8')
    for (const [, specifier] of code.matchAll(/(?:from|import|require)\s*\(?\s*["']([^"'./][^"']*)["']/g)) {
      const parts = (specifier as string).split('/')
      names.add(specifier?.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string))
    }
  }
  return [...names].sort()
}

function both(expressions: string[]): { import: string[]; require: string[] } {
  return { import: expressions, require: expressions }
}

function defaultOnly(): { import: string[]; require: string[] } {
  return { import: ['m.default'], require: ['m'] }
}

interface Manifest {
  name: string
  type?: string
  private?: boolean
  exports?: Record<string, unknown>
  bin?: Record<string, string>
}

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest
}

const packageDirs = (await readdir(join(repoRoot, 'packages'))).map((name) => join(repoRoot, 'packages', name))
const manifests = await Promise.all(packageDirs.map(async (dir) => ({ dir, manifest: await manifestOf(dir) })))
const publicPackages = manifests.filter(({ manifest }) => !manifest.private)

/** The subpaths with code: not `./package.json`, not the types-only ones (`./client`). */
function codeEntries(manifest: Manifest): string[] {
  return Object.entries(manifest.exports ?? {})
    .filter(
      ([subpath, target]) => subpath !== './package.json' && /"(import|require|default)"/.test(JSON.stringify(target)),
    )
    .map(([subpath]) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`))
}

/** Loads `specifier` in a fresh Node process with `import()` or `require()` and answers `typeof` of each expression. */
async function load(
  mode: 'import' | 'require',
  specifier: string,
  expressions: string[],
  cwd: string,
): Promise<Record<string, string>> {
  const loadModule =
    mode === 'import' ? `await import(${JSON.stringify(specifier)})` : `require(${JSON.stringify(specifier)})`
  const answer = `const m = ${loadModule}
console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(expressions)}.map((e) => [e, typeof eval(e)]))))`
  const args = mode === 'import' ? ['--input-type=module', '-e', answer] : ['-e', answer]
  const { stdout } = await run(process.execPath, args, { cwd })
  return JSON.parse(stdout) as Record<string, string>
}

/**
 * What to load from a dist folder, each on its own: every ES module (an import cycle between modules breaks whichever
 * is loaded first, whatever the format), and the CommonJS files that `require` conditions name (what users load).
 */
async function distModules(dir: string, manifest: Manifest): Promise<{ file: string; mode: 'import' | 'require' }[]> {
  const files = await readdir(join(dir, 'dist'), { recursive: true }).catch(() => [] as string[])
  const esmExtension = manifest.type === 'module' ? /\.m?js$/ : /\.mjs$/
  const browserDirs = Object.entries(browserEntries)
    .filter(([entry]) => entry.startsWith(`${manifest.name}/`))
    .map(([, folder]) => `${relative('dist', folder)}/`)
  const esm = files
    .filter((file) => esmExtension.test(file) && !browserDirs.some((folder) => file.startsWith(folder)))
    .map((file) => join(dir, 'dist', file))
  const required = [...JSON.stringify(manifest.exports ?? {}).matchAll(/"require":(?:\{[^}]*"default":)?"([^"]+)"/g)]
  const cjs = [...new Set(required.map((match) => join(dir, match[1] as string)))].filter(
    (file) => !browserDirs.some((folder) => file.startsWith(join(dir, 'dist', folder))),
  )
  return [
    ...esm.map((file) => ({ file, mode: 'import' as const })),
    ...cjs.map((file) => ({ file, mode: 'require' as const })),
  ]
}

/** Runs `task` over `items`, two at a time (the machine's cores), collecting what each returned. */
async function eachLimited<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index] as T)
    }
  }
  await Promise.all([worker(), worker()])
  return results
}

/** The first line of a failed child's error that says what went wrong (Node prints the stack under it). */
function firstErrorLine(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr ?? String(error)
  return stderr.split('\n').find((line) => /Error|error:/.test(line)) ?? stderr.trim().split('\n')[0] ?? ''
}

describe('every built module loads on its own, in a fresh process', () => {
  // The action's dist is its bundle, which runs the action when loaded: its own tests run it.
  const withDist = manifests.filter(({ manifest }) => manifest.name !== '@rembg-kit/github-action')

  it.each(withDist.map(({ dir, manifest }) => [manifest.name, dir, manifest] as const))(
    '%s',
    async (_name, dir, manifest) => {
      const modules = await distModules(dir, manifest)
      expect(modules.length, `${relative(repoRoot, dir)}/dist is missing: build the packages first`).toBeGreaterThan(0)
      const failures = await eachLimited(modules, ({ file, mode }) => {
        const specifier = mode === 'import' ? pathToFileURL(file).href : file
        return load(mode, specifier, [], dir).then(
          () => null,
          (error: unknown) => `${mode} ${relative(repoRoot, file)}: ${firstErrorLine(error)}`,
        )
      })
      expect(failures.filter(Boolean)).toStrictEqual([])
    },
  )
})

describe('every public package as published', () => {
  let workDir = ''
  const tarballs = new Map<string, string>()

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rembg-kit-packages-'))
    for (const { dir, manifest } of publicPackages) {
      const { stdout } = await run('npx', [...pnpm, 'pack', '--pack-destination', workDir], { cwd: dir })
      const tarball = stdout.trim().split('\n').at(-1) as string
      tarballs.set(manifest.name, tarball)
    }
  })

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  it.each(publicPackages.map(({ manifest }) => [manifest.name]))(
    '%s: the tarball carries no workspace: ranges, publint finds nothing, arethetypeswrong finds no problem',
    async (name) => {
      const tarball = tarballs.get(name) as string
      const { stdout: packed } = await run('tar', ['-xzOf', tarball, 'package/package.json'])
      expect(packed).not.toContain('workspace:')

      const publint = await runTool('publint', 'publint', ['run', tarball])
      expect(publint.stdout).toContain('All good!')

      // Node 20.19+ only (engines): the node10 resolution (no exports map) is not ours to serve. The types-only
      // subpaths (`./client`: ambient declarations of `?rembg` imports) are read by TypeScript, never loaded.
      const typesOnly = Object.entries(
        (await manifestOf(publicPackages.find((p) => p.manifest.name === name)?.dir as string)).exports ?? {},
      )
        .filter(([, target]) => !/"(import|require|default)"/.test(JSON.stringify(target)))
        .map(([subpath]) => subpath)
        .filter((subpath) => subpath !== './package.json')
      // Browser entries are imported by their host's bundler alone (Strapi's generated admin app), never by TypeScript
      // under Node's module rules, which is what arethetypeswrong judges.
      const browser = Object.keys(browserEntries)
        .filter((entry) => entry.startsWith(`${name}/`))
        .map((entry) => `./${entry.slice(name.length + 1)}`)
      const excluded = [...typesOnly, ...browser]
      const exclude = excluded.length > 0 ? ['--exclude-entrypoints', ...excluded] : []
      const attw = await runTool('@arethetypeswrong/cli', 'attw', [
        tarball,
        '--profile',
        'node16',
        '--format',
        'json',
        ...exclude,
      ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
      const { analysis } = JSON.parse(attw.stdout) as {
        analysis: { problems: { kind: string; entrypoint: string; resolutionKind: string }[] }
      }
      expect(analysis.problems.filter((problem) => problem.resolutionKind !== 'node10')).toStrictEqual([])
    },
  )

  describe('installed with npm outside the repository', () => {
    let project = ''

    beforeAll(async () => {
      project = join(workDir, 'project')
      await run('mkdir', ['-p', project])
      await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'user-project', private: true })}\n`)
      // No scripts: onnxruntime-node's downloads CUDA files; peers are not installed (Strapi, the bundlers).
      await run(
        'npm',
        ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', ...tarballs.values()],
        {
          cwd: project,
          env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
        },
      )
    }, 600_000)

    const allEntries = publicPackages.flatMap(({ manifest }) => codeEntries(manifest))
    const entries = allEntries.filter((entry) => !browserEntries[entry])

    it.each(allEntries.filter((entry) => browserEntries[entry]))(
      '%s (a browser entry) resolves with import and require, and imports only peer dependencies',
      async (entry) => {
        const packageName = entry.split('/').slice(0, 2).join('/')
        const folder = join(project, 'node_modules', packageName, browserEntries[entry] as string)
        const resolve = `import { createRequire } from 'node:module'
const entry = ${JSON.stringify(entry)}
console.log(JSON.stringify([createRequire(process.cwd() + '/').resolve(entry), import.meta.resolve(entry)]))`
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', resolve], { cwd: project })
        const resolved = (JSON.parse(stdout) as string[]).map((file) => file.replace(/^file:\/\//, ''))
        expect(resolved).toStrictEqual([join(folder, 'index.js'), join(folder, 'index.mjs')])
        const manifest = JSON.parse(await readFile(join(project, 'node_modules', packageName, 'package.json'), 'utf8'))
        const peers = Object.keys((manifest as { peerDependencies?: Record<string, string> }).peerDependencies ?? {})
        const imported = await importedPackages(folder)
        expect(imported.filter((name) => !peers.includes(name))).toStrictEqual([])
        expect(imported).toContain('react')
      },
    )

    it('every entry point has the names a user takes from it listed in this test', () => {
      expect(entries.filter((entry) => !uses[entry])).toStrictEqual([])
    })

    it.each(entries.flatMap((entry) => (['import', 'require'] as const).map((mode) => [entry, mode] as const)))(
      '%s with %s',
      async (entry, mode) => {
        const expressions = uses[entry]?.[mode] ?? []
        const types = await load(mode, entry, expressions, project)
        expect(types).toStrictEqual(Object.fromEntries(expressions.map((e) => [e, 'function'])))
      },
    )

    it('the bins run: rembg-kit --help and rembg-kit-server --help print their usage', async () => {
      const cli = await run(join(project, 'node_modules', '.bin', 'rembg-kit'), ['--help'], { cwd: project })
      expect(cli.stdout).toContain('Usage: rembg-kit <command> [options]')
      const server = await run(join(project, 'node_modules', '.bin', 'rembg-kit-server'), ['--help'], { cwd: project })
      expect(server.stdout).toContain('Usage: rembg-kit-server [options]')
    })
  })
})
