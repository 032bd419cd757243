/**
 * What each preset of the local engine does and costs, in one place for the engine, `rembg-kit doctor`, `rembg-kit
 * models` and the READMEs. The figures are `pnpm bench`'s (bench/README.md), on the IS-Net weights of
 * `isnet-imgly` on a 2-core x86 VM.
 */
import type { ModelSpec } from './models/registry.js'
import type { Preset } from './values.js'

export interface PresetInfo {
  name: Preset
  /** What the preset does, in a line. */
  does: string
  /** What it costs against `quality`, in a line. */
  costs: string
}

export const presets: Record<Preset, PresetInfo> = {
  quality: {
    name: 'quality',
    does: 'the model at the input size it was trained at (1024x1024 for IS-Net)',
    costs: 'the reference (IS-Net: about 1 s per image on 2 idle x86 cores)',
  },
  fast: {
    name: 'fast',
    does: 'IS-Net at 640x640, the matte scaled up to the image (lanczos3)',
    costs:
      'about 0.45x the time per image and 0.6x the memory; on the bench cutouts a mean IoU and alpha error no worse, but thin detail (single hairs, narrow gaps) is softer',
  },
}

/**
 * The model's input for `preset`: its own for `quality`; for `fast`, its `fastInputSize` on both sides, or null when
 * the model has no fast preset.
 *
 * @example
 * presetInput(models['isnet-imgly'], 'fast') // { width: 640, height: 640, mean: [128, 128, 128], ... }
 */
export function presetInput(spec: ModelSpec, preset: Preset): ModelSpec['input'] | null {
  if (preset === 'quality') return spec.input
  const size = spec.fastInputSize
  return size === undefined ? null : { ...spec.input, width: size, height: size }
}

/** The presets a model has, `quality` first. */
export function modelPresets(spec: ModelSpec): Preset[] {
  return spec.fastInputSize === undefined ? ['quality'] : ['quality', 'fast']
}

/**
 * One line per preset, what it does and what it costs, for `rembg-kit models` and `rembg-kit doctor`.
 *
 * @example
 * presetLines() // ['preset quality: the model at the input size it was trained at (...); the reference: ...', ...]
 */
export function presetLines(): string[] {
  return Object.values(presets).map((preset) => `preset ${preset.name}: ${preset.does}; ${preset.costs}`)
}
