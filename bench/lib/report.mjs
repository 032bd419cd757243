// Text output: aligned tables, number formats and the pass/fail (and info) lines of the summary.

/** Formats a duration: whole milliseconds from 100 ms up, one decimal below; '-' when there is none. */
export function ms(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '-'
  return value >= 100 ? `${Math.round(value)}` : value.toFixed(1)
}

/** Milliseconds with their sign, as a time one side adds to the other: '+245', '-9.1'. */
export function signedMs(value) {
  return `${value < 0 ? '-' : '+'}${ms(Math.abs(value))}`
}

/** Formats a number with `digits` decimals, or '-'. */
export function num(value, digits = 2) {
  if (value === undefined || value === null || Number.isNaN(value)) return '-'
  return value.toFixed(digits)
}

/** An aligned text table: the first column left-aligned, the others right-aligned (they hold numbers). */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell)))
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)))
  const line = (row) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n')
}

/** 'pass', 'FAIL', or 'skipped' when the figure could not be measured. */
export function verdict(ok) {
  if (ok === null || ok === undefined) return 'skipped'
  return ok ? 'pass' : 'FAIL'
}

/**
 * One summary line per target over per-image values: the worst value (highest, or lowest when `higherIsBetter`),
 * which image it was, how many images pass, and the verdict. `values` maps image name to number (or NaN: missing).
 */
export function perImageTarget(label, values, passes, { higherIsBetter = false, format = num } = {}) {
  const measured = Object.entries(values).filter(([, value]) => !Number.isNaN(value))
  if (measured.length === 0) return { label, figure: 'not measured', ok: null }
  const [worstName, worstValue] = worstOf(measured, higherIsBetter)
  const passing = measured.filter(([, value]) => passes(value)).length
  const figure = `worst ${format(worstValue)} (${worstName}), ${passing}/${measured.length} pass`
  return { label, figure, ok: passing === measured.length && measured.length === Object.keys(values).length }
}

/**
 * A summary line with no target, marked 'info' (or 'skipped' when not measured): the worst of per-image values, which
 * image it was, and `note` if any. For an option whose trade-off the reader judges, not the benchmark.
 */
export function perImageInfo(label, values, { higherIsBetter = false, format = num, note = '' } = {}) {
  const measured = Object.entries(values).filter(([, value]) => !Number.isNaN(value))
  if (measured.length === 0) return { label, figure: 'not measured', ok: null }
  const [worstName, worstValue] = worstOf(measured, higherIsBetter)
  return { label, figure: `worst ${format(worstValue)} (${worstName})${note && `, ${note}`}`, info: true }
}

/** The [name, value] entry with the highest value, or the lowest when `higherIsBetter`. */
function worstOf(entries, higherIsBetter) {
  const worse = (x, y) => (higherIsBetter ? x < y : x > y)
  return entries.reduce((worst, entry) => (worse(entry[1], worst[1]) ? entry : worst))
}

/** The summary block: one aligned line per target. */
export function summaryLines(targets) {
  const width = Math.max(...targets.map((target) => target.label.length))
  const status = (target) => (target.info ? 'info' : verdict(target.ok))
  return targets.map((target) => `${status(target).padEnd(7)}  ${target.label.padEnd(width)}  ${target.figure}`)
}
