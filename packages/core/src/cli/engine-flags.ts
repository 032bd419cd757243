import { resolve } from 'node:path'
import { resolveApiKey } from '../api-client.js'
import { parseEngineName, parseIntegerOption, parsePreset } from '../option-checks.js'
import type { RemoverOptions } from '../remove.js'
import type { CommandIO } from './command.js'

/** The flags that choose how mattes are made and cached, shared by every command that removes backgrounds. */
export const engineOptionFlags = {
  options: {
    engine: { type: 'string' },
    'api-key': { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'cache-dir': { type: 'string' },
    'no-cache': { type: 'boolean' },
    threads: { type: 'string' },
    provider: { type: 'string' },
    'require-provider': { type: 'boolean' },
    'allow-non-commercial': { type: 'boolean' },
    mirror: { type: 'string' },
    winograd: { type: 'boolean' },
    preset: { type: 'string' },
  },
  usage: `Engine:
  --engine <e>            local (default: a model on this machine) or remote (the rembg.com API or a compatible server)
  --api-key <key>         remote: the API key (better: set REMBG_API_KEY, which no process list shows)
  --base-url <url>        remote: the API's address (default https://api.rembg.com; also REMBG_BASE_URL)
  --model <name|path>     registry model (see 'rembg-kit models') or an .onnx file (default isnet-general-use)
  --cache-dir <dir>       cache folder (default node_modules/.cache/rembg-kit of the project)
  --no-cache              neither read nor write the cache
  --threads <n>           inference threads (default: the cores this process may use)
  --provider <p>          cpu (default), cuda, coreml, dml
  --require-provider      fail instead of falling back to cpu when the provider is missing
  --allow-non-commercial  allow a model whose licence is non-commercial (BRIA RMBG)
  --mirror <url>          base URL to download models from (also REMBG_KIT_MODEL_MIRROR)
  --winograd              faster CPU convolutions (about 18 % on IS-Net) for about 0.5 GB more memory
  --preset <p>            quality (default) or fast: IS-Net at 640x640, about 0.45x the time per image, softer fine
                          detail ('rembg-kit models' lists what each costs)`,
} as const

type EngineFlagValues = {
  engine?: string
  'api-key'?: string
  'base-url'?: string
  model?: string
  'cache-dir'?: string
  'no-cache'?: boolean
  threads?: string
  provider?: string
  'require-provider'?: boolean
  'allow-non-commercial'?: boolean
  mirror?: string
  winograd?: boolean
  preset?: string
}

/** Remover options from parsed engine flags (the CLI's defaults are the library's). */
export function engineOptionsFrom(values: EngineFlagValues, io: CommandIO): RemoverOptions {
  const options: RemoverOptions = { ...remoteOptionsFrom(values, io) }
  if (values.model) options.model = values.model
  if (values['no-cache']) options.cacheDir = false
  else if (values['cache-dir']) options.cacheDir = resolve(io.cwd, values['cache-dir'])
  if (values.threads) options.threads = parseIntegerOption('threads', values.threads)
  if (values.provider) options.provider = values.provider as RemoverOptions['provider']
  if (values['require-provider']) options.requireProvider = true
  if (values['allow-non-commercial']) options.allowNonCommercial = true
  if (values.winograd) options.winograd = true
  if (values.preset !== undefined) options.preset = parsePreset(values.preset)
  const mirror = values.mirror ?? io.env.REMBG_KIT_MODEL_MIRROR
  if (mirror) options.mirror = mirror
  return options
}

/** `--engine`, with the remote engine's key and address from flags or the environment. */
export function remoteOptionsFrom(
  values: EngineFlagValues,
  io: CommandIO,
): Pick<RemoverOptions, 'engine' | 'apiKey' | 'baseUrl'> {
  const engine = parseEngineName(values.engine ?? 'local')
  if (engine === 'local') return {}
  const apiKey = values['api-key'] ?? io.env.REMBG_API_KEY
  const baseUrl = values['base-url'] ?? io.env.REMBG_BASE_URL
  const key = resolveApiKey({ apiKey, baseUrl })
  return { engine, ...(key ? { apiKey: key } : {}), ...(baseUrl ? { baseUrl } : {}) }
}
