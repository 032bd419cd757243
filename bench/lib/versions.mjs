// Versions of what is measured, for the report's header: numbers from two machines or two installs only compare
// when these match.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

/** The version of package `name` as resolved from `from` (a file path), or '?' when it cannot be found. */
function packageVersion(name, from) {
  try {
    // Not require.resolve(`${name}/package.json`): sharp's exports map does not expose it.
    let dir = dirname(createRequire(from).resolve(name))
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8'))
        if (pkg.name === name) return pkg.version
      }
      dir = dirname(dir)
    }
  } catch {
    // not installed: reported as '?'
  }
  return '?'
}

/** One line per stack: the machine, and which runtime and image library each configuration loads. */
export function describeVersions() {
  const here = fileURLToPath(import.meta.url)
  let imgly = null
  try {
    imgly = require.resolve('@imgly/background-removal-node')
  } catch {
    // (c) not installed: its line says so
  }
  const cpu = cpus()
  return [
    `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? '?'}, Node ${process.version}, ${process.platform}-${process.arch}`,
    `(a) (b): onnxruntime-node ${packageVersion('onnxruntime-node', here)}, sharp ${packageVersion('sharp', here)}`,
    imgly
      ? `(c): @imgly/background-removal-node ${packageVersion('@imgly/background-removal-node', here)}, ` +
        `onnxruntime-node ${packageVersion('onnxruntime-node', imgly)}, sharp ${packageVersion('sharp', imgly)}`
      : '(c): @imgly/background-removal-node is not installed',
  ]
}
