/**
 * What every command shares, in a module that imports no command: `main.ts` imports the commands, a command never
 * imports `main.ts`, so each built file loads on its own (no import cycle).
 */

/** One command: parses its own arguments, writes to the given streams, returns the exit code. Never exits. */
export type Command = (args: string[], io: CommandIO) => Promise<number>

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
}
