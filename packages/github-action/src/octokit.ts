/**
 * The REST client: @actions/github's Octokit (the same plugins, base URL, auth and user agent), on Node's own fetch.
 * @actions/github sends every request through its bundled undici, 800 KB of JavaScript that each run would compile
 * and start, for the one case of a runner behind a proxy (Node's fetch ignores the proxy variables). So that package
 * is imported only when a proxy variable is set, and getOctokit's options are built here otherwise.
 */
import { Octokit as OctokitCore } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'

const GitHub = OctokitCore.plugin(restEndpointMethods, paginateRest)
export type Octokit = InstanceType<typeof GitHub>

/** What @actions/http-client reads to route requests through a proxy. */
const proxyVariables = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

export async function createOctokit(token: string, env: NodeJS.ProcessEnv): Promise<Octokit> {
  if (proxyVariables.some((name) => env[name])) {
    const { getOctokit } = await import('@actions/github')
    return getOctokit(token)
  }
  // As @actions/github's getUserAgentWithOrchestrationId tags each request with the run's orchestration.
  const orchestration = env.ACTIONS_ORCHESTRATION_ID?.trim()
  return new GitHub({
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    auth: `token ${token}`,
    ...(orchestration ? { userAgent: `actions_orchestration_id/${orchestration.replace(/[^a-z0-9_.-]/gi, '_')}` } : {}),
  })
}
