import { describe, expect, it } from 'vitest'
import { SharedWork } from '../src/shared-work.js'

/** A task that resolves when told to, and records the signal it was given. */
function deferredTask() {
  const seen: AbortSignal[] = []
  let finish: (value: string) => void = () => {}
  const task = (signal: AbortSignal) => {
    seen.push(signal)
    return new Promise<string>((resolve) => {
      finish = resolve
    })
  }
  return { task, seen, finish: (value: string) => finish(value) }
}

describe('SharedWork', () => {
  it('runs a key once for every caller waiting at the same time, and again once it settled', async () => {
    const work = new SharedWork<string>()
    const { task, seen, finish } = deferredTask()
    const callers = [work.run('k', undefined, task), work.run('k', undefined, task)]
    await Promise.resolve()
    finish('done')
    expect(await Promise.all(callers)).toEqual(['done', 'done'])
    expect(seen).toHaveLength(1)
    const again = work.run('k', undefined, task)
    await Promise.resolve()
    finish('again')
    expect(await again).toBe('again')
    expect(seen).toHaveLength(2)
  })

  it('aborts the task only when the last caller waiting for it gives up', async () => {
    const work = new SharedWork<string>()
    const { task, seen, finish } = deferredTask()
    const first = new AbortController()
    const second = new AbortController()
    const a = work.run('k', first.signal, task)
    const b = work.run('k', second.signal, task)
    await Promise.resolve()
    first.abort()
    await expect(a).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen[0]?.aborted).toBe(false)
    second.abort()
    await expect(b).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen[0]?.aborted).toBe(true)

    // A caller arriving while that work is being cancelled gets the work done anew.
    const c = work.run('k', undefined, task)
    await Promise.resolve()
    expect(seen).toHaveLength(2)
    finish('fresh')
    expect(await c).toBe('fresh')
  })

  it('with lastCallerAwaitsCancel, answers the caller that cancels the work only once the work has cleaned up', async () => {
    const events: string[] = []
    const task = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          // Cleanup that takes a turn of the event loop, as removing a temporary file does.
          setImmediate(() => {
            events.push('cleaned up')
            reject(signal.reason)
          })
        })
      })
    for (const lastCallerAwaitsCancel of [false, true]) {
      const work = new SharedWork<string>({ lastCallerAwaitsCancel })
      const controller = new AbortController()
      const waiting = work.run('k', controller.signal, task).catch(() => events.push('caller answered'))
      await Promise.resolve()
      controller.abort()
      await waiting
      await new Promise((done) => setImmediate(done))
    }
    expect(events).toEqual(['caller answered', 'cleaned up', 'cleaned up', 'caller answered'])
  })
})
