import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createProgress, formatBytes } from '../src/progress.js'

/** A stream that records what is written; a TTY or not. */
function fakeStream(
  isTTY: boolean,
  columns = 200,
): { isTTY: boolean; columns: number; writes: string[]; write(chunk: string): boolean } {
  return {
    isTTY,
    columns,
    writes: [],
    write(chunk) {
      this.writes.push(chunk)
      return true
    },
  }
}

const savedCi = process.env.CI
beforeEach(() => {
  delete process.env.CI
})
afterEach(() => {
  if (savedCi === undefined) delete process.env.CI
  else process.env.CI = savedCi
})

describe('createProgress', () => {
  it('writes nothing to a stream that is not a terminal', () => {
    const stream = fakeStream(false)
    const bar = createProgress({ label: 'Downloading u2net', total: 100, stream, unit: 'bytes' })
    bar.update(50)
    bar.tick('x')
    bar.done('finished')

    expect(bar.active).toBe(false)
    expect(stream.writes).toEqual([])
  })

  it('writes nothing on a terminal when CI is set', () => {
    process.env.CI = 'true'
    const stream = fakeStream(true)
    const bar = createProgress({ label: 'Downloading u2net', total: 100, stream, unit: 'bytes' })
    bar.update(50)
    bar.done()

    expect(bar.active).toBe(false)
    expect(stream.writes).toEqual([])
  })

  it('draws a byte bar with percent, amounts and rate, at most every 100 ms', () => {
    const stream = fakeStream(true)
    let clock = 0
    const bar = createProgress({
      label: 'Downloading u2net',
      total: 1_000_000,
      stream,
      unit: 'bytes',
      now: () => clock,
    })
    expect(bar.active).toBe(true)

    clock = 1000
    bar.update(250_000)
    clock = 1050
    bar.update(500_000) // within 100 ms of the last drawing: skipped
    clock = 1100
    bar.update(600_000)
    clock = 1150
    bar.update(1_000_000) // skipped, but done() draws the final state
    bar.done()
    bar.update(5) // after done: ignored

    expect(stream.writes).toEqual([
      '\rDownloading u2net [#####...............] 25% 250.0 kB/1.0 MB 250.0 kB/s\x1b[K',
      '\rDownloading u2net [############........] 60% 600.0 kB/1.0 MB 545.5 kB/s\x1b[K',
      '\rDownloading u2net [####################] 100% 1.0 MB/1.0 MB 869.6 kB/s\x1b[K',
      '\n',
    ])
  })

  it('counts items with tick, shows the last message, and takes a total learned later', () => {
    const stream = fakeStream(true)
    let clock = 0
    const bar = createProgress({ label: 'Removing', stream, now: () => clock })

    clock = 500
    bar.tick('a.jpg')
    clock = 1000
    bar.update(3, 4)
    bar.done('done')

    expect(stream.writes).toEqual([
      '\rRemoving 1 2.0/s a.jpg\x1b[K',
      '\rRemoving [###############.....] 75% 3/4 3.0/s a.jpg\x1b[K',
      '\rRemoving [###############.....] 75% 3/4 3.0/s done\x1b[K',
      '\n',
    ])
  })

  it('cuts the line to the terminal width so the redraw never wraps', () => {
    const stream = fakeStream(true, 20)
    const bar = createProgress({ label: 'Downloading birefnet-massive', total: 10, stream, now: () => 0 })
    bar.update(5)

    expect(stream.writes).toEqual(['\rDownloading birefne\x1b[K'])
  })
})

describe('formatBytes', () => {
  it('prints decimal units with one decimal', () => {
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1.0 kB')
    expect(formatBytes(176_000_000)).toBe('176.0 MB')
    expect(formatBytes(2_500_000_000)).toBe('2.5 GB')
  })
})
