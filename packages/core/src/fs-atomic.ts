import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes a file so that no reader, in this process or another, ever sees it half-written: the bytes go to a unique
 * temporary name in the same folder, then one rename puts them in place (atomic on POSIX and NTFS). The temporary
 * file is removed if anything fails.
 *
 * @example
 * await writeFileAtomic('/cache/outputs/ab/abcd.png', bytes)
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
