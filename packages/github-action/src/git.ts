/** Runs git in the checkout. Arguments are passed as an array, never through a shell: paths may hold any character. */
import { execFile } from 'node:child_process'

export interface GitOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  /** Text written to git's stdin. */
  input?: string
}

/**
 * @returns git's stdout.
 * @throws Error whose message holds git's stderr (`git push` rejections are reported from it).
 * @example
 * const head = (await git(['rev-parse', 'HEAD'], { cwd })).trim()
 */
export function git(args: string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`))
        else resolve(stdout)
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

/** Whether `sha` names a commit present in the local repository. */
export async function hasCommit(sha: string, cwd: string): Promise<boolean> {
  return git(['cat-file', '-e', `${sha}^{commit}`], { cwd }).then(
    () => true,
    () => false,
  )
}

/** Fetches commits the checkout lacks (actions/checkout fetches one commit, the merge commit, by default). */
export async function ensureCommits(shas: string[], cwd: string, depth?: number): Promise<void> {
  const missing: string[] = []
  for (const sha of shas) if (!(await hasCommit(sha, cwd))) missing.push(sha)
  if (missing.length === 0) return
  const deepen = depth === undefined ? [] : [`--depth=${depth}`]
  await git(['fetch', '--no-tags', ...deepen, 'origin', ...missing], { cwd })
}
