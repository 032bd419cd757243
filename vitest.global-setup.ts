import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

const tempParent = join(import.meta.dirname, 'node_modules', '.cache', 'rembg-kit-test-tmp')
const staleAfterMs = 60 * 60 * 1000

/**
 * Removes the project folders that runs over an hour old left (tests make them under node_modules/.cache), so they
 * do not pile up; younger ones may belong to a run going on beside this one (two terminals, an editor's test runner).
 */
export default async function setup(): Promise<void> {
  const entries = await readdir(tempParent).catch(() => [] as string[])
  const now = Date.now()
  for (const entry of entries) {
    const path = join(tempParent, entry)
    const info = await stat(path).catch(() => null)
    if (info && now - info.mtimeMs > staleAfterMs) await rm(path, { recursive: true, force: true })
  }
}
