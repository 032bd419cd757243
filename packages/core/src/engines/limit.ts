/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in order. Inference uses every core it is
 * given, so running more at once only adds memory. Hosts bound their own queues with it too (the Strapi plugin's
 * background processing), and wait for it to drain on shutdown with `idle()`.
 *
 * @example
 * const limiter = new Limiter(2)
 * await Promise.all(files.map((file) => limiter.run(() => remover.remove(file))))
 */
export class Limiter {
  private active = 0
  private readonly waiting: Array<() => void> = []
  private idleWaiters: Array<() => void> = []

  constructor(readonly limit: number) {}

  /** Tasks running or waiting. */
  get pending(): number {
    return this.active + this.waiting.length
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.active++
    try {
      return await task()
    } finally {
      this.active--
      this.next()
    }
  }

  /** Resolves once no task is running or waiting. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private next(): void {
    const start = this.waiting.shift()
    if (start) {
      start()
      return
    }
    if (this.active > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}
