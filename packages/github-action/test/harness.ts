/**
 * Runs the action as GitHub runs it: `node dist/index.js` with the environment a runner gives a composite step (every
 * input as `INPUT_<NAME>`, defaults from action.yml), a real `pull_request` payload from @octokit/webhooks-examples
 * edited to a temp repository, and GitHub's REST API played on loopback by a server that records every call.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { packageDir, readActionYml } from './action-yml.js'

const run = promisify(execFile)
export const repoRoot = join(packageDir, '..', '..')
/** Converted models are shared with core's tests (the conversion is keyed by the source hash). */
export const modelHome = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-home')
export const sceneImages = join(repoRoot, 'examples', 'vite', 'src', 'images')
const tempParent = join(repoRoot, 'node_modules', '.cache', 'rembg-kit-test-tmp')

export const owner = 'octo'
export const repoName = 'shop'

export async function git(args: string[], cwd: string): Promise<string> {
  const identity = ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', '-c', 'init.defaultBranch=main']
  const { stdout } = await run('git', [...identity, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 })
  return stdout.trim()
}

export interface TempRepo {
  dir: string
  remote: string
  baseSha: string
  headSha: string
  /** A model home of its own (its `models` shared), so each repository starts with an empty result cache. */
  home: string
}

/**
 * A repository in a temp folder inside this one (so `@imgly/background-removal-data` resolves from the checkout, as
 * from a user's project): `main` with a README, `feature` adding `files` (path → bytes) on top, both pushed to a bare
 * remote.
 */
export async function makeRepo(files: Record<string, Buffer | string>): Promise<TempRepo> {
  const dir = join(tempParent, `github-action-${randomBytes(4).toString('hex')}`)
  const remote = join(dir, 'remote.git')
  const author = join(dir, 'author')
  await mkdir(author, { recursive: true })
  await git(['init', '--bare', remote], dir)
  await git(['init', author], dir)
  await writeFile(join(author, 'README.md'), '# shop\n')
  await git(['add', '.'], author)
  await git(['commit', '-m', 'base'], author)
  const baseSha = await git(['rev-parse', 'HEAD'], author)
  await git(['checkout', '-b', 'feature'], author)
  await commitFiles(author, files, 'add product images')
  const headSha = await git(['rev-parse', 'HEAD'], author)
  await git(['push', remote, 'main', 'feature'], author)
  const home = join(dir, 'home')
  await mkdir(home, { recursive: true })
  await symlink(join(modelHome, 'models'), join(home, 'models'))
  return { dir, remote, baseSha, headSha, home }
}

export async function commitFiles(cwd: string, files: Record<string, Buffer | string>, message: string): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(cwd, path, '..'), { recursive: true })
    await writeFile(join(cwd, path), data)
  }
  await git(['add', '.'], cwd)
  await git(['commit', '-m', message], cwd)
}

/** A fresh checkout of `sha`, as actions/checkout leaves it (origin is the remote, HEAD detached). */
export async function checkout(repo: TempRepo, sha: string): Promise<string> {
  const workspace = join(repo.dir, `workspace-${randomBytes(3).toString('hex')}`)
  await git(['clone', '--quiet', repo.remote, workspace], repo.dir)
  await git(['checkout', '--quiet', '--detach', sha], workspace)
  return workspace
}

/** The `synchronize` example payload, moved to our repository and commits. */
export async function pullRequestPayload(
  repo: TempRepo,
  options: { number?: number; headSha?: string; fork?: boolean; changedFiles?: number; commits?: number },
): Promise<Record<string, unknown>> {
  const examplesPath = join(packageDir, 'node_modules', '@octokit', 'webhooks-examples', 'api.github.com', 'index.json')
  const examples = JSON.parse(await readFile(examplesPath, 'utf8')) as {
    name: string
    examples: { action: string }[]
  }[]
  const example = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'synchronize')
  // biome-ignore lint/suspicious/noExplicitAny: the payload is edited field by field, as a webhook's JSON
  const payload = structuredClone(example) as any
  const full = `${owner}/${repoName}`
  payload.number = options.number ?? 7
  payload.pull_request.number = payload.number
  payload.pull_request.changed_files = options.changedFiles ?? 1
  payload.pull_request.commits = options.commits ?? 1
  payload.pull_request.base.sha = repo.baseSha
  payload.pull_request.base.ref = 'main'
  payload.pull_request.base.repo.full_name = full
  payload.pull_request.head.sha = options.headSha ?? repo.headSha
  payload.pull_request.head.ref = 'feature'
  payload.pull_request.head.repo.full_name = options.fork ? 'someone/shop' : full
  payload.repository.full_name = full
  payload.repository.name = repoName
  payload.repository.owner.login = owner
  return payload
}

export interface ApiCall {
  method: string
  path: string
  query: Record<string, string>
  body?: unknown
  /** What identifies the client: `authorization`, `user-agent`, `accept`. */
  headers: Record<string, string | undefined>
}

export interface Comment {
  id: number
  body: string
  user: { login: string; type: string }
  html_url: string
}

/**
 * GitHub's REST API for the calls the action makes, as its documentation describes them: pull request files and
 * issue comments paginated by `per_page`/`page` with a `Link` header, comments created (201) and updated (200).
 */
export class FakeGitHub {
  readonly calls: ApiCall[] = []
  /** The pull request's files, `{ filename, status }` as the API lists them. */
  files: { filename: string; status: string }[] = []
  comments: Comment[] = []
  /** Refuse to write comments, as for a fork's read-only token. */
  forbidComments = false
  private server: Server | null = null
  private nextId = 1000

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined
    return `http://127.0.0.1:${address?.port}`
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const body = text ? JSON.parse(text) : undefined
    const { authorization, 'user-agent': userAgent, accept } = req.headers
    this.calls.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: { authorization, 'user-agent': userAgent, accept },
    })
    const prefix = `/repos/${owner}/${repoName}`
    const route = `${req.method} ${url.pathname.slice(prefix.length)}`
    if (!url.pathname.startsWith(prefix)) return this.send(res, 404, { message: 'Not Found' })
    if (/^GET \/pulls\/\d+\/files$/.test(route)) return this.page(res, url, this.files)
    if (/^GET \/issues\/\d+\/comments$/.test(route)) return this.page(res, url, this.comments)
    if (/^(POST \/issues\/\d+\/comments|PATCH \/issues\/comments\/\d+)$/.test(route) && this.forbidComments) {
      return this.send(res, 403, { message: 'Resource not accessible by integration' })
    }
    if (/^POST \/issues\/\d+\/comments$/.test(route)) {
      const id = this.nextId++
      const comment = {
        id,
        body: body.body,
        user: { login: 'github-actions[bot]', type: 'Bot' },
        html_url: `https://github.com/${owner}/${repoName}/pull/7#issuecomment-${id}`,
      }
      this.comments.push(comment)
      return this.send(res, 201, comment)
    }
    const patch = /^PATCH \/issues\/comments\/(\d+)$/.exec(route)
    const comment = patch && this.comments.find((c) => c.id === Number(patch[1]))
    if (comment) {
      comment.body = body.body
      return this.send(res, 200, comment)
    }
    this.send(res, 404, { message: 'Not Found' })
  }

  private page(res: ServerResponse, url: URL, items: unknown[]): void {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const page = Number(url.searchParams.get('page') ?? 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const link = (n: number, rel: string) => {
      const target = new URL(url)
      target.searchParams.set('page', String(n))
      return `<${target}>; rel="${rel}"`
    }
    const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : []
    if (page > 1) links.unshift(link(1, 'first'), link(page - 1, 'prev'))
    const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
    this.send(res, 200, items.slice((page - 1) * perPage, page * perPage), headers)
  }

  private send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(data))
  }
}

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
}

/** Every input as the composite step maps it: action.yml's default, or the value given. */
function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, declared] of Object.entries(readActionYml().inputs)) {
    const value = inputs[name] ?? (name === 'token' ? 'ghs_test' : (declared.default ?? ''))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return env
}

/** `name<<delimiter\nvalue\ndelimiter` entries, as @actions/core writes GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string
  return outputs
}

export async function runAction(options: {
  repo: TempRepo
  workspace: string
  api: FakeGitHub
  payload?: Record<string, unknown>
  event?: string
  inputs?: Record<string, string>
  env?: Record<string, string>
}): Promise<ActionRun> {
  const runnerTemp = join(options.repo.dir, `runner-temp-${randomBytes(3).toString('hex')}`)
  await mkdir(runnerTemp, { recursive: true })
  const eventPath = join(runnerTemp, 'event.json')
  const outputPath = join(runnerTemp, 'output.txt')
  const summaryPath = join(runnerTemp, 'summary.md')
  await writeFile(eventPath, JSON.stringify(options.payload ?? {}))
  await writeFile(outputPath, '')
  await writeFile(summaryPath, '')
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_PROXY: '127.0.0.1',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.api.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${owner}/${repoName}`,
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: runnerTemp,
    REMBG_KIT_HOME: options.repo.home,
    NODE_PATH: join(repoRoot, 'packages', 'core', 'node_modules'),
    ...inputEnv(options.inputs ?? {}),
    ...options.env,
  }
  const entry = join(packageDir, 'dist', 'index.js')
  const result = await run(process.execPath, [entry], {
    cwd: options.workspace,
    env,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  )
  return {
    ...result,
    outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
    runnerTemp,
  }
}
