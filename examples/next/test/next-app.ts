/**
 * examples/next (and examples/next-15) as a user runs them: `next build` (Turbopack), `next build --webpack`,
 * `next start` and `next dev` on a free loopback port, through the example's own scripts; and the page's images as a
 * browser finds them.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { expect } from 'vitest'
import { exampleDir, modelHome, repoRoot } from '../../test-support.ts'

/** The example folders: `next` (Next 16), `next-15`. */
export type NextExample = 'next' | 'next-15'

export const root = exampleDir('next')
const cacheDirOf = (example: NextExample): string => join(exampleDir(example), 'node_modules', '.cache', 'rembg-kit')

const env = { ...process.env, REMBG_KIT_HOME: modelHome, NEXT_TELEMETRY_DISABLED: '1' }
const pnpm = (example: NextExample): string[] => ['-y', 'pnpm@10.34.8', '--filter', `./examples/${example}`, 'run']

/** The plugin's verbose line of one cutout: `rembg-kit: app/images/ball.jpg -> 800x600 webp (inference)`. */
export interface CutoutLine {
  file: string
  size: string
  format: string
  source: 'inference' | 'from cache' | 'matte reused'
}

export function cutoutLines(output: string): CutoutLine[] {
  const lines = output.matchAll(/rembg-kit: (\S+) -> (\d+x\d+) (\w+) \((inference|from cache|matte reused)\)/g)
  return [...lines].map(([, file, size, format, source]) => ({ file, size, format, source }) as CutoutLine)
}

/** `build` (Turbopack) or `build:webpack`, as the README says; `fresh` empties the cutout cache first. */
export async function buildApp(
  script: 'build' | 'build:webpack',
  options: { fresh?: boolean; example?: NextExample } = {},
): Promise<string> {
  const example = options.example ?? 'next'
  if (options.fresh) {
    // Both caches: the cutouts', and Next's own (a warm Turbopack cache would not run the loader at all).
    await rm(cacheDirOf(example), { recursive: true, force: true })
    await rm(join(exampleDir(example), '.next'), { recursive: true, force: true })
  }
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', [...pnpm(example), script], {
      cwd: repoRoot,
      env,
      maxBuffer: 64 * 1024 * 1024,
    })
    return stripVTControlCharacters(`${stdout}\n${stderr}`)
  } catch (error) {
    // Next prints its errors (type errors, loader errors) on stdout: the failure shows them.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(`${script} failed:\n${stripVTControlCharacters(`${stdout}\n${stderr}`)}`, { cause: error })
  }
}

export interface RunningApp {
  origin: string
  output(): string
  get(path: string, headers?: Record<string, string>): Promise<Response>
  stop(): Promise<void>
}

/** `next start` or `next dev` on 127.0.0.1 and a free port; resolves once the server says it is ready. */
export async function startApp(
  script: 'start' | 'dev',
  options: { example?: NextExample; args?: string[] } = {},
): Promise<RunningApp> {
  const port = await freePort()
  const args = [script, '--hostname', '127.0.0.1', '--port', String(port), ...(options.args ?? [])]
  const child = spawn('npx', [...pnpm(options.example ?? 'next'), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const collect = (chunk: Buffer): void => {
    output += stripVTControlCharacters(chunk.toString())
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const origin = `http://127.0.0.1:${port}`
  const app: RunningApp = {
    origin,
    output: () => output,
    async get(path, headers = {}) {
      const response = await fetch(new URL(path, origin), { headers })
      expect(response.status, `GET ${path}\n${output}`).toBe(200)
      return response
    },
    stop: () => stop(child),
  }
  try {
    // `next dev` prints "Ready" before it loads next.config.ts: ready is when a request is answered.
    await waitFor(
      () => answers(origin),
      child,
      () => output,
    )
    return app
  } catch (error) {
    await app.stop()
    throw error
  }
}

/** The whole process group: pnpm, next and Next's workers. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(-child.pid, 'SIGTERM')
  await exited
}

async function answers(origin: string): Promise<boolean> {
  try {
    await (await fetch(`${origin}/favicon.ico`)).arrayBuffer()
    return true
  } catch {
    return false
  }
}

async function waitFor(ready: () => Promise<boolean>, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output()}`)
    if (Date.now() > deadline) throw new Error(`the server did not start in 120 s:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** An `<img>` of the page by its id, with its attributes (HTML entities in URLs decoded). */
export function imageTag(html: string, id: string): Record<string, string> {
  const tag = html.match(new RegExp(`<img[^>]*\\bid="${id}"[^>]*>`))?.[0]
  expect(tag, `<img id="${id}"> in the page`).toBeDefined()
  const attributes = (tag ?? '').matchAll(/([\w-]+)="([^"]*)"/g)
  return Object.fromEntries([...attributes].map(([, name, value]) => [name, (value ?? '').replaceAll('&amp;', '&')]))
}

/** The file a `/_next/image?url=...` URL optimises (next/image's src), or the URL itself when it names a file. */
export function staticUrl(src: string): string {
  const url = new URL(src, 'http://localhost')
  return url.pathname === '/_next/image' ? (url.searchParams.get('url') ?? '') : url.pathname
}

/** Every file of the cutout cache, relative and sorted. */
export async function cacheEntries(example: NextExample = 'next'): Promise<string[]> {
  const cacheDir = cacheDirOf(example)
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(cacheDir.length + 1))
    .sort()
}

export async function body(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer())
}

/**
 * `next build` of a one-page app beside the example (so `next` and the plugin resolve from the example's
 * node_modules) whose page has the `imports` and shows `shown`; resolves to the build's output, failed or not.
 */
export async function buildPage(imports: string, shown: string): Promise<{ failed: boolean; output: string }> {
  const dir = await mkdtemp(join(root, '.tmp-page-'))
  try {
    await mkdir(join(dir, 'app'))
    await copyFile(join(root, 'next.config.ts'), join(dir, 'next.config.ts'))
    await copyFile(join(root, 'app', 'images', 'ball.jpg'), join(dir, 'app', 'ball.jpg'))
    await writeFile(
      join(dir, 'app', 'layout.tsx'),
      'export default function Layout({ children }: { children: React.ReactNode }) {\n  return <html lang="en"><body>{children}</body></html>\n}\n',
    )
    await writeFile(
      join(dir, 'app', 'page.tsx'),
      `${imports}\n\nexport default function Page() {\n  return <p>{JSON.stringify(${shown})}</p>\n}\n`,
    )
    const next = join(root, 'node_modules', '.bin', 'next')
    try {
      const { stdout, stderr } = await promisify(execFile)(next, ['build', dir], { cwd: root, env, maxBuffer: 1 << 26 })
      return { failed: false, output: stripVTControlCharacters(`${stdout}\n${stderr}`) }
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
      return { failed: true, output: stripVTControlCharacters(`${stdout}\n${stderr}`) }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
