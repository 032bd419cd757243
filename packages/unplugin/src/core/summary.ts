import type { RemoveResult } from '@rembg-kit/core'

export interface SummaryCounts {
  /** Cutouts requested (every size, placeholder and inline one counts). */
  images: number
  /** Mattes computed by the engine. */
  inferences: number
  /** Outputs answered by the output cache. */
  fromCache: number
  /** Wall time during which at least one cutout was being made, in milliseconds. */
  busyMs: number
}

/**
 * Counts one build. Results shared by identical requests in flight are one object: its inference counts once,
 * however many imports asked for it.
 */
export class BuildStats {
  private counts: SummaryCounts = { images: 0, inferences: 0, fromCache: 0, busyMs: 0 }
  private seen = new WeakSet<RemoveResult>()
  private running = 0
  private busySince = 0

  reset(): void {
    this.counts = { images: 0, inferences: 0, fromCache: 0, busyMs: 0 }
    this.seen = new WeakSet()
  }

  /** A cutout started; the busy clock runs while any is in progress. */
  start(): void {
    if (this.running++ === 0) this.busySince = performance.now()
  }

  /** A cutout ended, with its result, or undefined when it failed (then it is not counted). */
  finish(result: RemoveResult | undefined): void {
    if (--this.running === 0) this.counts.busyMs += performance.now() - this.busySince
    if (!result) return
    this.counts.images++
    if (result.cache.output) this.counts.fromCache++
    if (this.seen.has(result)) return
    this.seen.add(result)
    if (!result.cache.matte) this.counts.inferences++
  }

  get current(): Readonly<SummaryCounts> {
    return this.counts
  }
}

/**
 * The one line printed at the end of a build, which the example tests parse.
 *
 * @example
 * formatSummary({ images: 6, inferences: 3, fromCache: 0, busyMs: 4210 })
 * // 'rembg-kit: 6 images, 3 inferences, 0 from cache, 4.2 s'
 */
export function formatSummary(counts: SummaryCounts): string {
  const seconds = (counts.busyMs / 1000).toFixed(1)
  return `rembg-kit: ${counts.images} images, ${counts.inferences} inferences, ${counts.fromCache} from cache, ${seconds} s`
}
