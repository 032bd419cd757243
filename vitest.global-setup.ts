import { rm } from 'node:fs/promises'
import { join } from 'node:path'

/** Each run starts without the project folders earlier runs left (tests make them under node_modules/.cache). */
export default async function setup(): Promise<void> {
  await rm(join(import.meta.dirname, 'node_modules', '.cache', 'rembg-kit-test-tmp'), { recursive: true, force: true })
}
