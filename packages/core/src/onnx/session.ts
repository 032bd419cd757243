/**
 * Creating onnxruntime sessions with the options that make a background-removal model fast on this machine: as many
 * intra-op threads as cores, one inter-op thread and sequential execution (these graphs are a single chain of
 * convolutions), full graph optimisation (its NCHWc convolutions are a third faster than 'extended'), and no memory
 * pattern planning (it costs hundreds of MB of peak memory and saves no time here). Measured in bench/onnx-speed.mjs.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { RembgError } from '../errors.js'
import type { CreateSession, SessionForm } from './saved-form.js'

export type ExecutionProvider = 'cpu' | 'cuda' | 'coreml' | 'dml'

export interface SessionOptions {
  /**
   * Where the engine's notes go, one line each (`rembg-kit: model ... on cpu, 8 threads`, a provider fallback, a saved
   * session form rebuilt): a bundler plugin hands them to the bundler's logger, or drops them.
   * @default a line on stderr
   */
  log?: (line: string) => void
  /** Intra-op threads. @default defaultThreads() */
  threads?: number
  /** Execution provider. @default 'cpu' */
  provider?: ExecutionProvider
  /** Fail instead of falling back to cpu when the provider is missing or fails to start. @default false */
  requireProvider?: boolean
}

type Ort = typeof ort

const localRequire = createRequire(import.meta.url)
let runtime: Ort | undefined

/** The onnxruntime-node release core is tested with: what its optional peer dependency asks for. */
export const runtimePackage = 'onnxruntime-node@1.30.0'

// Loaded on first use and synchronously (availableProviders() is synchronous): the native runtime is 45 MB of
// library that a program using only the remote engine never needs, so it is an optional peer dependency.
export function loadRuntime(): Ort {
  if (!runtime) {
    try {
      runtime = localRequire('onnxruntime-node') as Ort
    } catch (error) {
      throw isRuntimeMissing(error) ? runtimeNotInstalled(error) : error
    }
  }
  return runtime
}

/**
 * Fails unless onnxruntime-node can be found, without loading it (a file-system lookup): a local engine is refused
 * when it is made, not after a model download, and a build whose results are all cached still loads no runtime.
 */
export function checkRuntimeInstalled(): void {
  if (runtime) return
  try {
    localRequire.resolve('onnxruntime-node')
  } catch (error) {
    throw isRuntimeMissing(error) ? runtimeNotInstalled(error) : error
  }
}

/**
 * The error of a local engine asked for where onnxruntime-node is not installed, naming the install command.
 *
 * @example
 * runtimeNotInstalled().message
 * // "The local engine needs onnxruntime-node, which is not installed. Install it: npm install onnxruntime-node@1.30.0
 * // (pnpm add onnxruntime-node@1.30.0, yarn add onnxruntime-node@1.30.0), or choose engine 'remote'."
 */
export function runtimeNotInstalled(cause?: unknown): RembgError {
  return new RembgError(
    `The local engine needs onnxruntime-node, which is not installed. Install it: npm install ${runtimePackage} (pnpm add ${runtimePackage}, yarn add ${runtimePackage}), or choose engine 'remote'.`,
    { status: 500, code: 'RUNTIME_NOT_INSTALLED', field: 'engine', ...(cause === undefined ? {} : { cause }) },
  )
}

// Only onnxruntime-node itself not found: a missing file inside an installed runtime (a broken install, a binding
// for another platform) keeps its own message.
function isRuntimeMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
    error.message.startsWith("Cannot find module 'onnxruntime-node'")
  )
}

/**
 * Intra-op threads for one session: the cores this process may use, shared between `share` engines that run at once.
 *
 * @example
 * defaultThreads() // 8 on an 8-core machine
 * defaultThreads(3) // 2: three engines side by side
 */
export function defaultThreads(share = 1): number {
  const cores = Math.min(availableParallelism(), cgroupCpuLimit() ?? Number.POSITIVE_INFINITY)
  return Math.max(1, Math.floor(cores / Math.max(1, share)))
}

/**
 * The CPUs a cgroup quota grants this process (Docker `--cpus`, Kubernetes CPU limits), rounded up, or undefined when
 * there is none. Node 20's availableParallelism() sees the host's cores in a container: 64 threads on a 2-CPU quota
 * would be throttled into running slower than 2.
 *
 * @example
 * cgroupCpuLimit() // 2 in `docker run --cpus=1.5`, undefined on a machine without a quota
 */
export function cgroupCpuLimit(
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): number | undefined {
  const quota = (text: string, period: string): number | undefined => {
    const [q, p] = [Number(text), Number(period)]
    return q > 0 && p > 0 ? Math.max(1, Math.ceil(q / p)) : undefined
  }
  try {
    const [max, period] = read('/sys/fs/cgroup/cpu.max').trim().split(/\s+/) // cgroup v2: "200000 100000" or "max 100000"
    return quota(max ?? '', period ?? '')
  } catch {
    try {
      return quota(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'))
    } catch {
      return undefined
    }
  }
}

/**
 * The execution providers the installed onnxruntime-node can use. A provider it lists as not bundled (CUDA and
 * TensorRT on Linux) counts only when its library has been installed beside the binding.
 *
 * @example
 * availableProviders() // ['cpu', 'webgpu'] on Linux x64 without the CUDA libraries
 */
export function availableProviders(): string[] {
  const backends = loadRuntime().listSupportedBackends()
  const binaryDir = runtimeBinaryDir()
  return backends
    .filter((backend) => backend.bundled || existsSync(join(binaryDir, providerLibrary(backend.name))))
    .map((backend) => backend.name)
}

/** The folder of onnxruntime-node's native binding for this platform (where provider libraries go too). */
export function runtimeBinaryDir(): string {
  return join(dirname(localRequire.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch)
}

/** The installed onnxruntime-node's version, loading the runtime. */
export function runtimeVersion(): string {
  return loadRuntime().env.versions.node ?? 'unknown'
}

function providerLibrary(name: string): string {
  if (process.platform === 'win32') return `onnxruntime_providers_${name}.dll`
  return `libonnxruntime_providers_${name}.${process.platform === 'darwin' ? 'dylib' : 'so'}`
}

/**
 * The line printed (once per provider and process) when cpu is used instead of `provider`: because the runtime does
 * not have it, or (`failed`) because it has it but could not start it (a CUDA library without a GPU, WebGPU without
 * an adapter).
 */
export function providerFallbackMessage(provider: string, failed = false): string {
  return `rembg-kit: execution provider '${provider}' ${failed ? 'failed to start' : 'is not available'}, using 'cpu'`
}

function runtimeDescription(): string {
  return `onnxruntime-node ${runtimeVersion()} on ${process.platform}-${process.arch}`
}

/** The error thrown when a provider is missing and `requireProvider` is set. */
export function providerUnavailable(provider: string, available: string[]): RembgError {
  return new RembgError(
    `Execution provider '${provider}' is not available in ${runtimeDescription()}. Available: ${available.join(', ')}.`,
    { status: 500, code: 'PROVIDER_UNAVAILABLE', field: 'provider' },
  )
}

/** The error thrown when a provider the runtime has fails to start and `requireProvider` is set. */
export function providerFailed(provider: string, cause: unknown): RembgError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]?.trim()
  return new RembgError(`Execution provider '${provider}' failed to start in ${runtimeDescription()}: ${reason}`, {
    status: 500,
    code: 'PROVIDER_UNAVAILABLE',
    field: 'provider',
    cause,
  })
}

const warned = new Set<string>()

/** Writes one of the engine's notes where `options.log` says, to stderr by default. */
export function logLine(options: Pick<SessionOptions, 'log'>, line: string): void {
  if (options.log) options.log(line)
  else process.stderr.write(`${line}\n`)
}

function warnOnce(options: SessionOptions, provider: string, failed: boolean): void {
  const message = providerFallbackMessage(provider, failed)
  if (warned.has(message)) return
  warned.add(message)
  logLine(options, message)
}

/** Picks the provider to try: the one asked for when the runtime has it, cpu otherwise (or an error). */
function chooseProvider(options: SessionOptions): string {
  const wanted = options.provider ?? 'cpu'
  if (wanted === 'cpu') return wanted
  const available = availableProviders()
  if (available.includes(wanted)) return wanted
  if (options.requireProvider) throw providerUnavailable(wanted, available)
  warnOnce(options, wanted, false)
  return 'cpu'
}

/** The session options, apart from the provider; exported so the benchmark and tests see what is used. */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableMemPattern: false,
    // Measured on IS-Net 1024: without the arena every run maps and unmaps its large buffers again (about 15 % slower)
    // and peak RSS is no lower.
    enableCpuMemArena: true,
  }
}

/**
 * Opens a model with the fast options on the provider asked for, or on cpu (with one line on stderr) when the runtime
 * lacks that provider or cannot start it, unless `requireProvider` makes that an error. On cpu, with `savedFormDir`,
 * the graph optimised for this machine is saved there and loaded by later processes (see saved-form.ts). Ask for one
 * session per model per process and keep it: creating and releasing sessions leaks native memory (onnxruntime #25325).
 *
 * @example
 * const { session, provider } = await createSession('/models/isnet.opt.onnx', { threads: defaultThreads() })
 * const result = await session.run({ input: tensor })
 */
export async function createSession(
  modelPath: string,
  options: SessionOptions,
  savedFormDir?: string,
): Promise<{ session: ort.InferenceSession; provider: string; form: SessionForm }> {
  const provider = chooseProvider(options)
  const settings = sessionOptions(options.threads ?? defaultThreads())
  const { InferenceSession } = loadRuntime()
  const create: CreateSession = (path, sessionSettings) => InferenceSession.create(path, sessionSettings)
  const openCpu = async (): Promise<{ session: ort.InferenceSession; form: SessionForm }> => {
    if (savedFormDir === undefined) return { session: await create(modelPath, settings), form: 'unsaved' }
    const warn = (message: string): void => logLine(options, `rembg-kit: ${message}`)
    const context = { dir: savedFormDir, runtime: runtimeVersion(), create, warn }
    // Loaded with the session, not with the engine: a process answered from the cache never needs it.
    const { openWithSavedForm } = await import('./saved-form.js')
    return openWithSavedForm(modelPath, settings, context)
  }
  if (provider === 'cpu') return { ...(await openCpu()), provider }
  try {
    const session = await create(modelPath, { ...settings, executionProviders: [provider] })
    return { session, provider, form: 'unsaved' }
  } catch (error) {
    if (options.requireProvider) throw providerFailed(provider, error)
    warnOnce(options, provider, true)
    // A model that cannot load at all fails here again, with the runtime's own message.
    return { ...(await openCpu()), provider: 'cpu' }
  }
}
