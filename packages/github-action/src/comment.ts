/**
 * One comment per pull request, updated on every run: found by its hidden marker while paging through the issue's
 * comments (it may be past the first page), among those posted by the workflow token's bot, then PATCHed. A token
 * that may not comment (a fork's) is a note in the summary, never a failure.
 */
import type { Octokit } from './octokit.js'
import { commentMarker } from './report.js'

/** The login of `GITHUB_TOKEN`'s comments. */
const botLogin = 'github-actions[bot]'

export type CommentResult = { url: string; created: boolean } | { note: string }

export async function upsertComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  body: string,
): Promise<CommentResult> {
  try {
    const existing = await findComment(octokit, issue)
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({
        owner: issue.owner,
        repo: issue.repo,
        comment_id: existing,
        body,
      })
      return { url: data.html_url, created: false }
    }
    const { data } = await octokit.rest.issues.createComment({ ...issue, body })
    return { url: data.html_url, created: true }
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 403 || status === 404) {
      return {
        note: `The pull request comment was not written: the token may not comment here (HTTP ${status}; a fork's token is read-only).`,
      }
    }
    throw error
  }
}

async function findComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
): Promise<number | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issue, per_page: 100 })
  for await (const { data } of pages) {
    const mine = data.find(
      (comment) =>
        comment.body?.includes(commentMarker) && (comment.user?.login === botLogin || comment.user?.type === 'Bot'),
    )
    if (mine) return mine.id
  }
  return undefined
}
