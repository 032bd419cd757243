// A bad output parameter in config/plugins.ts stops the boot with core's message and the config key.
import { resolveParams } from '@rembg-kit/core'
import { expect, it } from 'vitest'
import { startStrapi } from './strapi.ts'

it("params.format 'gif' fails the boot", async () => {
  const coreMessage = (() => {
    try {
      resolveParams({ format: 'gif' })
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('core accepted gif')
  })()
  const boot = startStrapi('bad-config', { plugins: { rembg: { config: { params: { format: 'gif' } } } } })
  await expect(boot).rejects.toThrow(`plugin::rembg config params.format: ${coreMessage}`)
})
