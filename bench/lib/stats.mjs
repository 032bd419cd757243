// Small numeric helpers shared by the children (timings) and the parent (report).

/** The median of a list of numbers (the mean of the two middle ones for an even count); NaN for an empty list. */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Runs `task` and returns its result with the wall time it took, in milliseconds. */
export async function timed(task) {
  const start = performance.now()
  const result = await task()
  return { result, ms: performance.now() - start }
}

/** This process's peak resident set size so far, in MiB (maxRSS is in KiB on every platform Node supports). */
export function peakRssMib() {
  return process.resourceUsage().maxRSS / 1024
}

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
