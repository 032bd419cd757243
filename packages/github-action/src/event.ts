/**
 * What the workflow run is about, from the event GitHub delivered: a pull request (its base and head commits, where
 * its branch lives, whether it comes from a fork) or a tree to backfill (`push`, `workflow_dispatch`).
 */
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
