import { relative } from 'node:path'
import { createRemover, type Preset, type RemoveResult, type Remover, type ResolvedParams } from '@rembg-kit/core'
import type { ResolvedOptions } from './options.js'
import type { CutoutRequest } from './query.js'
import { BuildStats } from './summary.js'

/** Width of the LQIP placeholder: small enough to inline, large enough to hint at the shape. */
const placeholderWidth = 20

export interface RenderedCutout {
  /** One result per requested size, in the order written. */
  variants: RemoveResult[]
  /** The tiny webp of the cutout, when several sizes were asked for with `as=meta`. */
  placeholder: RemoveResult | undefined
}

/**
 * The plugin instance's one Remover (created on first use, so a build without `?rembg` imports loads nothing) and
 * the statistics of the current build.
 */
export class Cutouts {
  readonly stats = new BuildStats()
  // One per preset used (a fast result must never answer a quality import: each has its own engine fingerprint).
  private readonly removers = new Map<Preset, Remover>()

  /** @param log the bundler's logger: the plugin's verbose lines and core's notes (which model runs where) go there. */
  constructor(
    private readonly options: ResolvedOptions,
    private readonly root: string,
    private readonly log: (line: string) => void,
  ) {}

  async render(request: CutoutRequest): Promise<RenderedCutout> {
    const preset = request.preset ?? this.options.preset
    const variants = await Promise.all(request.variants.map((params) => this.remove(request.file, params, preset)))
    const wantsPlaceholder = request.as === 'meta' && request.variants.length > 1
    const first = request.variants[0] as ResolvedParams
    const placeholder = wantsPlaceholder ? await this.remove(request.file, placeholderParams(first), preset) : undefined
    return { variants, placeholder }
  }

  /** One cutout, counted in the build's statistics. */
  async remove(file: string, params: ResolvedParams, preset: Preset = this.options.preset): Promise<RemoveResult> {
    this.stats.start()
    let result: RemoveResult | undefined
    try {
      result = await this.getRemover(preset).remove(file, params)
    } finally {
      this.stats.finish(result)
    }
    if (this.options.logLevel === 'verbose') this.log(this.describe(file, result))
    return result
  }

  private getRemover(preset: Preset): Remover {
    let remover = this.removers.get(preset)
    if (!remover) {
      remover = createRemover({ ...removerOptions(this.options, this.log), preset })
      this.removers.set(preset, remover)
    }
    return remover
  }

  private describe(file: string, result: RemoveResult): string {
    const source = result.cache.output ? 'from cache' : result.cache.matte ? 'matte reused' : 'inference'
    return `rembg-kit: ${relative(this.root, file)} -> ${result.width}x${result.height} ${result.format} (${source})`
  }
}

/** The same cutout, 20 px wide webp, aspect kept. */
function placeholderParams(params: ResolvedParams): ResolvedParams {
  return { ...params, format: 'webp', w: placeholderWidth, h: null, exact_resize: false }
}

function removerOptions(options: ResolvedOptions, log: (line: string) => void): Parameters<typeof createRemover>[0] {
  return {
    engine: options.engine,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    cacheDir: options.cacheDir,
    concurrency: options.concurrency,
    // 'silent' means no line at all, core's included; otherwise core's notes go where the bundler logs.
    log: options.logLevel === 'silent' ? () => {} : log,
    ...(options.model === undefined ? {} : { model: options.model }),
  }
}
