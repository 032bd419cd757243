// The report's sections, each built from the collected results (see run.mjs for their shape) as a block of text.
import { ms, num, perImageInfo, perImageTarget, summaryLines, table } from './report.mjs'

// Thresholds of the summary. RSS limits are decimal gigabytes (1.1 GB = 1049 MiB), the stricter reading.
const gb = 1e9 / 2 ** 20
export const targets = {
  issue8Ratio: 0.55,
  issue2Ratio: 1.1,
  imglyRatio: 3.5,
  cacheHitMs: 10,
  issue8RssMib: 1.1 * gb,
  issue2RssMib: 1.5 * gb,
  matteOverPct: 0.5,
}

const at = (result, name, key = 'median') => result?.images?.[name]?.[key] ?? Number.NaN

/** Per photo, side by side: median times of (a), (b), (b/w), (c), the cache hit, the ratios and the matte agreement. */
export function perImageSection({ photos, results: r, agreement }) {
  const rows = photos.map(({ name, width, height }) => {
    const [a, b, bw, c] = [at(r.a, name), at(r.b, name), at(r.bw, name), at(r.c, name)]
    return [
      name,
      `${width}x${height}`,
      ms(a),
      ms(at(r.a, name, 'sessionMedian')),
      ms(b),
      num(b / a),
      ms(bw),
      num(bw / a),
      ms(c),
      num(c / b),
      ms(at(r.e, name, 'missMs')),
      ms(at(r.e, name)),
      num(agreement[name]?.overPct, 3),
      agreement[name]?.maxDiff ?? '-',
    ]
  })
  const headers = ['photo', 'size', '(a) ms', '(a) run', '(b) ms', '(b)/(a)', '(b/w) ms', '(b/w)/(a)', '(c) ms']
  return table([...headers, '(c)/(b)', 'miss ms', 'hit ms', 'Δα>2 %', 'max Δα'], rows)
}

/** Load and warm-up times and peak RSS, one row per child process. */
export function processSection({ results: r }) {
  const labels = {
    prepare: 'core: model preparation',
    pw: 'core with winograd: model preparation',
    a: '(a) bare pipeline',
    b: '(b) core, no cache',
    bw: '(b/w) core with winograd, no cache',
    c: '(c) @imgly/background-removal-node',
    da: '(d) bare pipeline, 12 MP',
    db: '(d) core, 12 MP',
    dbw: '(d) core with winograd, 12 MP',
    e: '(e) core, cache',
    q: 'cut quality: core on composites',
  }
  const rows = Object.entries(labels)
    .filter(([id]) => r[id])
    .map(([id, label]) => {
      const result = r[id]
      if (result.error) return [label, 'failed', '-', '-', num(result.wallMs / 1000, 1)]
      return [label, ms(result.loadMs), ms(result.warmMs), Math.round(result.peakRssMib), num(result.wallMs / 1000, 1)]
    })
  return table(['process', 'load ms', 'warm-up ms', 'peak RSS MiB', 'wall s'], rows)
}

/** The 12-megapixel photo through (a), (b) and (b/w): time of the one run and each process's peak RSS. */
export function twelveMegapixelSection({ twelve, results: r, agreement12 }) {
  if (!twelve) return '(d) skipped'
  const rss = (result) => (result && !result.error ? Math.round(result.peakRssMib) : '-')
  const times = [r.da, r.db, r.dbw].map((result) => ms(at(result, twelve.name)))
  const row = [twelve.name, '4000x3000', ...times, rss(r.da), rss(r.db), rss(r.dbw), num(agreement12?.overPct, 3)]
  const headers = ['image', 'size', '(a) ms', '(b) ms', '(b/w) ms', '(a) peak RSS MiB', '(b) peak RSS MiB']
  return table([...headers, '(b/w) peak RSS MiB', 'Δα>2 %'], [row])
}

/** Core on the composites against the cutouts they were made from, and the mean of each column. */
export function qualitySection({ quality }) {
  if (!quality?.length) return 'cut quality skipped'
  const rows = quality.map((q) => [
    q.name,
    num(q.iou, 4),
    num(q.alphaMae, 2),
    num(q.colourInside, 2),
    num(q.colourEdge, 2),
  ])
  const mean = (key) => quality.reduce((sum, q) => sum + q[key], 0) / quality.length
  rows.push([
    'mean',
    num(mean('iou'), 4),
    num(mean('alphaMae'), 2),
    num(mean('colourInside'), 2),
    num(mean('colourEdge'), 2),
  ])
  return table(['composite', 'IoU', 'α MAE /255', 'colour err inside', 'colour err edge'], rows)
}

/** The targets, each marked pass, FAIL or skipped, then the figures of (b/w), marked info: it is opt-in, no target. */
export function summarySection({ photos, results: r, agreement }, extraTargets = []) {
  const byPhoto = (value) => Object.fromEntries(photos.map(({ name }) => [name, value(name)]))
  const ratioBA = byPhoto((name) => at(r.b, name) / at(r.a, name))
  const peak = (result) => (result && !result.error ? result.peakRssMib : Number.NaN)
  const rss12 = peak(r.db)
  const mib = (value) => `${Math.round(value)} MiB`
  const ratioBwA = byPhoto((name) => at(r.bw, name) / at(r.a, name))
  const rss12w = peak(r.dbw)
  // What Winograd's speed costs in memory (NaN, so no note, unless both were measured).
  const extra = rss12w - rss12
  const rssNote = Number.isNaN(extra) ? '' : `${extra >= 0 ? '+' : ''}${mib(extra)} beside (b)`
  const lines = [
    perImageTarget(`(b)/(a) <= ${targets.issue8Ratio} per photo (issue 8)`, ratioBA, (v) => v <= targets.issue8Ratio),
    perImageTarget(`(b)/(a) <= ${targets.issue2Ratio} per photo (issue 2)`, ratioBA, (v) => v <= targets.issue2Ratio),
    perImageTarget(
      `(c)/(b) >= ${targets.imglyRatio} per photo`,
      byPhoto((name) => at(r.c, name) / at(r.b, name)),
      (v) => v >= targets.imglyRatio,
      { higherIsBetter: true },
    ),
    perImageTarget(
      `cache hit < ${targets.cacheHitMs} ms per photo`,
      byPhoto((name) => at(r.e, name)),
      (v) => v < targets.cacheHitMs,
      {
        format: (v) => `${ms(v)} ms`,
      },
    ),
    perImageTarget('peak RSS of (b), 12 MP < 1.1 GB (issue 8)', { '12 MP': rss12 }, (v) => v < targets.issue8RssMib, {
      format: mib,
    }),
    perImageTarget('peak RSS of (b), 12 MP < 1.5 GB (issue 2)', { '12 MP': rss12 }, (v) => v < targets.issue2RssMib, {
      format: mib,
    }),
    perImageTarget(
      `mattes (a) vs (b): |Δα| > 2/255 on < ${targets.matteOverPct} % of pixels`,
      byPhoto((name) => agreement[name]?.overPct ?? Number.NaN),
      (v) => v < targets.matteOverPct,
      { format: (v) => `${num(v, 3)} %` },
    ),
    perImageInfo('(b/w)/(a) per photo (winograd)', ratioBwA),
    perImageInfo('peak RSS of (b/w), 12 MP (winograd)', { '12 MP': rss12w }, { format: mib, note: rssNote }),
    ...extraTargets,
  ]
  return summaryLines(lines)
}
