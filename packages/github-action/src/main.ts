/**
 * The action from start to end: read the inputs and the event, list the changed images, make the cutouts with core,
 * deliver them (a commit on the pull request's branch, or an artifact), then report (outputs, job summary, one
 * comment). Every file's failure is reported and the job fails at the end only if `fail-on-error` says so.
 */
import { cp, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as core from '@actions/core'
import { createRemover, modelDirs } from '@rembg-kit/core'
import { listChangedFiles, listTrackedFiles } from './changed-files.js'
import { upsertComment } from './comment.js'
import {
  commitOutputs,
  filesWrittenByAction,
  isOwnCommitOn,
  movedOnMessage,
  pushCommit,
  remoteBranchTip,
} from './commit.js'
import { eventRepo, readEvent, readTarget, type Target } from './event.js'
import { git } from './git.js'
import { type ActionOptions, inputError, inputVariable, readOptions } from './inputs.js'
import type { Octokit } from './octokit.js'
import { type Plan, planFiles } from './plan.js'
import { type FileResult, processFiles } from './process-files.js'
import { commentLimit, countLine, formatReport, type Report, summaryLimit } from './report.js'

export const artifactName = 'rembg-kit-cutouts'

interface Delivery {
  /** The commit pushed, if any. */
  commit: string | null
  /** The folder to upload as the artifact, if any. */
  artifactPath: string | null
  outcome: string
  notes: string[]
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Masked before anything else runs: setSecret hides only what is printed after it.
  const apiKey = env[inputVariable('api-key')]?.trim()
  if (apiKey) core.setSecret(apiKey)
  if (process.platform !== 'linux') {
    throw new Error(
      `rembg-kit's action runs on Linux runners (ubuntu-latest), not on ${process.platform}/${process.arch}`,
    )
  }
  const options = readOptions(env)
  if (options.engine === 'local' && (options.apiKey || options.baseUrl))
    core.warning("rembg-kit: 'api-key' and 'base-url' are for a remote engine; the local engine ignores them")
  const cwd = env.GITHUB_WORKSPACE || process.cwd()
  const event = readEvent(env)
  const target = readTarget(event.name, event.payload)
  if (target.kind === 'tree' && options.output.kind === 'in-place') {
    // Only a pull request's commits tell the action's own in-place outputs apart; a backfill would cut them again.
    throw inputError('output', "'in-place' works on pull requests only; on push and workflow_dispatch name the outputs")
  }
  // Only a pull request calls the REST API (its files, its comment): its client (a chunk of its own in the bundle) is
  // imported and made while git answers below.
  const token = target.kind === 'pull-request' ? options.token : ''
  const octokitReady = token ? import('./octokit.js').then(({ createOctokit }) => createOctokit(token, env)) : null
  // Awaited below; a failure before then is not an unhandled rejection (nor, on the moved-on path, ever one).
  octokitReady?.catch(() => undefined)
  const movedOn = await branchMovedOn(target, options, cwd)
  if (movedOn) {
    // A re-run of an old run: the run for the branch's new head does the work (and owns the comment), this one nothing.
    core.notice(movedOn)
    const delivery: Delivery = { commit: null, artifactPath: null, outcome: movedOn, notes: [] }
    setOutputs([], { files: [], lfsPointers: [], refused: [], overLimit: [] }, delivery)
    await writeSummary({ results: [], notes: [], outcome: movedOn }, env)
    return
  }
  const repo = eventRepo(env, event.payload)
  const plan = await plan_(target, options, octokitReady, repo, cwd)
  core.info(`rembg-kit: ${plan.files.length} image(s) to process`)
  const remover = createRemover({
    engine: options.engine,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    model: options.model,
    ...(options.preset === 'quality' ? {} : { preset: options.preset }),
    cacheDir: options.cache ? join(dirname(modelDirs(env).home), 'cache') : false,
    log: (line) => core.info(line),
  })
  const results = [...refusedResults(plan), ...(await processFiles(plan.files, remover, options.params, cwd))]
  results.sort((a, b) => a.input.localeCompare(b.input))
  for (const result of results) logResult(result)
  const delivery = await deliver(results, target, options, cwd, env)
  const report: Report = {
    results,
    notes: [...planNotes(plan, options), ...delivery.notes],
    outcome: delivery.outcome,
    links: blobLinks(target, delivery.commit, env),
  }
  setOutputs(results, plan, delivery)
  await writeSummary(report, env)
  const octokit = await octokitReady
  if (target.kind === 'pull-request' && options.comment && octokit && (results.length > 0 || report.notes.length > 0)) {
    await comment(octokit, repo, target.number, report)
  }
  const failed = results.filter((r) => r.status === 'failed').length
  if (failed > 0 && options.failOnError) core.setFailed(`rembg-kit: ${failed} of ${results.length} images failed`)
}

async function plan_(
  target: Target,
  options: ActionOptions,
  octokitReady: Promise<Octokit> | null,
  { owner, repo }: { owner: string; repo: string },
  cwd: string,
): Promise<Plan> {
  // The listing (the REST API, or git) and the history of the action's own commits (git) do not wait for each other.
  const [paths, writtenByAction] = await Promise.all([
    target.kind === 'tree'
      ? listTrackedFiles(cwd)
      : Promise.resolve(octokitReady)
          .then((octokit) => listChangedFiles(target, { octokit, owner, repo, cwd }))
          .then((listed) => listed.paths),
    target.kind === 'pull-request' ? filesWrittenByAction(target, cwd) : new Set<string>(),
  ])
  return planFiles(paths, { ...options, format: options.params.format, cwd, writtenByAction })
}

const refusedResults = (plan: Plan): FileResult[] =>
  plan.refused.map((r) => ({
    input: r.input,
    output: r.output,
    status: 'failed',
    error: r.message,
    bytesBefore: 0,
    ms: 0,
  }))

function logResult(result: FileResult): void {
  if (result.status === 'failed') {
    core.error(`${result.input}: ${result.error}`, { file: result.input, title: 'rembg-kit' })
    return
  }
  const size = `${result.width}x${result.height}`
  core.info(
    `ok   ${result.input} -> ${result.output} (${size}, ${Math.round(result.ms)} ms, ${result.cache}, ${result.status})`,
  )
}

function planNotes(plan: Plan, options: ActionOptions): string[] {
  const notes: string[] = []
  if (plan.lfsPointers.length > 0) {
    notes.push(
      `Not processed, Git LFS pointers (check out with \`lfs: true\`): ${plan.lfsPointers.map((p) => `\`${p}\``).join(', ')}`,
    )
  }
  if (plan.overLimit.length > 0) {
    notes.push(`${plan.overLimit.length} more image(s) not processed: \`max-files\` is ${options.maxFiles}.`)
  }
  return notes
}

/** Commits and pushes where the token may, else stages the outputs for upload-artifact. */
async function deliver(
  results: FileResult[],
  target: Target,
  options: ActionOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Delivery> {
  const outputs = results.filter((r) => r.status !== 'failed').map((r) => r.output)
  const notes: string[] = []
  let commit: string | null = null
  // The branch already holds every cutout byte for byte (a re-run, a push of the action's own commit).
  let onBranch = false
  let outcome = outputs.length === 0 ? 'No cutouts written.' : 'Cutouts not committed (`commit: false`).'
  const branch = await commitBranch(target, cwd, env)
  if (outputs.length > 0 && options.commit && branch === null && target.kind === 'pull-request') {
    outcome = 'Cutouts not committed.'
    notes.push('This pull request comes from a fork: its token is read-only, so nothing was pushed.')
  } else if (outputs.length > 0 && options.commit && branch) {
    // Every cutout already stood in the checkout byte for byte (a re-run): nothing to build a commit of, no git to run.
    const nothingWritten = results.every((result) => result.status !== 'written')
    const made = nothingWritten
      ? null
      : await commitOutputs({
          cwd,
          headSha: branch.sha,
          outputs,
          message: options.commitMessage,
          author: options.commitAuthor,
        })
    if (made === null) {
      onBranch = true
      outcome = `Nothing new to commit: \`${branch.ref}\` holds these cutouts.`
    } else {
      try {
        await pushCommit(made, branch.ref, cwd)
        commit = made
        outcome = `Committed as ${made.slice(0, 7)} on \`${branch.ref}\`.`
      } catch (error) {
        // The branch may have moved while the images were processed: said as such, not as a rejected push.
        const tip = target.kind === 'pull-request' ? await remoteBranchTip(branch.ref, cwd) : null
        const movedOn = tip && tip !== branch.sha ? movedOnMessage(branch.ref, tip, branch.sha) : null
        outcome = movedOn ?? 'Cutouts not committed.'
        if (movedOn) core.notice(movedOn)
        else
          notes.push(
            `The push to \`${branch.ref}\` was rejected (did the branch move?): ${(error as Error).message.split('\n')[0]}`,
          )
      }
    }
  }
  // 'auto' uploads what the branch lacks; cutouts already on it would only cost the upload step's seconds.
  const upload =
    outputs.length > 0 && (options.artifact === 'true' || (options.artifact === 'auto' && commit === null && !onBranch))
  const artifactPath = upload ? await stageArtifact(outputs, cwd, env) : null
  if (artifactPath && commit === null) outcome += ` The cutouts are in the workflow artifact \`${artifactName}\`.`
  return { commit, artifactPath, outcome, notes }
}

/**
 * The notice for a run whose pull request's branch has moved past the event's head (a re-run of an old workflow run
 * after newer commits were pushed, or of the run whose cutouts commit the branch now ends with), or null. Asked only when the run would commit: otherwise it harms nobody.
 */
async function branchMovedOn(target: Target, options: ActionOptions, cwd: string): Promise<string | null> {
  if (target.kind !== 'pull-request' || target.fork || !options.commit) return null
  const tip = await remoteBranchTip(target.headRef, cwd)
  if (!tip || tip === target.headSha) return null
  if (await isOwnCommitOn(tip, target.headSha, cwd))
    return `Nothing new to commit: \`${target.headRef}\` holds this run's cutouts already (${tip.slice(0, 7)}).`
  return movedOnMessage(target.headRef, tip, target.headSha)
}

/** Where a commit goes: the pull request's head branch (none for a fork), or the pushed branch of a push event. */
async function commitBranch(
  target: Target,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ sha: string; ref: string } | null> {
  if (target.kind === 'pull-request') return target.fork ? null : { sha: target.headSha, ref: target.headRef }
  if (!env.GITHUB_REF?.startsWith('refs/heads/')) return null
  return { sha: (await git(['rev-parse', 'HEAD'], { cwd })).trim(), ref: env.GITHUB_REF.slice('refs/heads/'.length) }
}

async function stageArtifact(outputs: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = join(env.RUNNER_TEMP || tmpdir(), artifactName)
  await mkdir(dir, { recursive: true })
  for (const output of outputs) await cp(join(cwd, output), join(dir, output))
  return dir
}

function blobLinks(target: Target, commit: string | null, env: NodeJS.ProcessEnv): Report['links'] {
  if (target.kind !== 'pull-request' || !target.headRepo) return undefined
  const base = `${env.GITHUB_SERVER_URL || 'https://github.com'}/${target.headRepo}/blob`
  return {
    inputs: `${base}/${target.headSha}`,
    outputs: target.fork && !commit ? undefined : `${base}/${commit ?? target.headSha}`,
  }
}

function setOutputs(results: FileResult[], plan: Plan, delivery: Delivery): void {
  const count = (test: (r: FileResult) => boolean) => String(results.filter(test).length)
  core.setOutput(
    'processed',
    count((r) => r.status !== 'failed'),
  )
  core.setOutput(
    'written',
    count((r) => r.status === 'written'),
  )
  core.setOutput(
    'failed',
    count((r) => r.status === 'failed'),
  )
  core.setOutput('skipped', String(plan.lfsPointers.length + plan.overLimit.length))
  core.setOutput(
    'inferences',
    count((r) => r.cache === 'computed'),
  )
  core.setOutput(
    'from-cache',
    count((r) => r.cache === 'output'),
  )
  core.setOutput('files', JSON.stringify(results.map(({ ms, ...rest }) => ({ ...rest, ms: Math.round(ms) }))))
  core.setOutput('commit', delivery.commit ?? '')
  core.setOutput('artifact-path', delivery.artifactPath ?? '')
  core.info(`rembg-kit: ${countLine(results)}. ${delivery.outcome}`)
}

async function writeSummary(report: Report, env: NodeJS.ProcessEnv): Promise<void> {
  // @actions/core throws without the variable (a local run): the summary is then only the log's last line.
  if (!env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(formatReport(report, summaryLimit, (text) => Buffer.byteLength(text))).write()
}

async function comment(
  octokit: Octokit,
  { owner, repo }: { owner: string; repo: string },
  number: number,
  report: Report,
): Promise<void> {
  const result = await upsertComment(octokit, { owner, repo, issue_number: number }, formatReport(report, commentLimit))
  if ('note' in result) core.warning(result.note)
  else {
    core.setOutput('comment-url', result.url)
    core.info(`rembg-kit: comment ${result.created ? 'created' : 'updated'}: ${result.url}`)
  }
}
