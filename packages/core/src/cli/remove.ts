import { relative } from 'node:path'
import { type BatchItem, formatFromFileName, planBatch } from '../batch.js'
import { describeCrop } from '../crop.js'
import { mapLimit } from '../engines/limit.js'
import { describeError } from '../errors.js'
import { writeFileAtomic } from '../fs-atomic.js'
import { parseIntegerOption } from '../option-checks.js'
import { resolveParams } from '../params.js'
import { createProgress } from '../progress.js'
import { createRemover, type RemoveResult, type Remover, type RemoverOptions } from '../remove.js'
import type { ResolvedParams } from '../types.js'
import { getMembershipUsage, remainingCredits } from '../usage.js'
import { parseCommandArgs } from './args.js'
import type { Command, CommandIO } from './command.js'
import { engineOptionFlags, engineOptionsFrom } from './engine-flags.js'

export const removeUsage = `Usage: rembg-kit remove <file|dir|glob>... -o <file|dir> [options]

  -o, --output <path>     output file, or folder (ending in / or existing; a batch keeps the input tree)
  --format <f>            webp (default), png, jpeg, bmp; for one input, implied by the output's extension
  --w <n>, --h <n>        target size in pixels, aspect kept (fit inside when both)
  --exact-resize          force exactly w x h
  --mask                  write only the alpha matte
  --bg-color <c>          fill the background: #RGB, #RGBA, #RRGGBB, #RRGGBBAA or a CSS color name
  --angle <deg>           rotate counter-clockwise after processing (negative: clockwise)
  --no-expand             keep the canvas size when rotating
  --crop                  trim to the subject (before --w/--h, so they size the subject)
  --crop-threshold <n>    matte values above n (0..255) are the subject (default 10)
  --crop-margin <m>       room around the subject: 30px, 30 or 10%; 2 or 4 values as "10px 5%" or 10px,5%
                          (top-bottom left-right; top right bottom left); at most 500px or 50% a side
  --overwrite             allow an output to replace its input image
  --concurrency <n>       files processed at once (inference itself runs one at a time) (default 2)
${engineOptionFlags.usage}`

const flags = {
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  w: { type: 'string' },
  h: { type: 'string' },
  'exact-resize': { type: 'boolean' },
  mask: { type: 'boolean' },
  'bg-color': { type: 'string' },
  angle: { type: 'string' },
  'no-expand': { type: 'boolean' },
  crop: { type: 'boolean' },
  'crop-threshold': { type: 'string' },
  'crop-margin': { type: 'string' },
  overwrite: { type: 'boolean' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...engineOptionFlags.options,
} as const

interface Outcome {
  item: BatchItem
  result?: RemoveResult
  error?: unknown
  ms: number
}

export const removeCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, flags)
  if (values.help) {
    io.stdout.write(`${removeUsage}\n`)
    return 0
  }
  if (positionals.length === 0 || !values.output) {
    io.stderr.write(
      `rembg-kit remove: ${positionals.length === 0 ? 'no input given' : '-o <file|dir> is required'}\n\n${removeUsage}\n`,
    )
    return 1
  }
  const params = resolveParams({
    format: values.format ?? (positionals.length === 1 ? formatFromFileName(values.output) : undefined),
    w: values.w,
    h: values.h,
    exact_resize: values['exact-resize'],
    mask: values.mask,
    bg_color: values['bg-color'],
    angle: values.angle,
    expand: values['no-expand'] ? false : undefined,
    crop: values.crop,
    crop_threshold: values['crop-threshold'],
    crop_margin: values['crop-margin'],
  })
  const engineOptions = engineOptionsFrom(values, io)
  const { items, batch } = await planBatch(positionals, {
    output: values.output,
    format: params.format,
    cwd: io.cwd,
    overwrite: values.overwrite,
  })
  if (engineOptions.engine === 'remote') await warnAboutCredits(items.length, engineOptions, io)
  const remover = createRemover(engineOptions)
  const started = performance.now()
  const { outcomes, usedBar } = await runBatch(
    items,
    remover,
    params,
    io,
    parseIntegerOption('concurrency', values.concurrency ?? '2'),
    batch,
  )
  return report(outcomes, io, { batch, usedBar, seconds: (performance.now() - started) / 1000 })
}

/** Says before a remote batch starts when it may need more credits than the account has left (never stops it). */
async function warnAboutCredits(count: number, options: RemoverOptions, io: CommandIO): Promise<void> {
  try {
    const left = remainingCredits(await getMembershipUsage({ ...options, includeBillingCycle: true, retries: 1 }))
    if (count > left) {
      io.stderr.write(
        `rembg-kit: warning: ${count} images may need up to ${count} credits and the account has ${left} left; the rest will fail with the monthly limit\n`,
      )
    }
  } catch (error) {
    io.stderr.write(`rembg-kit: warning: could not read the account's credits: ${describeError(error)}\n`)
  }
}

async function runBatch(
  items: BatchItem[],
  remover: Remover,
  params: ResolvedParams,
  io: CommandIO,
  concurrency: number,
  batch: boolean,
): Promise<{ outcomes: Outcome[]; usedBar: boolean }> {
  const progress = createProgress({
    label: 'Removing backgrounds',
    total: items.length,
    stream: io.stderr,
    unit: 'items',
  })
  const usedBar = batch && progress.active
  const outcomes = await mapLimit(items, concurrency, async (item) => {
    const outcome = await processOne(item, remover, params)
    if (usedBar) progress.tick(relative(io.cwd, item.input))
    else if (outcome.result) io.stdout.write(`${describeDone(outcome, outcome.result, io)}\n`)
    else io.stderr.write(`${describeFailure(outcome, io)}\n`)
    return outcome
  })
  progress.done()
  return { outcomes, usedBar }
}

async function processOne(item: BatchItem, remover: Remover, params: ResolvedParams): Promise<Outcome> {
  const started = performance.now()
  try {
    const result = await remover.remove(item.input, params)
    await writeFileAtomic(item.output, result.data)
    return { item, result, ms: performance.now() - started }
  } catch (error) {
    return { item, error, ms: performance.now() - started }
  }
}

function describeDone({ item, ms }: Outcome, result: RemoveResult, io: CommandIO): string {
  const cache = result.cache.output ? 'cached' : result.cache.matte ? 'matte cached' : 'computed'
  const size = `${result.width}x${result.height}`
  const crop = result.crop === undefined ? '' : `, ${describeCrop(result.crop)}`
  return `ok   ${displayPath(item.input, io)} -> ${displayPath(item.output, io)} (${size}, ${Math.round(ms)} ms, ${cache}${crop})`
}

/** `rembg-kit: <input as the user named it>: <documented message>`. */
function describeFailure({ item, error }: Outcome, io: CommandIO): string {
  return `rembg-kit: ${displayPath(item.input, io)}: ${describeError(error)}`
}

const displayPath = (path: string, io: CommandIO): string => relative(io.cwd, path) || path

function report(
  outcomes: Outcome[],
  io: CommandIO,
  run: { batch: boolean; usedBar: boolean; seconds: number },
): number {
  const failed = outcomes.filter((o) => o.error !== undefined)
  // Without a bar every file already had its line; with one, failures are listed once the bar is done.
  if (run.usedBar && failed.length > 0) {
    io.stderr.write(`${failed.map((o) => describeFailure(o, io)).join('\n')}\n`)
  }
  if (run.batch) {
    const cached = outcomes.filter((o) => o.result?.cache.output).length
    io.stdout.write(
      `${outcomes.length - failed.length} done (${cached} from cache), ${failed.length} failed, in ${run.seconds.toFixed(1)} s\n`,
    )
  }
  return failed.length > 0 ? 1 : 0
}
