interface Entry<T> {
  promise: Promise<T>
  controller: AbortController
  waiting: number
}

export interface SharedWorkOptions {
  /**
   * The caller whose giving up cancels the work is answered once the work has settled, so it finds what the work
   * cleans up on cancel (a download's temporary file) already gone. Off, every caller that gives up is answered at
   * once (a request is not kept waiting for an inference to stop).
   * @default false
   */
  lastCallerAwaitsCancel?: boolean
}

/**
 * Work that callers asking for the same key share: it runs once, and it is cancelled only when every caller waiting
 * for it has given up. One caller's AbortSignal ends that caller's wait and nobody else's. The one bookkeeping of work
 * in flight by key in core: the remover's outputs and mattes, the model store's downloads.
 *
 * @example
 * const work = new SharedWork<Buffer>()
 * const bytes = await work.run(key, request.signal, (signal) => render(key, signal))
 */
export class SharedWork<T> {
  private readonly running = new Map<string, Entry<T>>()

  constructor(private readonly options: SharedWorkOptions = {}) {}

  run(key: string, signal: AbortSignal | undefined, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    const current = this.running.get(key)
    // Work that every earlier caller gave up on is being cancelled: a new caller starts it afresh.
    const entry = current && !current.controller.signal.aborted ? current : this.start(key, task)
    entry.waiting++
    if (!signal) return entry.promise
    return new Promise<T>((resolve, reject) => {
      const giveUp = () => {
        const last = --entry.waiting === 0
        if (last) entry.controller.abort(signal.reason)
        if (!last || !this.options.lastCallerAwaitsCancel) return reject(signal.reason)
        const answer = () => reject(signal.reason)
        entry.promise.then(answer, answer)
      }
      signal.addEventListener('abort', giveUp, { once: true })
      entry.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', giveUp))
    })
  }

  private start(key: string, task: (signal: AbortSignal) => Promise<T>): Entry<T> {
    const controller = new AbortController()
    const promise: Promise<T> = Promise.resolve()
      .then(() => {
        // Everyone may have given up before the task got its turn.
        controller.signal.throwIfAborted()
        return task(controller.signal)
      })
      .finally(() => {
        if (this.running.get(key)?.promise === promise) this.running.delete(key)
      })
    // A task whose every caller gave up still settles; nobody reads its rejection.
    promise.catch(() => {})
    const entry = { promise, controller, waiting: 0 }
    this.running.set(key, entry)
    return entry
  }
}
