/**
 * The action's REST client is @actions/github's Octokit rebuilt on Node's fetch (src/octokit.ts), and @actions/github
 * itself when the runner sets a proxy variable. Both must look the same to GitHub: the token, the user agent with the
 * run's orchestration id, the media type. (Loopback is never proxied, so both reach this server directly.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { checkout, FakeGitHub, makeRepo, pullRequestPayload, runAction } from './harness.js'

let api: FakeGitHub
beforeAll(async () => {
  api = new FakeGitHub()
  await api.start()
})
afterAll(() => api.stop())

it('the REST calls carry the same token, user agent and media type with or without a proxy variable (then @actions/github makes them)', async () => {
  // A pull request without images: the run lists its files through the API and has nothing else to do.
  const repo = await makeRepo({ 'docs/guide.md': '# guide\n' })
  api.files = [{ filename: 'docs/guide.md', status: 'added' }]
  const payload = await pullRequestPayload(repo, {})
  const callsOf = async (env: Record<string, string>) => {
    const before = api.calls.length
    const workspace = await checkout(repo, repo.headSha)
    const run = await runAction({ repo, workspace, api, payload, inputs: { token: 'ghs_proxy_test' }, env })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toMatchObject({ processed: '0', failed: '0' })
    return api.calls.slice(before)
  }
  const orchestration = { ACTIONS_ORCHESTRATION_ID: 'run 42.1' }
  const direct = await callsOf(orchestration)
  const proxied = await callsOf({
    ...orchestration,
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  })
  expect(direct.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /repos/octo/shop/pulls/7/files'])
  expect(proxied.map((c) => `${c.method} ${c.path}`)).toEqual(direct.map((c) => `${c.method} ${c.path}`))
  expect(direct[0]?.headers.authorization).toBe('token ghs_proxy_test')
  expect(direct[0]?.headers['user-agent']).toMatch(/^actions_orchestration_id\/run_42\.1 octokit-core\.js\//)
  expect(proxied[0]?.headers).toEqual(direct[0]?.headers)
})
