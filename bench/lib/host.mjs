// Host settings that move the cold-start figures by half: the kernel's transparent huge pages mode (a first touch of
// the runtime's large buffers costs a page fault per 4 KiB page unless huge pages back them) and the C library, whose
// malloc takes huge pages on request from glibc 2.35 (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). Figures from two hosts
// compare only when these match.
import { readFileSync } from 'node:fs'

/** The huge-page malloc tunable, as the cold-start rows set it. */
export const hugetlbTunable = 'glibc.malloc.hugetlb=1'

/**
 * The kernel's transparent huge pages mode: the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled
 * (`always`, `madvise` or `never`), or 'unknown' where the file is missing (not Linux, a restricted container).
 *
 * @example
 * thpMode() // 'madvise' on Ubuntu and GitHub's hosted runners
 */
export function thpMode(read = (path) => readFileSync(path, 'utf8')) {
  try {
    return /\[(\w+)\]/.exec(read('/sys/kernel/mm/transparent_hugepage/enabled'))?.[1] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * The C library Node runs on: `glibc 2.36`, or `not glibc` (musl on Alpine, macOS, Windows), from Node's own report.
 */
export function cLibrary() {
  const report = /** @type {{ header: { glibcVersionRuntime?: string } }} */ (process.report.getReport())
  const version = report.header.glibcVersionRuntime
  return version ? `glibc ${version}` : 'not glibc'
}

/** One line for a report: `host: THP madvise, glibc 2.36`. */
export function describeHost() {
  return `host: THP ${thpMode()}, ${cLibrary()}`
}
