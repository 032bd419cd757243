/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in order. Inference uses every core it is
 * given, so running more at once only adds memory. Hosts bound their own queues with it too (the Strapi plugin's
 * background processing, the server's inference queue), and wait for it to drain on shutdown with `idle()`.
 *
 * @example
 * const limiter = new Limiter(2)
 * await Promise.all(files.map((file) => limiter.run(() => remover.remove(file))))
 */
export class Limiter {
  private active = 0
  private readonly waiters: Waiter[] = []
  private idleWaiters: Array<() => void> = []

  constructor(readonly limit: number) {}

  /** Tasks running or waiting. */
  get pending(): number {
    return this.active + this.waiters.length
  }

  /** Tasks running. */
  get running(): number {
    return this.active
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.waiters.length
  }

  /**
   * Runs `task` once a slot is free. A `signal` that aborts while the task still waits takes it out of the line (it
   * never runs) and rejects with the signal's reason; once running, the task itself decides what an abort means.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    if (this.active < this.limit) this.active++
    else await this.wait(signal)
    try {
      return await task()
    } finally {
      this.release()
    }
  }

  /** Resolves once no task is running or waiting. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', waiter.leave)
          resolve()
        },
        leave: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(signal?.reason)
        },
      }
      signal?.addEventListener('abort', waiter.leave, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** Hands the slot straight to the next waiter (still counted as running), so `running` stays exact as it resumes. */
  private release(): void {
    const waiter = this.waiters.shift()
    if (waiter) {
      waiter.start()
      return
    }
    this.active--
    if (this.active > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

interface Waiter {
  start: () => void
  leave: () => void
}

/**
 * Runs `task` on every item, at most `concurrency` at once, and resolves with the results in the items' order (not
 * the order they finish in). The one worker pool of rembg-kit: the CLI's batch and the action's files use it. A
 * `signal` that aborts keeps the items not yet started from starting (they reject with its reason); a task that
 * throws rejects the whole map, so tasks that must not stop the others catch their own errors.
 *
 * @example
 * const outcomes = await mapLimit(files, 2, (file) => remover.remove(file))
 */
export function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
  options: { signal?: AbortSignal } = {},
): Promise<R[]> {
  const limiter = new Limiter(Math.max(1, concurrency))
  return Promise.all(items.map((item, index) => limiter.run(() => task(item, index), options.signal)))
}
