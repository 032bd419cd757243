import { createRequire } from 'node:module'
import { describeError, isRembgError } from '../errors.js'
import { cacheCommand } from './cache.js'
import type { Command, CommandIO } from './command.js'
import { doctorCommand } from './doctor.js'
import { modelsCommand } from './models.js'
import { removeCommand } from './remove.js'
import { usageCommand } from './usage.js'

export const usage = `Usage: rembg-kit <command> [options]

Commands:
  remove <file|dir|glob>... -o <file|dir>   remove the background of images (a folder or several inputs is a batch)
  models                                    list the models and which are present locally
  models pull <name>...                     download models ahead of time
  doctor                                    explain this machine: runtime, providers, threads, models, cache
  usage                                     plan, credits and usage of the API key's account (remote engine)
  cache info                                what the result cache holds: entries, size, last use
  cache prune [--max-size] [--older-than]   remove the least recently used or the unused entries

Options:
  -h, --help                                this help
  -v, --version                             the version of rembg-kit

Run 'rembg-kit <command> --help' for a command's options.`

const commands: Record<string, Command> = {
  remove: removeCommand,
  models: modelsCommand,
  doctor: doctorCommand,
  usage: usageCommand,
  cache: cacheCommand,
}

/** Runs one command line and returns its exit code (the only place that prints an error). */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage}\n`)
    return name ? 0 : 1
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`)
    return 0
  }
  const command = commands[name]
  if (!command) {
    io.stderr.write(`rembg-kit: unknown command '${name}'\n\n${usage}\n`)
    return 1
  }
  try {
    return await command(args, io)
  } catch (error) {
    io.stderr.write(`${formatError(error)}\n`)
    return 1
  }
}

/** An error as the CLI prints it: `rembg-kit: <file>: <documented message>`, then one line per detail. */
export function formatError(error: unknown): string {
  const where = isRembgError(error) && error.file ? `${error.file}: ` : ''
  return `rembg-kit: ${where}${describeError(error)}`
}

/** The installed package's version, read through its own name so it holds wherever the build puts this file. */
export function version(): string {
  const manifest = createRequire(import.meta.url)('@rembg-kit/core/package.json') as { version: string }
  return manifest.version
}

/** The binary's entry: runs the command, sets the exit code. */
export async function runMain(argv: string[] = process.argv.slice(2)): Promise<void> {
  // `rembg-kit models | head`: a reader that stops early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
  process.exitCode = await runCommand(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  })
}
