/**
 * The files a pull request adds or changes, base...head: from the REST API (100 a page, at most 3000 files), or from
 * git when the API cannot list them all or there is no token. Removed files and the old names of renamed ones are
 * left out; a renamed or copied file counts under its new name.
 */
import type { PullRequestTarget } from './event.js'
import { ensureCommits, git } from './git.js'
import type { Octokit } from './octokit.js'

export interface ChangedFiles {
  paths: string[]
  source: 'rest-api' | 'git'
}

/** GitHub's listing stops at 3000 files (docs: "List pull requests files"). */
export const apiFileLimit = 3000
const keptStatuses = new Set(['added', 'modified', 'renamed', 'copied', 'changed'])

export async function listChangedFiles(
  target: PullRequestTarget,
  context: { octokit: Octokit | null; owner: string; repo: string; cwd: string },
): Promise<ChangedFiles> {
  if (context.octokit && target.changedFiles <= apiFileLimit) {
    const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
      owner: context.owner,
      repo: context.repo,
      pull_number: target.number,
      per_page: 100,
    })
    return { paths: files.filter((f) => keptStatuses.has(f.status)).map((f) => f.filename), source: 'rest-api' }
  }
  return { paths: await gitChangedFiles(target, context.cwd), source: 'git' }
}

/** `git diff --name-status base...head`, fetching the two commits (and history down to their merge base) if absent. */
async function gitChangedFiles(target: PullRequestTarget, cwd: string): Promise<string[]> {
  await ensureCommits([target.baseSha, target.headSha], cwd)
  const range = `${target.baseSha}...${target.headSha}`
  const diff = () => git(['diff', '--name-status', '-z', '--find-renames', range], { cwd })
  const output = await diff().catch(async () => {
    // A shallow checkout lacks the merge base: fetch the whole history once, then ask again.
    await git(['fetch', '--no-tags', '--unshallow', 'origin'], { cwd }).catch(() => undefined)
    return diff()
  })
  return parseNameStatus(output)
}

/** Parses `--name-status -z`: `M\0path\0`, `R100\0old\0new\0`; keeps added, modified, type-changed and new names. */
export function parseNameStatus(output: string): string[] {
  const fields = output.split('\0')
  const paths: string[] = []
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i] as string
    const twoPaths = status.startsWith('R') || status.startsWith('C')
    const path = fields[twoPaths ? i + 2 : i + 1] as string
    if (/^[AMRCT]/.test(status)) paths.push(path)
    i += twoPaths ? 3 : 2
  }
  return paths
}

/** Every tracked file of the checkout (`push` and `workflow_dispatch` backfill what `paths` selects). */
export async function listTrackedFiles(cwd: string): Promise<string[]> {
  return (await git(['ls-files', '-z'], { cwd })).split('\0').filter(Boolean)
}
