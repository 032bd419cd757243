/**
 * The bounded inference queue: at most `concurrency` inferences run, at most `maxWaiting` requests wait, and the next
 * one is refused at once (503 with `Retry-After`) instead of piling up memory and latency. A waiting request whose
 * client went away leaves the queue without ever reaching the model.
 */
import { serverBusy } from '@rembg-kit/core'
import { retryAfter } from './http-errors.js'

interface Waiter {
  start: () => void
  signal: AbortSignal | undefined
  onAbort: () => void
}

export interface QueueStats {
  running: number
  waiting: number
}

export class InferenceQueue {
  private running = 0
  private readonly waiters: Waiter[] = []
  /** Moving average of a task's duration, for the `Retry-After` estimate. */
  private averageMs = 1000

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get stats(): QueueStats {
    return { running: this.running, waiting: this.waiters.length }
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
    if (this.running < this.concurrency) this.running++
    else await this.wait(signal)
    const started = performance.now()
    try {
      return await task()
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started)
      this.release()
    }
  }

  /** Seconds until a slot should be free: the work ahead divided among the slots. */
  retryAfterSeconds(): number {
    return ((this.running + this.waiters.length) * this.averageMs) / this.concurrency / 1000
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.waiters.length >= this.maxWaiting) throw retryAfter(serverBusy(), this.retryAfterSeconds())
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        signal,
        // The slot is handed over by release(), which has already counted it as running.
        start: resolve,
        onAbort: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(signal?.reason)
        },
      }
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  private release(): void {
    const next = this.waiters.shift()
    if (!next) {
      this.running--
      return
    }
    next.signal?.removeEventListener('abort', next.onAbort)
    next.start()
  }
}
