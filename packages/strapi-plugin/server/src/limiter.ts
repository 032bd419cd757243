/** Runs at most `limit` tasks at once, in order of arrival; `idle()` resolves when nothing is running or waiting. */
export class Limiter {
  private running = 0
  private readonly waiting: (() => void)[] = []
  private idleWaiters: (() => void)[] = []

  constructor(private readonly limit: number) {}

  get pending(): number {
    return this.running + this.waiting.length
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.running++
    try {
      return await task()
    } finally {
      this.running--
      this.next()
    }
  }

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
    if (this.running > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}
