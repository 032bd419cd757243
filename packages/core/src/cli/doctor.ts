import type { Command } from './main.js'

export const doctorCommand: Command = async (_args, io) => {
  io.stdout.write('doctor: not yet\n')
  return 0
}
