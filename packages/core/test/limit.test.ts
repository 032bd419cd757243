import { expect, it } from 'vitest'
import { Limiter, mapLimit } from '../src/engines/limit.js'

it('runs at most `limit` tasks at once, in arrival order, and reports idle after the last', async () => {
  const limiter = new Limiter(2)
  const started: number[] = []
  let running = 0
  let most = 0
  const releases: (() => void)[] = []
  const tasks = [0, 1, 2, 3, 4].map((n) =>
    limiter.run(async () => {
      started.push(n)
      running++
      most = Math.max(most, running)
      await new Promise<void>((resolve) => releases.push(resolve))
      running--
      return n
    }),
  )
  let idle = false
  const idlePromise = limiter.idle().then(() => {
    idle = true
  })
  while (started.length < 5 || releases.length > 0) {
    await new Promise((resolve) => setImmediate(resolve))
    releases.shift()?.()
  }
  expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4])
  await idlePromise
  expect(idle).toBe(true)
  expect(started).toEqual([0, 1, 2, 3, 4])
  expect(most).toBe(2)
  expect(limiter.pending).toBe(0)
})

it('takes a waiting task out of the line when its signal aborts: it never runs, and the others keep their order', async () => {
  const limiter = new Limiter(1)
  let releaseFirst = () => {}
  const first = limiter.run(() => new Promise<string>((resolve) => (releaseFirst = () => resolve('first'))))
  const controller = new AbortController()
  let abandonedRan = false
  const abandoned = limiter.run(async () => {
    abandonedRan = true
  }, controller.signal)
  const third = limiter.run(async () => 'third')
  expect([limiter.running, limiter.waiting]).toEqual([1, 2])
  controller.abort(new Error('client gone'))
  await expect(abandoned).rejects.toThrow('client gone')
  expect([limiter.running, limiter.waiting]).toEqual([1, 1])
  releaseFirst()
  expect(await Promise.all([first, third])).toEqual(['first', 'third'])
  expect(abandonedRan).toBe(false)
  expect(limiter.pending).toBe(0)
})

it("maps in the items' order whatever order the tasks finish in, never more than `concurrency` at once", async () => {
  let running = 0
  let most = 0
  const finished: string[] = []
  const delays = { a: 30, b: 1, c: 15, d: 1, e: 5 }
  const results = await mapLimit(Object.keys(delays), 2, async (name, index) => {
    running++
    most = Math.max(most, running)
    await new Promise((resolve) => setTimeout(resolve, delays[name as keyof typeof delays]))
    running--
    finished.push(name)
    return `${index}:${name}`
  })
  expect(results).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e'])
  expect(finished).not.toEqual(['a', 'b', 'c', 'd', 'e'])
  expect(most).toBe(2)
})

it('starts no item after its signal aborts, and rejects with the reason', async () => {
  const controller = new AbortController()
  const started: number[] = []
  const mapped = mapLimit(
    [1, 2, 3, 4],
    1,
    async (n) => {
      started.push(n)
      if (n === 2) controller.abort(new Error('stopped'))
      return n
    },
    { signal: controller.signal },
  )
  await expect(mapped).rejects.toThrow('stopped')
  expect(started).toEqual([1, 2])
})
