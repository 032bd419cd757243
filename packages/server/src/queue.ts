/**
 * The bounded inference queue: core's Limiter runs at most `concurrency` requests, at most `maxWaiting` wait, and the
 * next one is refused at once (503 with `Retry-After`) instead of piling up memory and latency. A waiting request
 * whose client went away leaves the line without ever reaching the model (the Limiter's signal).
 */
import { Limiter } from '@rembg-kit/core'
import { serverBusy } from '@rembg-kit/core/internal'
import { retryAfter } from './http-errors.js'

export interface QueueStats {
  running: number
  waiting: number
}

export class InferenceQueue {
  private readonly limiter: Limiter
  /** Moving average of a task's duration, for the `Retry-After` estimate. */
  private averageMs = 1000

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    this.limiter = new Limiter(concurrency)
  }

  get stats(): QueueStats {
    return { running: this.limiter.running, waiting: this.limiter.waiting }
  }

  /**
   * Runs `task` when a slot is free. Throws 503 (with `Retry-After`) when the queue is full, and the signal's reason
   * when it aborts while waiting.
   *
   * @example
   * const result = await queue.run(() => remover.remove(bytes, { signal }), signal)
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    const { running, waiting } = this.stats
    if (running >= this.concurrency && waiting >= this.maxWaiting) {
      throw retryAfter(serverBusy(), this.retryAfterSeconds())
    }
    return this.limiter.run(() => this.timed(task), signal)
  }

  /** Seconds until a slot should be free: the work ahead divided among the slots. */
  retryAfterSeconds(): number {
    return (this.limiter.pending * this.averageMs) / this.concurrency / 1000
  }

  private async timed<T>(task: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await task()
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started)
    }
  }
}
