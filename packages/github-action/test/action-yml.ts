/**
 * A reader for the subset of YAML that action.yml keeps to (no YAML parser is a dependency here): nested mappings by
 * two-space indentation, `key: value` lines with plain, single- or double-quoted scalars, `run: |` blocks skipped, list items
 * under `steps:` read as mappings. Enough to compare the declared inputs with the code.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageDir = fileURLToPath(new URL('..', import.meta.url))

export interface ActionYml {
  inputs: Record<string, { default?: string; required?: string; description?: string }>
  outputs: Record<string, { value?: string }>
  steps: Record<string, unknown>[]
}

const scalar = (text: string): string => {
  const trimmed = text.trim()
  if (trimmed.startsWith('"') && trimmed.endsWith('"')) return JSON.parse(trimmed) as string
  return trimmed.startsWith("'") && trimmed.endsWith("'") ? trimmed.slice(1, -1).replaceAll("''", "'") : trimmed
}

type Node = Record<string, unknown>

export function readActionYml(path = join(packageDir, 'action.yml')): ActionYml {
  const root: Node = {}
  const stack: { indent: number; node: Node | Node[] }[] = [{ indent: -1, node: root }]
  let blockIndent = -1
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue
    let indent = raw.length - raw.trimStart().length
    if (blockIndent >= 0 && indent > blockIndent) continue
    blockIndent = -1
    let line = raw.trim()
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop()
    let parent = stack.at(-1)?.node as Node | Node[]
    if (line.startsWith('- ')) {
      const item: Node = {}
      ;(parent as Node[]).push(item)
      indent += 2
      stack.push({ indent: indent - 1, node: item })
      parent = item
      line = line.slice(2)
    }
    const match = /^([^:]+):(?:\s+(.*))?$/.exec(line)
    if (!match) throw new Error(`action.yml: cannot read '${raw}'`)
    const key = match[1] as string
    const value = match[2]
    if (value === undefined) {
      const child: Node | Node[] = key === 'steps' ? [] : {}
      ;(parent as Node)[key] = child
      stack.push({ indent, node: child })
    } else if (value === '|') {
      ;(parent as Node)[key] = '<block>'
      blockIndent = indent
    } else (parent as Node)[key] = scalar(value)
  }
  const runs = root.runs as Node
  return {
    inputs: root.inputs as ActionYml['inputs'],
    outputs: root.outputs as ActionYml['outputs'],
    steps: runs.steps as Node[],
  }
}
