import { isRembgError } from '../errors.js'
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

Run 'rembg-kit <command> --help' for a command's options.`

/** One command: parses its own arguments, writes to the given streams, returns the exit code. Never exits. */
export type Command = (args: string[], io: CommandIO) => Promise<number>

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
}

const commands: Record<string, Command> = {
  remove: removeCommand,
  models: modelsCommand,
  doctor: doctorCommand,
  usage: usageCommand,
}

/** Runs one command line and returns its exit code (the only place that prints an error). */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage}\n`)
    return name ? 0 : 1
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

/** The message and its details, without the program or the file. */
export function describeError(error: unknown): string {
  if (!isRembgError(error)) return error instanceof Error ? error.message : String(error)
  return error.message + (error.details ?? []).map((d) => `\n  ${d.field}: ${d.message}`).join('')
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
