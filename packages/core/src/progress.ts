/**
 * A one-line progress bar for long jobs (model downloads, CLI batches). It draws only on an interactive terminal:
 * piped output, log files and CI stay clean, so callers can create one unconditionally.
 */

/** The part of a stream the bar needs; `process.stderr` by default. */
export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(chunk: string): unknown
}

export interface ProgressOptions {
  /** Printed first on the line, e.g. `Downloading u2net`. */
  label: string
  /** Expected final count; without it the bar shows amount and rate only. */
  total?: number
  /** @default process.stderr */
  stream?: ProgressStream | NodeJS.WriteStream
  /** @default 'items' */
  unit?: 'bytes' | 'items'
  /** Milliseconds clock, replaceable in tests. @default Date.now */
  now?: () => number
}

export interface Progress {
  /** True when the bar draws (a TTY outside CI); callers can then skip printing per-item lines of their own. */
  readonly active: boolean
  /** Sets the amount done (and the total, when it becomes known). */
  update(done: number, total?: number): void
  /** Counts one more item, optionally showing what it was. */
  tick(message?: string): void
  /** Draws the final state and ends the line; later calls do nothing. */
  done(message?: string): void
}

/** Redraws at most this often: a terminal repainting per network chunk costs more than the download. */
const redrawIntervalMs = 100
const barWidth = 20

const silent: Progress = { active: false, update() {}, tick() {}, done() {} }

/**
 * Creates a progress bar that redraws one line with `\r`, at most ~10 times a second, when `stream` is a TTY and
 * `CI` is not set; otherwise a silent no-op.
 *
 * @example
 * const bar = createProgress({ label: 'Downloading u2net', total: 176_000_000, unit: 'bytes' })
 * bar.update(received)
 * bar.done()
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream: ProgressStream = options.stream ?? process.stderr
  if (stream.isTTY !== true || isCi(process.env.CI)) return silent
  const now = options.now ?? Date.now
  const state = { done: 0, total: options.total, message: '', start: now(), lastDraw: Number.NEGATIVE_INFINITY }
  let finished = false

  const draw = (force: boolean): void => {
    const time = now()
    if (!force && time - state.lastDraw < redrawIntervalMs) return
    state.lastDraw = time
    const line = renderLine(options.label, state.done, state.total, options.unit ?? 'items', time - state.start)
    const text = state.message === '' ? line : `${line} ${state.message}`
    stream.write(`\r${fit(text, stream.columns)}\x1b[K`)
  }

  return {
    active: true,
    update(done, total) {
      if (finished) return
      state.done = done
      if (total !== undefined) state.total = total
      draw(false)
    },
    tick(message) {
      if (finished) return
      state.done += 1
      if (message !== undefined) state.message = message
      draw(false)
    },
    done(message) {
      if (finished) return
      finished = true
      if (message !== undefined) state.message = message
      draw(true)
      stream.write('\n')
    },
  }
}

function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

/** `label [#####...............] 25% 25.0 MB/100.0 MB 5.0 MB/s`, or without bar and percent when no total is known. */
export function renderLine(
  label: string,
  done: number,
  total: number | undefined,
  unit: 'bytes' | 'items',
  elapsedMs: number,
): string {
  const amount = (n: number): string => (unit === 'bytes' ? formatBytes(n) : String(n))
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : undefined
  const rateText = rate === undefined ? '' : unit === 'bytes' ? ` ${formatBytes(rate)}/s` : ` ${rate.toFixed(1)}/s`
  if (total === undefined || total <= 0) return `${label} ${amount(done)}${rateText}`
  const ratio = Math.min(1, Math.max(0, done / total))
  const filled = Math.round(ratio * barWidth)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`
  return `${label} ${bar} ${Math.floor(ratio * 100)}% ${amount(done)}/${amount(total)}${rateText}`
}

/**
 * Human-readable size in decimal units, as download pages print them.
 *
 * @example
 * formatBytes(176_000_000) // '176.0 MB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes / 1000
  let index = 0
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000
    index += 1
  }
  return `${value.toFixed(1)} ${units[index]}`
}

/** Cuts the line to the terminal width, so a long label never wraps and breaks the `\r` redraw. */
function fit(text: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || text.length < columns) return text
  return text.slice(0, columns - 1)
}
