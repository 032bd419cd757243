/**
 * What the workflow run is about, from the event GitHub delivered: a pull request (its base and head commits, where
 * its branch lives, whether it comes from a fork) or a tree to backfill (`push`, `workflow_dispatch`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { RembgError } from '@rembg-kit/core'

export interface PullRequestTarget {
  kind: 'pull-request'
  number: number
  baseSha: string
  headSha: string
  headRef: string
  /** `owner/name` of the repository holding the head branch; null when the fork was deleted. */
  headRepo: string | null
  baseRepo: string
  /** A fork's token is read-only whatever `permissions:` says: no push, maybe no comment. */
  fork: boolean
  /** The payload's `changed_files`: past 3000 the REST API stops listing them. */
  changedFiles: number
  commits: number
}

export interface TreeTarget {
  kind: 'tree'
}

export type Target = PullRequestTarget | TreeTarget

const pullRequestEvents = ['pull_request', 'pull_request_target']
const treeEvents = ['push', 'workflow_dispatch', 'schedule']

interface PullRequestPayload {
  number: number
  changed_files?: number
  commits?: number
  base: { sha: string; repo: { full_name: string } }
  head: { sha: string; ref: string; repo: { full_name: string } | null }
}

/**
 * @throws RembgError for an event the action does not handle.
 * @example
 * readTarget('push', payload) // { kind: 'tree' }
 */
export function readTarget(eventName: string, payload: Record<string, unknown>): Target {
  if (treeEvents.includes(eventName)) return { kind: 'tree' }
  const pr = payload.pull_request as PullRequestPayload | undefined
  if (!pullRequestEvents.includes(eventName) || !pr) {
    throw new RembgError(
      `rembg-kit runs on ${[...pullRequestEvents, ...treeEvents].join(', ')} events, not on '${eventName || 'none'}'`,
      { status: 400, code: 'UNSUPPORTED_EVENT' },
    )
  }
  const headRepo = pr.head.repo?.full_name ?? null
  return {
    kind: 'pull-request',
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    headRepo,
    baseRepo: pr.base.repo.full_name,
    fork: headRepo !== pr.base.repo.full_name,
    changedFiles: pr.changed_files ?? 0,
    commits: pr.commits ?? 1,
  }
}

/** The event of the run, read as @actions/github's `context` reads it. */
export interface RunEvent {
  name: string
  payload: Record<string, unknown>
}

/**
 * Reads the event the runner delivered (GITHUB_EVENT_NAME, the payload at GITHUB_EVENT_PATH, GITHUB_REPOSITORY) as
 * @actions/github's `context` does: importing that package for it would load its Octokit and undici (about 1 MB) on
 * every run, when only pull requests call the REST API.
 */
export function readEvent(env: NodeJS.ProcessEnv): RunEvent {
  const path = env.GITHUB_EVENT_PATH
  let payload: Record<string, unknown> = {}
  if (path && existsSync(path)) payload = JSON.parse(readFileSync(path, 'utf8'))
  else if (path) process.stdout.write(`GITHUB_EVENT_PATH ${path} does not exist\n`)
  return { name: env.GITHUB_EVENT_NAME ?? '', payload }
}

/** The repository of the run, as `context.repo` gives it (and with its error when neither source names it). */
export function eventRepo(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): { owner: string; repo: string } {
  if (env.GITHUB_REPOSITORY) {
    const [owner = '', repo = ''] = env.GITHUB_REPOSITORY.split('/')
    return { owner, repo }
  }
  const repository = payload.repository as { owner: { login: string }; name: string } | undefined
  if (repository) return { owner: repository.owner.login, repo: repository.name }
  throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'")
}
