// Issue 14: the GitHub Action on a pull request of 5 photos, run as a runner runs it (`node dist/index.js` with INPUT_*
// variables, a pull_request payload, GitHub's REST API played on loopback, a real git checkout and a bare remote to
// push to), cold (empty result cache) and warm (cache kept), against core's CLI on the same photos, cold and warm.
// Both sides share one model home of their own, converted by a first untimed CLI run.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ms, table } from './report.mjs'
import { median } from './stats.mjs'

const run = promisify(execFile)
export const githubActionGoal = 1.2
const photoCount = 5
const timeoutMs = 10 * 60 * 1000

async function timedNode(args, cwd, env) {
  const started = performance.now()
  try {
    const { stdout } = await run(process.execPath, args, { cwd, env, maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs })
    return { wallMs: performance.now() - started, stdout }
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n')
    throw new Error(`github action: \`node ${args.join(' ')}\` failed\n${output || error.message}`)
  }
}

const git = (args, cwd) =>
  run('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], { cwd }).then((r) =>
    r.stdout.trim(),
  )

/** A repository whose `feature` branch adds the photos under assets/, pushed to a bare remote, and a checkout of it. */
async function makePullRequest(dir, photos) {
  const remote = join(dir, 'remote.git')
  const author = join(dir, 'author')
  await mkdir(join(author, 'assets'), { recursive: true })
  await git(['init', '--quiet', '--bare', remote], dir)
  await git(['init', '--quiet', '-b', 'main', author], dir)
  await writeFile(join(author, 'README.md'), '# bench\n')
  await git(['add', '.'], author)
  await git(['commit', '--quiet', '-m', 'base'], author)
  const baseSha = await git(['rev-parse', 'HEAD'], author)
  await git(['checkout', '--quiet', '-b', 'feature'], author)
  const files = photos.map((photo) => `assets/${photo.name}.jpg`)
  for (const [i, photo] of photos.entries()) await copyFile(photo.path, join(author, files[i]))
  await git(['add', '.'], author)
  await git(['commit', '--quiet', '-m', 'add photos'], author)
  const headSha = await git(['rev-parse', 'HEAD'], author)
  await git(['push', '--quiet', remote, 'main', 'feature'], author)
  return { remote, baseSha, headSha, files }
}

/** The two REST calls the action makes on a pull request: its files (one page) and its comments (none, then one). */
async function startApi(files) {
  const comments = []
  const server = createServer((req, res) => {
    const send = (status, data) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(data))
    }
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname
      if (path.endsWith('/files'))
        return send(
          200,
          files.map((filename) => ({ filename, status: 'added' })),
        )
      if (req.method === 'GET' && path.endsWith('/comments')) return send(200, comments)
      const comment = {
        id: 1,
        body: JSON.parse(body || '{}').body,
        user: { login: 'github-actions[bot]' },
        html_url: 'x',
      }
      if (req.method === 'POST') comments.splice(0, 1, comment)
      send(req.method === 'POST' ? 201 : 200, comment)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) }
}

/** The `synchronize` payload of @octokit/webhooks-examples, moved to this pull request. */
async function writePayload(root, path, pr, headSha = pr.headSha) {
  const { createRequire } = await import('node:module')
  const require = createRequire(join(root, 'packages', 'github-action', 'package.json'))
  // @ts-expect-error: declared by packages/github-action, whose folder `require` resolves from.
  const examples = require('@octokit/webhooks-examples')
  const payload = structuredClone(
    examples.find((e) => e.name === 'pull_request').examples.find((e) => e.action === 'synchronize'),
  )
  Object.assign(payload.pull_request, { number: 1, changed_files: pr.files.length, commits: 1 })
  Object.assign(payload.pull_request.base, { sha: pr.baseSha, ref: 'main' })
  Object.assign(payload.pull_request.head, { sha: headSha, ref: 'feature' })
  payload.pull_request.base.repo.full_name = 'bench/shop'
  payload.pull_request.head.repo.full_name = 'bench/shop'
  payload.number = 1
  await writeFile(path, JSON.stringify(payload))
}

/**
 * Measures the action cold (result cache emptied, the remote's branch put back so each run commits and pushes) and
 * warm (cache kept: no inference, nothing to commit), and the CLI on the same photos cold (`--cache-dir` emptied)
 * and warm. Cold runs: at most 2 of each, alternating; warm runs: `runs` of each.
 */
export async function measureGithubAction({ root, photos, workDir, runs, log }) {
  const dir = join(workDir, 'github-action')
  const chosen = photos.slice(0, photoCount)
  const home = join(dir, 'home')
  const env = { ...process.env, REMBG_KIT_HOME: home, NO_PROXY: '127.0.0.1' }
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const pr = await makePullRequest(dir, chosen)
  const workspace = join(dir, 'workspace')
  await git(['clone', '--quiet', pr.remote, workspace], dir)
  await git(['checkout', '--quiet', '--detach', pr.headSha], workspace)
  const api = await startApi(pr.files)
  const runnerTemp = join(dir, 'runner-temp')
  await mkdir(runnerTemp, { recursive: true })
  const eventPath = join(runnerTemp, 'event.json')
  await writePayload(root, eventPath, pr)
  const actionEnv = {
    ...env,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: join(runnerTemp, 'output.txt'),
    GITHUB_STEP_SUMMARY: join(runnerTemp, 'summary.md'),
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: 'bench/shop',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    NODE_PATH: join(root, 'packages', 'core', 'node_modules'),
    INPUT_TOKEN: 'ghs_bench',
    INPUT_MODEL: 'isnet-imgly',
  }
  const entry = join(root, 'packages', 'github-action', 'dist', 'index.js')
  const cli = join(root, 'packages', 'core', 'bin', 'rembg-kit.js')
  const cliCache = join(dir, 'cli-cache')
  const inputs = join(dir, 'cli-photos')
  await mkdir(inputs, { recursive: true })
  for (const photo of chosen) await copyFile(photo.path, join(inputs, `${photo.name}.jpg`))
  const cliRun = () =>
    timedNode(
      [cli, 'remove', inputs, '-o', join(dir, 'cli-out/'), '--model', 'isnet-imgly', '--cache-dir', cliCache],
      dir,
      env,
    )
  const actionRun = async () => {
    await writeFile(actionEnv.GITHUB_OUTPUT, '')
    await writeFile(actionEnv.GITHUB_STEP_SUMMARY, '')
    const { wallMs, stdout } = await timedNode([entry], workspace, actionEnv)
    const line = stdout.match(
      /rembg-kit: (\d+) images?: (\d+) written, (\d+) unchanged, (\d+) failed; (\d+) inferences/,
    )
    if (line?.[4] !== '0' || /rejected/.test(stdout))
      throw new Error(`github action: unexpected run\n${stdout.slice(-2000)}`)
    return { wallMs, images: Number(line[1]), inferences: Number(line[5]) }
  }
  const coldAction = async () => {
    await rm(join(home, 'cache'), { recursive: true, force: true })
    await git(['update-ref', 'refs/heads/feature', pr.headSha], pr.remote)
    await rm(join(workspace, 'assets'), { recursive: true, force: true })
    await git(['checkout', '--quiet', '--', 'assets'], workspace)
    return actionRun()
  }
  const coldCli = async () => {
    await rm(cliCache, { recursive: true, force: true })
    return cliRun()
  }
  try {
    log('github action: converting the model into a home of its own')
    await timedNode(
      [cli, 'remove', chosen[0].path, '-o', join(dir, 'warmup.png'), '--model', 'isnet-imgly', '--no-cache'],
      dir,
      env,
    )
    const cold = { action: [], cli: [] }
    for (let i = 0; i < Math.min(runs, 2); i++) {
      log(`github action: cold action and CLI, ${i + 1}/${Math.min(runs, 2)}`)
      cold.action.push(await coldAction())
      cold.cli.push(await coldCli())
    }
    // Warm is the re-run a push of the action's own commit brings: the head holds the cutouts, the cache is kept.
    const pushed = await git(['rev-parse', 'refs/heads/feature'], pr.remote)
    await git(['fetch', '--quiet', 'origin'], workspace)
    // --force: the cold runs removed assets/, and a plain checkout would not bring back the photos that the two commits
    // share, leaving the warm action nothing to read (a run of 0 images compared with the CLI's 5).
    await git(['checkout', '--quiet', '--force', '--detach', pushed], workspace)
    await writePayload(root, eventPath, pr, pushed)
    const warm = { action: [], cli: [] }
    for (let i = 0; i < runs; i++) {
      log(`github action: warm action and CLI, ${i + 1}/${runs}`)
      const warmRun = await actionRun()
      if (warmRun.images !== chosen.length || warmRun.inferences !== 0)
        throw new Error(
          `github action: the warm run read ${warmRun.images} images with ${warmRun.inferences} inferences`,
        )
      warm.action.push(warmRun)
      warm.cli.push(await cliRun())
    }
    const wall = (list) => median(list.map((r) => r.wallMs))
    return {
      photos: chosen.length,
      cold: { actionMs: wall(cold.action), cliMs: wall(cold.cli), inferences: cold.action[0].inferences },
      warm: { actionMs: wall(warm.action), cliMs: wall(warm.cli), inferences: warm.action[0].inferences },
    }
  } finally {
    await api.close()
  }
}

/** The section: action and CLI wall times, cold and warm. */
export function githubActionSection(result) {
  const rows = ['cold', 'warm'].map((kind) => [
    `${kind} (${result[kind].inferences} inferences in the action)`,
    ms(result[kind].actionMs),
    ms(result[kind].cliMs),
    (result[kind].actionMs / result[kind].cliMs).toFixed(2),
  ])
  return [
    `GitHub Action on a pull request of ${result.photos} photos (dist/index.js as a runner starts it; loopback API, local git)`,
    table(['run', 'action ms', 'CLI ms', 'ratio'], rows),
  ].join('\n')
}

/** The summary's targets: the action at most 1.2x the CLI, cold and warm. */
export function githubActionTargets(result) {
  return ['cold', 'warm'].map((kind) => {
    const ratio = result[kind].actionMs / result[kind].cliMs
    return {
      label: `GitHub Action ${kind} <= ${githubActionGoal}x core's CLI on ${result.photos} photos (issue 14)`,
      figure: `${ratio.toFixed(2)}x (${ms(result[kind].actionMs)} ms / ${ms(result[kind].cliMs)} ms)`,
      ok: Number.isFinite(ratio) ? ratio <= githubActionGoal : null,
    }
  })
}
