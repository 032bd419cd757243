import { parseArgs } from 'node:util'
import { resolveModelSpec } from '../engines/local.js'
import { ensureModel, listModels } from '../models/store.js'
import { presetLines } from '../presets.js'
import { formatBytes } from '../progress.js'
import type { Command } from './command.js'
import { printTable } from './table.js'

export const modelsUsage = `Usage: rembg-kit models              list the models and which are present locally
       rembg-kit models pull <name>...  download (or assemble) models now, so no build or request waits on one

  --mirror <url>          base URL to download models from (also REMBG_KIT_MODEL_MIRROR)
  --allow-non-commercial  allow pulling a model whose licence is non-commercial`

export const modelsCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mirror: { type: 'string' },
      'allow-non-commercial': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(`${modelsUsage}\n`)
    return 0
  }
  const [sub, ...names] = positionals
  if (sub === undefined || sub === 'list') {
    const rows = (await listModels(io.env)).map((m) => [
      m.name,
      m.license + (m.nonCommercial ? ' (non-commercial)' : ''),
      m.presets.join(', '),
      m.present ? `yes ${formatBytes(m.size ?? 0)}` : 'no',
      m.path ?? '',
    ])
    printTable(io.stdout, ['model', 'license', 'presets', 'present', 'path'], rows)
    io.stdout.write(`\n${presetLines().join('\n')}\n`)
    return 0
  }
  if (sub !== 'pull' || names.length === 0) {
    io.stderr.write(`${modelsUsage}\n`)
    return 1
  }
  const mirror = values.mirror ?? io.env.REMBG_KIT_MODEL_MIRROR
  for (const name of names) {
    const spec = resolveModelSpec({ model: name, allowNonCommercial: values['allow-non-commercial'] })
    const path = await ensureModel(spec, { env: io.env, ...(mirror ? { mirror } : {}) })
    io.stdout.write(`${name}: ${path}\n`)
  }
  return 0
}
