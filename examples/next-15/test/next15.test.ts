/**
 * examples/next-15: the same app on Next.js 15, which builds and serves with webpack by default (`next build`, then
 * `next start`; `next dev`). Its Turbopack cannot select imports by query (rule conditions on the query came with
 * Next 16.2), so `next dev --turbopack` must stop with the reason instead of serving the photos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, cutoutLines, type RunningApp, startApp } from '../../next/test/next-app.ts'
import { checkServedApp } from '../../next/test/served-app.ts'

describe('examples/next-15', () => {
  describe('next build (webpack) and next start', () => {
    let output: string
    let app: RunningApp | undefined

    beforeAll(async () => {
      output = await buildApp('build', { example: 'next-15', fresh: true })
      app = await startApp('start', { example: 'next-15' })
    })
    afterAll(async () => {
      await app?.stop()
    })

    it('builds with Next.js 15 and makes the 4 cutouts', () => {
      expect(output).toMatch(/Next\.js 15\./)
      const files = new Set(cutoutLines(output).map((line) => `${line.file} ${line.size} ${line.format}`))
      expect([...files].sort()).toEqual([
        'app/images/ball.jpg 800x600 webp',
        'app/images/box.jpg 320x240 png',
        'app/images/vase.jpg 240x180 png',
        'app/images/vase.jpg 480x360 png',
      ])
    })

    checkServedApp(() => app as RunningApp)
  })

  describe('next dev (webpack)', () => {
    let app: RunningApp | undefined

    beforeAll(async () => {
      app = await startApp('dev', { example: 'next-15' })
    })
    afterAll(async () => {
      await app?.stop()
    })

    checkServedApp(() => app as RunningApp)
  })

  it('stops next dev --turbopack with the reason', async () => {
    const failure = await startApp('dev', { example: 'next-15', args: ['--turbopack'] }).then(
      async (app) => {
        await app.stop()
        return 'next dev --turbopack started'
      },
      (error: Error) => error.message,
    )
    expect(failure).toContain(
      'rembg-kit: Turbopack in Next.js 15.5.29 cannot select ?rembg imports (rule conditions on the query need ' +
        'Next.js 16.2): build and run with webpack (next dev and next build without --turbopack) or upgrade Next.js',
    )
  })
})
