/**
 * What the framework examples' tests share (Astro, SvelteKit, Nuxt): start the built app's server as its README
 * says, read the page's HTML from it, and fetch the images the page names, as a browser would.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { expect } from 'vitest'
import { type BuildSummary, exampleDir, modelHome, repoRoot } from './test-support.js'

/**
 * Runs the example's `build` script with pnpm from a cold cache, as the README does, and returns its output. `env`
 * is added to the test's environment (Nuxt's logger hides info lines, the plugin's summary too, under NODE_ENV=test).
 */
export async function buildApp(name: string, env: Record<string, string> = {}): Promise<string> {
  await rm(join(exampleDir(name), 'node_modules', '.cache', 'rembg-kit'), { recursive: true, force: true })
  const { stdout, stderr } = await promisify(execFile)(
    'npx',
    ['-y', 'pnpm@10.34.8', '--filter', `./examples/${name}`, 'run', 'build'],
    { cwd: repoRoot, env: { ...process.env, REMBG_KIT_HOME: modelHome, ...env }, maxBuffer: 64 * 1024 * 1024 },
  )
  return stripVTControlCharacters(`${stdout}\n${stderr}`)
}

/** A port nobody listens on: ask the OS for one, then give it back. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a free port')
  return address.port
}

export interface AppServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `node <args>` in the example's folder and resolves once `GET /` answers (or rejects with the server's
 * output when it exits first or does not answer within a minute).
 */
export async function startApp(options: {
  cwd: string
  args: string[]
  port: number
  env?: Record<string, string>
}): Promise<AppServer> {
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, REMBG_KIT_HOME: modelHome, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: Buffer): void => {
    output += stripVTControlCharacters(chunk.toString())
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const url = `http://127.0.0.1:${options.port}`
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`)
    const answered = await fetch(`${url}/`).then(
      (response) => response.ok,
      () => false,
    )
    if (answered) return { url, output: () => output, stop }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  throw new Error(`the server did not answer on ${url}:\n${output}`)
}

export interface ServedPage {
  html: string
  /** Each <img> with an id, by id: its attributes. */
  images: Map<string, Record<string, string>>
  /** The absolute URLs of the page's stylesheets (<link rel="stylesheet">). */
  stylesheets: string[]
}

/** GET a page of the server and read its images and stylesheets. */
export async function readPage(url: string): Promise<ServedPage> {
  const response = await fetch(url)
  expect(response.status, `GET ${url}`).toBe(200)
  const html = await response.text()
  const images = new Map<string, Record<string, string>>()
  for (const [tag] of html.matchAll(/<img\b[^>]*>/g)) {
    const attributes = Object.fromEntries(
      [...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((match) => [match[1] as string, decodeHtml(match[2] as string)]),
    )
    if (attributes.id) images.set(attributes.id, attributes)
  }
  const stylesheets = [...html.matchAll(/<link\b[^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => /rel="?stylesheet/.test(tag))
    .map((tag) => new URL(decodeHtml(/href="([^"]+)"/.exec(tag)?.[1] ?? ''), url).href)
  return { html, images, stylesheets }
}

function decodeHtml(text: string): string {
  return text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'")
}

/** GET a URL the page names (resolved against the page) and return its bytes; it must answer 200 with an image. */
export async function fetchImage(pageUrl: string, src: string): Promise<Buffer> {
  const url = new URL(src, pageUrl).href
  const response = await fetch(url)
  expect(response.status, `GET ${url}`).toBe(200)
  expect(response.headers.get('content-type'), `GET ${url}`).toMatch(/^image\//)
  return Buffer.from(await response.arrayBuffer())
}

/** The url() references of stylesheets (the fetched text of each), resolved against the stylesheet's URL. */
export async function stylesheetImageUrls(stylesheets: string[]): Promise<string[]> {
  const urls: string[] = []
  for (const sheet of stylesheets) {
    const css = await (await fetch(sheet)).text()
    for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
      if (!(match[1] as string).startsWith('data:')) urls.push(new URL(match[1] as string, sheet).href)
    }
  }
  return urls
}

/** Every summary line of a build's output (frameworks run several Vite builds: client, server). */
export function readSummaries(output: string): BuildSummary[] {
  return [...output.matchAll(/rembg-kit: (\d+) images?, (\d+) inferences?, (\d+) from cache/g)].map((line) => ({
    images: Number(line[1]),
    inferences: Number(line[2]),
    fromCache: Number(line[3]),
  }))
}

/** The inferences of every summary line of a build's output added up (a framework's client and server builds). */
export function countInferences(output: string): number {
  return readSummaries(output).reduce((sum, line) => sum + line.inferences, 0)
}

/** Runs the example's `typecheck` script as its README does and returns what it printed; a type error rejects. */
export async function typecheckApp(name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'npx',
    ['-y', 'pnpm@10.34.8', '--filter', `./examples/${name}`, 'run', 'typecheck'],
    { cwd: repoRoot },
  )
  return stripVTControlCharacters(stdout)
}
