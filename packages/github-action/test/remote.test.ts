/**
 * The action with `engine: remote` against @rembg-kit/server on loopback: on the same pull request it commits cutouts
 * with the same pixels as a local-engine run, the images are counted on the key, and the key shows nowhere a user or
 * a log reader could see it (GitHub is told to mask it, and that command line is the only place it is written).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout } from '../../../examples/test-support.js'
import {
  expectNoKey,
  expectSamePixels,
  membershipUsage,
  type RembgServerProcess,
  type ServerKey,
  startRembgServer,
} from '../../../examples/test-support-server.js'
import {
  type ActionRun,
  checkout,
  FakeGitHub,
  makeRepo,
  pullRequestPayload,
  repoRoot,
  runAction,
  sceneImages,
  type TempRepo,
} from './harness.js'

const key: ServerKey = { key: 'rk_test_adapters_0001', membership: 'Test', credits: 100, prepaidCredits: 0 }
const images = ['assets/products/ball.jpg', 'assets/products/box.jpg']
const cutouts = ['assets/products/ball.cutout.webp', 'assets/products/box.cutout.webp']

interface PullRequestRun {
  repo: TempRepo
  run: ActionRun
  /** The committed cutouts, by path. */
  committed: Map<string, Buffer>
}

/** A pull request adding the two scenes, in a repository of its own (so a cold cache), and one action run on it. */
async function runOnPullRequest(
  api: FakeGitHub,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<PullRequestRun> {
  const scenes = await Promise.all(images.map((path) => readFile(join(sceneImages, path.split('/').at(-1) as string))))
  const repo = await makeRepo(Object.fromEntries(images.map((path, i) => [path, scenes[i] as Buffer])))
  api.files = images.map((filename) => ({ filename, status: 'added' }))
  api.comments = []
  const workspace = await checkout(repo, repo.headSha)
  const run = await runAction({ repo, workspace, api, payload: await pullRequestPayload(repo, {}), inputs, env })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  const committed = new Map(
    cutouts.map((path) => [
      path,
      execFileSync('git', ['show', `refs/heads/feature:${path}`], { cwd: repo.remote, maxBuffer: 64 * 1024 * 1024 }),
    ]),
  )
  return { repo, run, committed }
}

/** Every file the run left outside Git's object store: runner temp, result cache, checkouts (not the model symlink). */
async function filesOfRun(repo: TempRepo): Promise<Record<string, Buffer>> {
  const entries = await readdir(repo.dir, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !/(^|\/)(\.git|remote\.git)\//.test(relative(repo.dir, file)))
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, await readFile(file)] as const)))
}

describe('the action with engine: remote against rembg-kit-server, on a pull request adding two images', () => {
  let api: FakeGitHub
  let server: RembgServerProcess
  let local: PullRequestRun
  let remote: PullRequestRun
  let comment = ''
  let runtime = ''

  beforeAll(async () => {
    api = new FakeGitHub()
    await api.start()
    server = await startRembgServer({ keys: [key] })
    local = await runOnPullRequest(api, { model: 'isnet-imgly' })
    // What action.yml installs for engine: remote: sharp alone, no onnxruntime-node (the remote run must not need it).
    runtime = await mkdtemp(join(tmpdir(), 'rembg-kit-remote-runtime-'))
    await mkdir(join(runtime, 'node_modules'))
    await symlink(
      await realpath(join(repoRoot, 'packages/core/node_modules/sharp')),
      join(runtime, 'node_modules/sharp'),
    )
    remote = await runOnPullRequest(
      api,
      { model: 'isnet-imgly', engine: 'remote', 'api-key': key.key, 'base-url': server.url },
      { NODE_PATH: join(runtime, 'node_modules') },
    )
    comment = api.comments.map((c) => c.body).join('\n')
  })

  afterAll(async () => {
    await server?.stop()
    await api?.stop()
    for (const run of [local, remote]) if (run) await rm(run.repo.dir, { recursive: true, force: true })
    if (runtime) await rm(runtime, { recursive: true, force: true })
  })

  it('commits the same two cutouts as the local run, with the same pixels', async () => {
    expect(remote.run.outputs).toMatchObject({ processed: '2', written: '2', failed: '0', inferences: '2' })
    expect(local.run.outputs).toMatchObject({ processed: '2', written: '2', failed: '0', inferences: '2' })
    for (const path of cutouts) {
      await expectSamePixels(
        local.committed.get(path) as Buffer,
        remote.committed.get(path) as Buffer,
        `action ${path}`,
      )
    }
  })

  it('commits cutouts a user sees: transparent corners, opaque object', async () => {
    for (const path of cutouts) {
      await expectCutout(remote.committed.get(path) as Buffer, { format: 'webp', width: 640, height: 480 })
    }
  })

  it("counts the two images on the key's membership usage", async () => {
    const usage = await membershipUsage(server.url, key.key)
    expect(usage).toMatchObject({ membership: 'Test', credits: 100, prepaidCredits: 0, api_usage: 2 })
  })

  it('writes the key only in the command that masks it: not in logs, summary, outputs, comment or files', async () => {
    const files = await filesOfRun(remote.repo)
    // The result cache and the runner's temp folder are among the files read.
    const scanned = Object.keys(files).map((file) => relative(remote.repo.dir, file))
    expect(scanned.some((file) => file.startsWith('home/cache/'))).toBe(true)
    expect(scanned.some((file) => file.startsWith('runner-temp-'))).toBe(true)
    const maskCommand = `::add-mask::${key.key}`
    const stdoutLines = remote.run.stdout.split('\n')
    expect(stdoutLines.filter((line) => line.includes(key.key))).toEqual([maskCommand])
    expectNoKey(key.key, {
      'action log': stdoutLines.filter((line) => line !== maskCommand).join('\n'),
      'action stderr': remote.run.stderr,
      'step summary': remote.run.summary,
      outputs: JSON.stringify(remote.run.outputs),
      'pull request comment': comment,
      'commit message': execFileSync('git', ['log', '-1', '--format=%B', 'refs/heads/feature'], {
        cwd: remote.repo.remote,
      }),
      'server log': server.logs(),
      ...files,
    })
  })
})
