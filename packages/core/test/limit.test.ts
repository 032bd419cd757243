import { expect, it } from 'vitest'
import { Limiter } from '../src/engines/limit.js'

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
