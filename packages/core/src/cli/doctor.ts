import { stat } from 'node:fs/promises'
import { availableParallelism, cpus } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { maskApiKey, normalizeBaseUrl } from '../api-client.js'
import { defaultCacheDir, folderSize } from '../cache.js'
import { resolveModelSpec } from '../engines/local.js'
import { describeError, isRembgError } from '../errors.js'
import { rememberedSha256 } from '../file-facts.js'
import { imglyDataDir } from '../models/imgly.js'
import { defaultModel, models } from '../models/registry.js'
import { findModel, modelDirs } from '../models/store.js'
import { describeSavedForm, listSavedForms } from '../onnx/saved-form.js'
import {
  availableProviders,
  cgroupCpuLimit,
  defaultThreads,
  runtimeBinaryDir,
  runtimePackage,
  runtimeVersion,
} from '../onnx/session.js'
import { modelPresets, presetLines } from '../presets.js'
import { formatBytes } from '../progress.js'
import { presetNames } from '../values.js'
import type { Command, CommandIO } from './command.js'
import { printTable } from './table.js'

export const doctorUsage = `Usage: rembg-kit doctor [--model <name|path>] [--cache-dir <dir>] [--provider <p>]

Prints what this machine gives rembg-kit (Node, platform, onnxruntime-node and sharp with their binaries, execution
providers, threads, models present, cache) and, for each problem, the command that fixes it. Exits 1 when a piece
that removal needs is missing.`

/** A problem found: what is wrong, the command that fixes it, and whether removal cannot work until it is fixed. */
interface Problem {
  what: string
  fix: string
  fatal: boolean
}

export const doctorCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      'cache-dir': { type: 'string' },
      provider: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(`${doctorUsage}\n`)
    return 0
  }
  const problems: Problem[] = []
  const line = (label: string, text: string) => io.stdout.write(`${label.padEnd(18)}${text}\n`)

  line('node', `${process.version} on ${process.platform}-${process.arch}, ${cpus()[0]?.model ?? 'unknown CPU'}`)
  const ort = await checkRuntime(problems)
  line('onnxruntime-node', ort.text)
  line('sharp', await checkSharp(problems))
  line(
    'providers',
    ort.providers ? providerText(ort.providers, values.provider, problems) : 'unknown (runtime not loaded)',
  )
  line(
    'threads',
    `${defaultThreads()} per inference (${availableParallelism()} cores${quotaText()}; --threads sets it, concurrency divides it)`,
  )
  await printModels(io, values.model ?? defaultModel, problems)
  printPresets(io, values.model ?? defaultModel)
  await printSavedForms(io)
  const cacheDir = values['cache-dir'] ? resolve(io.cwd, values['cache-dir']) : defaultCacheDir(io.cwd, io.env)
  line('cache', `${cacheDir} (${formatBytes(await folderSize(cacheDir))})`)
  line('remote engine', remoteText(io))
  return printProblems(io, problems)
}

/** The remote engine's address and whether a key is set, the key itself masked. */
function remoteText(io: CommandIO): string {
  const key = io.env.REMBG_API_KEY
  const where = normalizeBaseUrl(io.env.REMBG_BASE_URL)
  return `${where}, ${key ? `REMBG_API_KEY ${maskApiKey(key)}` : 'REMBG_API_KEY not set (needed for --engine remote)'}`
}

function quotaText(): string {
  const quota = cgroupCpuLimit()
  return quota === undefined ? '' : `, a CPU quota of ${quota}`
}

async function checkRuntime(problems: Problem[]): Promise<{ text: string; providers?: string[] }> {
  try {
    return { text: `${runtimeVersion()} (binary ${runtimeBinaryDir()})`, providers: availableProviders() }
  } catch (error) {
    const missing = isRembgError(error) && error.code === 'RUNTIME_NOT_INSTALLED'
    problems.push({
      what: missing
        ? 'onnxruntime-node is not installed (the local engine needs it, the remote engine does not)'
        : `onnxruntime-node does not load: ${describeError(error).split('\n')[0]}`,
      fix: `ONNXRUNTIME_NODE_INSTALL=skip npm install ${runtimePackage} (its CPU binaries ship in the package)`,
      fatal: true,
    })
    return { text: missing ? 'not installed' : 'not loadable' }
  }
}

async function checkSharp(problems: Problem[]): Promise<string> {
  try {
    const sharp = (await import('sharp')).default
    const versions = sharp.versions as Record<string, string | undefined>
    return `${versions.sharp ?? '?'} with libvips ${versions.vips} (binary @img/sharp-${process.platform}-${process.arch})`
  } catch (error) {
    problems.push({
      what: `sharp does not load: ${describeError(error).split('\n')[0]}`,
      fix: `npm install --include=optional sharp (installs @img/sharp-${process.platform}-${process.arch})`,
      fatal: true,
    })
    return 'not loadable'
  }
}

function providerText(available: string[], wanted: string | undefined, problems: Problem[]): string {
  if (wanted && wanted !== 'cpu' && !available.includes(wanted)) {
    problems.push({
      what: `execution provider '${wanted}' is not available (rembg-kit would fall back to cpu)`,
      fix:
        wanted === 'cuda'
          ? 'install the CUDA 12 runtime and cuDNN 9, then reinstall onnxruntime-node with its install script enabled'
          : `use --provider cpu, or a machine and onnxruntime-node build that has '${wanted}'`,
      fatal: false,
    })
  }
  return `${available.join(', ')} (default cpu)`
}

async function printModels(io: CommandIO, wanted: string, problems: Problem[]): Promise<void> {
  const dirs = modelDirs(io.env)
  io.stdout.write(`${'models'.padEnd(18)}${dirs.home} (also read: ${dirs.reuse.join(', ')})\n`)
  const rows: string[][] = []
  for (const spec of Object.values(models)) {
    const path = await findModel(spec, io.env)
    if (!path) continue
    const size = formatBytes((await stat(path)).size)
    rows.push([spec.name, spec.license, size, (await rememberedSha256(path, dirs.home)).slice(0, 16), path])
  }
  if (rows.length > 0) printTable(io.stdout, ['model', 'license', 'size', 'sha256', 'path'], rows, '  ')
  else io.stdout.write('  (no model present yet)\n')
  if (imglyDataDir())
    io.stdout.write('  @imgly/background-removal-data is installed: isnet-imgly is available offline (AGPL-3.0)\n')
  await checkWantedModel(io, wanted, problems)
}

/** The local engine's presets, what each costs, and which the model asked about has. */
function printPresets(io: CommandIO, wanted: string): void {
  let has = ''
  try {
    has = `; ${wanted} has: ${modelPresets(resolveModelSpec({ model: wanted, allowNonCommercial: true })).join(', ')}`
  } catch {
    // an unknown model is reported with the models
  }
  io.stdout.write(`${'presets'.padEnd(18)}${presetNames.join(', ')} (--preset; default quality)${has}\n`)
  for (const text of presetLines()) io.stdout.write(`  ${text}\n`)
}

/** The saved session forms (onnx/saved-form.ts) and whether this machine can load them. */
async function printSavedForms(io: CommandIO): Promise<void> {
  const dir = join(modelDirs(io.env).home, 'sessions')
  const forms = await listSavedForms(dir)
  if (forms.length === 0) {
    io.stdout.write(`${'session forms'.padEnd(18)}none in ${dir} yet (the first run of a model on cpu saves one)\n`)
    return
  }
  io.stdout.write(`${'session forms'.padEnd(18)}${dir} (loaded instead of optimising the model at start)\n`)
  // A runtime that does not load is reported above; its forms then match no version.
  const runtime = (() => {
    try {
      return runtimeVersion()
    } catch {
      return 'not loadable'
    }
  })()
  const rows: string[][] = []
  for (const form of forms) {
    rows.push([basename(form.path), formatBytes(form.size), await describeSavedForm(form, dir, runtime)])
  }
  printTable(io.stdout, ['file', 'size', 'on this machine'], rows, '  ')
}

async function checkWantedModel(io: CommandIO, wanted: string, problems: Problem[]): Promise<void> {
  try {
    const spec = resolveModelSpec({ model: wanted, allowNonCommercial: true })
    if (await findModel(spec, io.env)) return
    if (spec.source.kind === 'file') {
      problems.push({
        what: `model file '${spec.source.path}' does not exist`,
        fix: 'pass --model with the path of an existing .onnx file, or a model name from `rembg-kit models`',
        fatal: true,
      })
    } else if (spec.source.kind === 'imgly' && !imglyDataDir()) {
      problems.push({
        what: `model '${wanted}' needs @imgly/background-removal-data (AGPL-3.0)`,
        fix: 'pnpm add -D @imgly/background-removal-data',
        fatal: true,
      })
    } else {
      problems.push({
        what: `model '${wanted}' is not present: the first removal would wait on it`,
        fix: `rembg-kit models pull ${wanted}`,
        fatal: false,
      })
    }
  } catch (error) {
    problems.push({ what: describeError(error), fix: 'rembg-kit models  (lists the model names)', fatal: true })
  }
}

function printProblems(io: CommandIO, problems: Problem[]): number {
  if (problems.length === 0) {
    io.stdout.write('\nNo problems found.\n')
    return 0
  }
  io.stdout.write(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`)
  for (const p of problems) io.stdout.write(`- ${p.what}\n  fix: ${p.fix}\n`)
  return problems.some((p) => p.fatal) ? 1 : 0
}
