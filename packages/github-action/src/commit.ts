/**
 * Commits the cutouts onto the pull request's head commit and pushes them to its branch. actions/checkout checks out
 * the merge commit, so the commit is built with git's plumbing on `head.sha` (a temporary index holding head's tree
 * plus the outputs: nothing else can slip in, and the checkout's own index is untouched), then pushed without force:
 * a branch that moved meanwhile rejects it, and that is reported rather than overwritten.
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PullRequestTarget } from './event.js'
import { ensureCommits, git } from './git.js'

/** Marks the action's commits, so the files they wrote are never taken as new inputs (in-place outputs above all). */
export const commitTrailer = 'Rembg-Kit: cutouts'

export interface CommitRequest {
  cwd: string
  headSha: string
  /** Repository-relative paths of the outputs written in the checkout. */
  outputs: string[]
  message: string
  author: { name: string; email: string }
}

/**
 * @returns the new commit's sha, or null when head already holds these exact outputs.
 * @example
 * const sha = await commitOutputs({ cwd, headSha, outputs: ['a.cutout.webp'], message, author })
 */
export async function commitOutputs(request: CommitRequest): Promise<string | null> {
  const { cwd, headSha } = request
  await ensureCommits([headSha], cwd, 1)
  const index = join(tmpdir(), `rembg-kit-index-${randomBytes(6).toString('hex')}`)
  const env = { GIT_INDEX_FILE: index }
  try {
    await git(['read-tree', headSha], { cwd, env })
    const blobs = (await git(['hash-object', '-w', '--stdin-paths'], { cwd, input: `${request.outputs.join('\n')}\n` }))
      .trim()
      .split('\n')
    const entries = request.outputs.map((path, i) => `100644 ${blobs[i]}\t${path}\n`).join('')
    await git(['update-index', '--add', '--index-info'], { cwd, env, input: entries })
    const tree = (await git(['write-tree'], { cwd, env })).trim()
    if (tree === (await git(['rev-parse', `${headSha}^{tree}`], { cwd })).trim()) return null
    const who = { NAME: request.author.name, EMAIL: request.author.email }
    const identity = Object.fromEntries(
      ['AUTHOR', 'COMMITTER'].flatMap((role) => Object.entries(who).map(([k, v]) => [`GIT_${role}_${k}`, v])),
    )
    const message = `${request.message}\n\n${commitTrailer}\n`
    return (await git(['commit-tree', tree, '-p', headSha, '-F', '-'], { cwd, env: identity, input: message })).trim()
  } finally {
    await rm(index, { force: true })
  }
}

/** Pushes `commit` to the head branch, fast-forward only. @throws Error with git's rejection when the branch moved. */
export async function pushCommit(commit: string, headRef: string, cwd: string): Promise<void> {
  await git(['push', 'origin', `${commit}:refs/heads/${headRef}`], { cwd })
}

/**
 * The commit the remote's branch points at now (`git ls-remote`, which asks the remote, not the checkout's copy of
 * it), or null when the branch is gone or the remote cannot be asked: the push then reports what happens.
 */
export async function remoteBranchTip(headRef: string, cwd: string): Promise<string | null> {
  const line = await git(['ls-remote', '--heads', 'origin', `refs/heads/${headRef}`], { cwd }).catch(() => '')
  return /^[0-9a-f]{40,64}/.exec(line)?.[0] ?? null
}

/** What a run for `headSha` reports when the branch moved on: a newer run (or a person) owns the branch now. */
export function movedOnMessage(headRef: string, tip: string, headSha: string): string {
  return `The branch \`${headRef}\` moved on (now ${tip.slice(0, 7)}, this run is for ${headSha.slice(0, 7)}): nothing committed; the newer run handles it.`
}

/**
 * Whether `tip` is the action's own commit on `headSha`: a re-run of the run that pushed it (a push with GITHUB_TOKEN
 * starts no newer run), so the branch holds this run's cutouts already.
 */
export async function isOwnCommitOn(tip: string, headSha: string, cwd: string): Promise<boolean> {
  try {
    await ensureCommits([tip], cwd, 1)
    const [parents = '', body = ''] = (await git(['log', '-1', '--format=%P%x1f%B', tip], { cwd })).split('\x1f')
    return parents.trim() === headSha && body.split('\n').some((line) => line.trim() === commitTrailer)
  } catch {
    return false
  }
}

/**
 * The files whose latest change in the pull request's commits came from the action: they are its outputs, whatever
 * their names. Reads the last `commits` commits of head (fetched if the checkout lacks them).
 */
export async function filesWrittenByAction(target: PullRequestTarget, cwd: string): Promise<Set<string>> {
  await ensureCommits([target.headSha], cwd, target.commits + 1)
  const log = await git(
    [
      '-c',
      'core.quotePath=false',
      'log',
      '--reverse',
      '--format=%x1e%B%x1f',
      '--name-only',
      '-n',
      String(target.commits),
      target.headSha,
    ],
    { cwd },
  ).catch(() => '')
  const written = new Set<string>()
  for (const entry of log.split('\x1e').slice(1)) {
    const [body = '', names = ''] = entry.split('\x1f')
    const byAction = body.split('\n').some((line) => line.trim() === commitTrailer)
    for (const path of names.split('\n').filter(Boolean)) {
      if (byAction) written.add(path)
      else written.delete(path)
    }
  }
  return written
}
