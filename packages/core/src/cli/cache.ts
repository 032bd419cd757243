import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import bytes from 'bytes'
import { defaultCacheDir } from '../cache.js'
import { type CacheSummary, parseCacheAge, parseCacheSize, pruneCache, summarizeCache } from '../cache-retention.js'
import type { Command, CommandIO } from './command.js'

export const cacheUsage = `Usage: rembg-kit cache info [--cache-dir <dir>]
       rembg-kit cache prune [--max-size <size>] [--older-than <duration>] [--cache-dir <dir>]

info    prints the cache folder, its entries (mattes and outputs), their size and the oldest and newest last use
prune   removes the entries not used for --older-than (30d, 12h, 2w), then the least recently used ones until the
        rest fit in --max-size (500MB, 2GB: units of 1024); other processes may use the cache meanwhile

--cache-dir defaults to node_modules/.cache/rembg-kit of the project around the current folder.`

/** `rembg-kit cache info|prune`: what the result cache holds, and making it smaller. */
export const cacheCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'cache-dir': { type: 'string' },
      'max-size': { type: 'string' },
      'older-than': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [action, ...extra] = positionals
  if (values.help) {
    io.stdout.write(`${cacheUsage}\n`)
    return 0
  }
  if ((action !== 'info' && action !== 'prune') || extra.length > 0) {
    io.stderr.write(`rembg-kit cache: ${action ? `unknown action '${action}'` : 'info or prune?'}\n\n${cacheUsage}\n`)
    return 1
  }
  const dir = values['cache-dir'] ? resolve(io.cwd, values['cache-dir']) : defaultCacheDir(io.cwd, io.env)
  if (action === 'info') {
    io.stdout.write(formatSummary(await summarizeCache(dir)))
    return 0
  }
  const maxSize = values['max-size'] === undefined ? undefined : parseCacheSize('--max-size', values['max-size'])
  const olderThan = values['older-than'] === undefined ? undefined : parseCacheAge('--older-than', values['older-than'])
  if (maxSize === undefined && olderThan === undefined) {
    io.stderr.write(`rembg-kit cache prune: give --max-size, --older-than or both\n\n${cacheUsage}\n`)
    return 1
  }
  return prune(io, dir, {
    ...(maxSize === undefined ? {} : { maxSize }),
    ...(olderThan === undefined ? {} : { olderThan }),
  })
}

async function prune(io: CommandIO, dir: string, options: { maxSize?: number; olderThan?: number }): Promise<number> {
  const { removed, kept } = await pruneCache(dir, options)
  io.stdout.write(
    `removed ${plural(removed.entries, 'entry', 'entries')} (${sizeText(removed.size)}), ` +
      `kept ${plural(kept.entries, 'entry', 'entries')} (${sizeText(kept.size)}) in ${dir}\n`,
  )
  return 0
}

/** The figures of `cache info`, one per line, sizes exact in bytes beside the readable form. */
function formatSummary(summary: CacheSummary): string {
  const { mattes, outputs } = summary
  const lines = [
    ['cache', summary.dir],
    [
      'entries',
      `${summary.entries} (${plural(mattes.entries, 'matte', 'mattes')}, ${plural(outputs.entries, 'output', 'outputs')})`,
    ],
    ['size', `${sizeText(summary.size)} (mattes ${sizeText(mattes.size)}, outputs ${sizeText(outputs.size)})`],
    ['oldest use', summary.oldest?.toISOString() ?? '-'],
    ['newest use', summary.newest?.toISOString() ?? '-'],
  ]
  return lines.map(([label, text]) => `${label?.padEnd(12)}${text}\n`).join('')
}

function sizeText(size: number): string {
  return size < 1024 ? `${size} bytes` : `${bytes.format(size, { unitSeparator: ' ' })} = ${size} bytes`
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}
