import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout } from '../../../examples/test-support.js'
import {
  type ApiCall,
  checkout,
  commitFiles,
  FakeGitHub,
  git,
  makeRepo,
  pullRequestPayload,
  repoRoot,
  runAction,
  sceneImages,
  type TempRepo,
} from './harness.js'

const model = 'isnet-imgly'
const scene = (name: string) => readFile(join(sceneImages, `${name}.jpg`))
const lfsPointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 12345\n'
const blob = async (repo: TempRepo, ref: string, path: string) =>
  Buffer.from(
    (await import('node:child_process')).execFileSync('git', ['show', `${ref}:${path}`], { cwd: repo.remote }),
  )
const remoteHead = (repo: TempRepo) => git(['rev-parse', 'refs/heads/feature'], repo.remote)
const count = (calls: ApiCall[], method: string, pattern: RegExp) =>
  calls.filter((c) => c.method === method && pattern.test(c.path)).length
/**
 * The environment that makes the action's process report the heavy native libraries it loaded (sharp's libvips,
 * onnxruntime) into `report` when it exits: examples/report-loaded-libraries.cjs, preloaded through NODE_OPTIONS.
 */
const reportLoaded = (report: string): Record<string, string> => ({
  NODE_OPTIONS: `--require ${join(repoRoot, 'examples', 'report-loaded-libraries.cjs')}`,
  REMBG_KIT_LOADED_REPORT: report,
})
const loadedLibraries = async (report: string): Promise<string[]> =>
  JSON.parse(await readFile(report, 'utf8')) as string[]

let api: FakeGitHub
beforeAll(async () => {
  api = new FakeGitHub()
  await api.start()
})
afterAll(() => api.stop())

describe('a pull request adding two product images, an LFS pointer and 105 other files', () => {
  let repo: TempRepo
  let firstCommit: string
  const docs = Array.from({ length: 105 }, (_, i) => `docs/page-${String(i).padStart(3, '0')}.md`)

  beforeAll(async () => {
    repo = await makeRepo({
      ...Object.fromEntries(docs.map((path) => [path, `# ${path}\n`])),
      'assets/products/ball.jpg': await scene('ball'),
      'assets/products/box.jpg': await scene('box'),
      'assets/products/hero.png': lfsPointer,
    })
    api.calls.length = 0
    api.comments = []
    // Images after the documents: the action must follow the Link header to page 2 to find them.
    api.files = [
      ...docs.map((filename) => ({ filename, status: 'added' })),
      { filename: 'assets/products/ball.jpg', status: 'added' },
      { filename: 'assets/products/box.jpg', status: 'added' },
      { filename: 'assets/products/hero.png', status: 'added' },
    ]
  })

  it('processes the images, pushes one commit holding only the cutouts, reports LFS pointers and comments', async () => {
    const workspace = await checkout(repo, repo.headSha)
    const payload = await pullRequestPayload(repo, { changedFiles: api.files.length })
    const report = join(repo.dir, 'loaded-first-run.json')
    const run = await runAction({ repo, workspace, api, payload, inputs: { model }, env: reportLoaded(report) })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toMatchObject({ processed: '2', written: '2', failed: '0', skipped: '1', inferences: '2' })
    const libraries = await loadedLibraries(report)
    expect(libraries.some((name) => name.startsWith('libonnxruntime'))).toBe(true)
    expect(libraries.some((name) => name.startsWith('libvips'))).toBe(true)

    firstCommit = await remoteHead(repo)
    expect(run.outputs.commit).toBe(firstCommit)
    expect(await git(['rev-parse', `${firstCommit}^`], repo.remote)).toBe(repo.headSha)
    const changed = await git(['diff', '--name-only', repo.headSha, firstCommit], repo.remote)
    expect(changed.split('\n')).toEqual(['assets/products/ball.cutout.webp', 'assets/products/box.cutout.webp'])
    expect(await git(['log', '-1', '--format=%an <%ae>%n%B', firstCommit], repo.remote)).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n' +
        'Remove image backgrounds (rembg-kit)\n\nRembg-Kit: cutouts',
    )
    for (const name of ['ball', 'box']) {
      await expectCutout(await blob(repo, firstCommit, `assets/products/${name}.cutout.webp`), {
        format: 'webp',
        width: 640,
        height: 480,
      })
    }

    const filePages = api.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/pulls/7/files'))
    expect(filePages.map((c) => c.query.page ?? '1')).toEqual(['1', '2'])
    expect(count(api.calls, 'POST', /\/issues\/7\/comments$/)).toBe(1)
    expect(api.comments).toHaveLength(1)
    expect(api.comments[0]?.body).toContain('2 images: 2 written, 0 unchanged, 0 failed; 2 inferences, 0 from cache')
    expect(run.summary).toContain(
      'Not processed, Git LFS pointers (check out with `lfs: true`): `assets/products/hero.png`',
    )
    expect(run.summary).toContain(`Committed as ${firstCommit.slice(0, 7)} on \`feature\`.`)
  })

  it('a second run on the new head changes nothing, makes no inference, loads neither sharp nor onnxruntime and updates the one comment', async () => {
    const workspace = await checkout(repo, firstCommit)
    api.files.push(
      { filename: 'assets/products/ball.cutout.webp', status: 'added' },
      { filename: 'assets/products/box.cutout.webp', status: 'added' },
    )
    const payload = await pullRequestPayload(repo, { headSha: firstCommit, commits: 2, changedFiles: api.files.length })
    const before = api.calls.length
    const report = join(repo.dir, 'loaded-second-run.json')
    const run = await runAction({ repo, workspace, api, payload, inputs: { model }, env: reportLoaded(report) })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    // The branch holds every cutout already: nothing to upload as an artifact either.
    expect(run.outputs).toMatchObject({
      processed: '2',
      written: '0',
      inferences: '0',
      'from-cache': '2',
      commit: '',
      'artifact-path': '',
    })
    // Every cutout came from the cache: the run loaded neither sharp nor onnxruntime (nor, so, the model).
    expect(await loadedLibraries(report)).toEqual([])
    expect(await remoteHead(repo)).toBe(firstCommit)
    const calls = api.calls.slice(before)
    expect(count(calls, 'POST', /\/comments$/)).toBe(0)
    expect(count(calls, 'PATCH', /\/issues\/comments\/\d+$/)).toBe(1)
    expect(api.comments).toHaveLength(1)
    expect(api.comments[0]?.body).toContain('2 images: 0 written, 2 unchanged, 0 failed; 0 inferences, 2 from cache')
  })

  it('a re-run of the first run, whose cutouts commit the branch ends with, does nothing and says so', async () => {
    const workspace = await checkout(repo, repo.headSha)
    const payload = await pullRequestPayload(repo, { changedFiles: 108 })
    const before = api.calls.length
    const run = await runAction({ repo, workspace, api, payload, inputs: { model } })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const message = `Nothing new to commit: \`feature\` holds this run's cutouts already (${firstCommit.slice(0, 7)}).`
    expect(run.stdout).toContain(`::notice::${message}`)
    expect(run.summary).toContain(message)
    expect(run.outputs).toMatchObject({ processed: '0', inferences: '0', commit: '' })
    expect(await remoteHead(repo)).toBe(firstCommit)
    expect(api.calls.length).toBe(before)
  })
})

it('a fork pull request pushes nothing: the cutouts go to the artifact and the summary, a refused comment is a note', async () => {
  const repo = await makeRepo({ 'assets/vase.jpg': await scene('vase') })
  api.files = [{ filename: 'assets/vase.jpg', status: 'added' }]
  api.comments = []
  api.forbidComments = true
  try {
    const workspace = await checkout(repo, repo.headSha)
    const payload = await pullRequestPayload(repo, { fork: true })
    const run = await runAction({ repo, workspace, api, payload, inputs: { model } })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(await remoteHead(repo)).toBe(repo.headSha)
    expect(run.outputs.commit).toBe('')
    expect(run.outputs['artifact-path']).toBe(join(run.runnerTemp, 'rembg-kit-cutouts'))
    const staged = await readFile(join(run.outputs['artifact-path'] as string, 'assets', 'vase.cutout.webp'))
    await expectCutout(staged, { format: 'webp', width: 640, height: 480 })
    expect(run.summary).toContain('This pull request comes from a fork: its token is read-only, so nothing was pushed.')
    expect(run.summary).toContain('The cutouts are in the workflow artifact `rembg-kit-cutouts`.')
    expect(run.stdout).toContain(
      '::warning::The pull request comment was not written: the token may not comment here (HTTP 403; a fork',
    )
  } finally {
    api.forbidComments = false
  }
})

it('a corrupt image gets its error row while the others are done, and the job fails at the end', async () => {
  const repo = await makeRepo({ 'img/ball.jpg': await scene('ball'), 'img/broken.jpg': 'not an image at all' })
  api.files = [
    { filename: 'img/ball.jpg', status: 'added' },
    { filename: 'img/broken.jpg', status: 'added' },
  ]
  const workspace = await checkout(repo, repo.headSha)
  const run = await runAction({ repo, workspace, api, payload: await pullRequestPayload(repo, {}), inputs: { model } })
  expect(run.code).toBe(1)
  expect(run.outputs).toMatchObject({ processed: '1', failed: '1' })
  expect(run.summary).toContain(
    '| [img/broken.jpg](https://github.com/octo/shop/blob/' +
      `${repo.headSha}/img/broken.jpg) | ❌ File does not appear to be a valid image (invalid file signature) |`,
  )
  expect(run.stdout).toContain('::error::rembg-kit: 1 of 2 images failed')
  await expectCutout(await blob(repo, 'feature', 'img/ball.cutout.webp'), { format: 'webp' })
})

it('max-files bounds the run; the images past it are listed, not processed', async () => {
  const repo = await makeRepo({ 'a/ball.jpg': await scene('ball'), 'a/box.jpg': await scene('box') })
  api.files = [
    { filename: 'a/ball.jpg', status: 'added' },
    { filename: 'a/box.jpg', status: 'added' },
  ]
  const workspace = await checkout(repo, repo.headSha)
  const payload = await pullRequestPayload(repo, {})
  const run = await runAction({ repo, workspace, api, payload, inputs: { model, 'max-files': '1', comment: 'false' } })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  expect(run.outputs).toMatchObject({ processed: '1', skipped: '1' })
  expect(JSON.parse(run.outputs.files as string).map((f: { input: string }) => f.input)).toEqual(['a/ball.jpg'])
  expect(run.summary).toContain('1 more image(s) not processed: `max-files` is 1.')
  expect(await git(['diff', '--name-only', repo.headSha, 'feature'], repo.remote)).toBe('a/ball.cutout.webp')
})

it('without a token the changed files come from git (base...head) and nothing is asked of the API', async () => {
  const repo = await makeRepo({ 'p/ball.jpg': await scene('ball') })
  const workspace = await checkout(repo, repo.headSha)
  const before = api.calls.length
  const run = await runAction({
    repo,
    workspace,
    api,
    payload: await pullRequestPayload(repo, {}),
    inputs: { model, token: '', commit: 'false', artifact: 'false' },
  })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  expect(run.outputs).toMatchObject({ processed: '1', written: '1', commit: '', 'artifact-path': '' })
  expect(api.calls.length).toBe(before)
  await expectCutout(await readFile(join(workspace, 'p', 'ball.cutout.webp')), { format: 'webp' })
})

it('a bad input value fails the step with core’s message and the input’s name', async () => {
  const repo = await makeRepo({ 'p/ball.jpg': await scene('ball') })
  const workspace = await checkout(repo, repo.headSha)
  const payload = await pullRequestPayload(repo, {})
  const bad = await runAction({ repo, workspace, api, payload, inputs: { w: 'abc' } })
  expect(bad.code).toBe(1)
  expect(bad.stdout).toContain("::error::Input 'w': 'w' must be an integer, got: 'abc'")
  const two = await runAction({ repo, workspace, api, payload, inputs: { format: 'gif', bg_color: 'nope' } })
  expect(two.stdout).toContain(
    "::error::Multiple validation errors%0A  Input 'format': Invalid format 'gif'. Allowed formats: PNG, JPEG, WEBP, BMP" +
      "%0A  Input 'bg_color': Invalid color format 'nope'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA",
  )
  expect(await remoteHead(repo)).toBe(repo.headSha)
})

it('on workflow_dispatch the paths are taken over the checkout and the cutouts committed to the branch', async () => {
  const repo = await makeRepo({ 'shop/ball.jpg': await scene('ball'), 'other/box.jpg': await scene('box') })
  const workspace = await checkout(repo, repo.headSha)
  const before = api.calls.length
  const run = await runAction({
    repo,
    workspace,
    api,
    event: 'workflow_dispatch',
    payload: { inputs: {} },
    inputs: { model, paths: 'shop/**' },
    env: { GITHUB_REF: 'refs/heads/feature' },
  })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  expect(JSON.parse(run.outputs.files as string).map((f: { input: string }) => f.input)).toEqual(['shop/ball.jpg'])
  expect(await git(['diff', '--name-only', repo.headSha, 'feature'], repo.remote)).toBe('shop/ball.cutout.webp')
  expect(api.calls.length).toBe(before)
})

it('a re-run of an old run after newer commits were pushed says the branch moved on and does nothing', async () => {
  const repo = await makeRepo({ 'p/ball.jpg': await scene('ball') })
  api.files = [{ filename: 'p/ball.jpg', status: 'added' }]
  const payload = await pullRequestPayload(repo, {})
  // The author pushes again after the event: the run for that push owns the branch now.
  const author = await checkout(repo, repo.headSha)
  await commitFiles(author, { 'p/notes.md': 'newer\n' }, 'newer work')
  await git(['push', 'origin', 'HEAD:refs/heads/feature'], author)
  const newer = await remoteHead(repo)
  const workspace = await checkout(repo, repo.headSha)
  const before = api.calls.length
  const run = await runAction({ repo, workspace, api, payload, inputs: { model } })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  const message =
    `The branch \`feature\` moved on (now ${newer.slice(0, 7)}, this run is for ${repo.headSha.slice(0, 7)}): ` +
    'nothing committed; the newer run handles it.'
  expect(run.stdout).toContain(`::notice::${message}`)
  expect(run.summary).toContain(message)
  expect(run.summary).not.toContain('rejected')
  expect(run.outputs).toMatchObject({ processed: '0', written: '0', inferences: '0', commit: '' })
  expect(await remoteHead(repo)).toBe(newer)
  // Nothing asked of the API either: the newer run lists the files and owns the comment.
  expect(api.calls.length).toBe(before)
})
