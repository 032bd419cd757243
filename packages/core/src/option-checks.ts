/**
 * The checks of the options adapters read beside the parameter set (an engine's name, counts such as concurrency),
 * once, so a CLI flag, an action input, a Strapi config key and a server setting are refused in the same words.
 * Adapters put their own prefix in front (the flag, the input, the config key).
 */
import {
  belowMinimum,
  notAnInteger,
  notBetween,
  presetNeedsLocal,
  RembgError,
  unknownEngine,
  unknownPreset,
} from './errors.js'
import { parseInteger } from './params.js'
import { type EngineName, engineNames, type Preset, presetNames } from './values.js'

/**
 * An integer option from a number or a string (as Python's `int()` reads one), at least `min` (default 1) and, when
 * `max` is given, at most `max`. Throws `'concurrency' must be an integer, got: 'two'`, `'concurrency' must be at
 * least 1, got: 0`, or with a `max`, `'month' must be between 1 and 12, got: 13`.
 *
 * @example
 * parseIntegerOption('concurrency', '4') // 4
 * parseIntegerOption('port', 70000, { min: 0, max: 65535 }) // throws "'port' must be between 0 and 65535, got: 70000"
 */
export function parseIntegerOption(field: string, raw: unknown, range: { min?: number; max?: number } = {}): number {
  const { min = 1, max } = range
  const value = parseInteger(field, raw)
  if (value instanceof RembgError) throw value
  if (!Number.isSafeInteger(value)) throw notAnInteger(field, String(raw))
  if (max !== undefined && (value < min || value > max)) throw notBetween(field, min, max, value)
  if (value < min) throw belowMinimum(field, min, value)
  return value
}

/**
 * An engine's name, exactly as {@link engineNames} spells it.
 *
 * @example
 * parseEngineName('remote') // 'remote'
 * parseEngineName('cloud') // throws "Unknown engine 'cloud'. Engines: local, remote"
 */
export function parseEngineName(raw: unknown): EngineName {
  const name = engineNames.find((engine) => engine === raw)
  if (name === undefined) throw unknownEngine(String(raw))
  return name
}

/**
 * A preset's name, exactly as {@link presetNames} spells it; `undefined` is the default, `quality`. With `engine`,
 * also refuses a preset that engine lacks: only the local engine has any but `quality`.
 *
 * @example
 * parsePreset('fast') // 'fast'
 * parsePreset('turbo') // throws "Unknown preset 'turbo'. Presets: quality, fast"
 * parsePreset('fast', 'remote') // throws "Preset 'fast' needs engine 'local'; engine 'remote' has only 'quality'"
 */
export function parsePreset(raw: unknown, engine?: EngineName | object): Preset {
  if (raw === undefined) return 'quality'
  const name = presetNames.find((preset) => preset === raw)
  if (name === undefined) throw unknownPreset(String(raw))
  if (name !== 'quality' && engine !== undefined && engine !== 'local') throw presetNeedsLocal(name, engine)
  return name
}
