import { type ParseArgsConfig, parseArgs } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * `parseArgs` that takes a negative number after a flag that has a value as that value (`--angle -90`, `--w -5`),
 * so it reaches core's validation like any other value; Node's parser would call it an ambiguous flag.
 *
 * @example
 * parseCommandArgs(['--angle', '-90'], { angle: { type: 'string' } }).values.angle // '-90'
 */
export function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; allowNegative: false }>> {
  return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, allowNegative: false })
}

function joinNegativeValues(args: string[], options: Options): string[] {
  const takesValue = (arg: string): boolean => arg.startsWith('--') && options[arg.slice(2)]?.type === 'string'
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const next = args[i + 1]
    if (arg === '--') return [...joined, ...args.slice(i)]
    if (takesValue(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`)
      i++
    } else {
      joined.push(arg)
    }
  }
  return joined
}
