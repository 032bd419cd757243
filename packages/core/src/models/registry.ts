/**
 * The models the local engine knows by name: where each one comes from and how its input and output are processed.
 * A registry, not a switch: the engine reads a `ModelSpec` and never branches on a model's name.
 *
 * The rembg family follows danielgatis/rembg's `rembg/sessions/*.py` (file names, download URLs, the checksums its
 * pooch calls verify, input sizes, mean/std, post-processing), so a model the Python rembg already downloaded into
 * `~/.u2net` is the same file, found under the same name, and gives the same matte.
 */

/** How the first output tensor becomes a 0..1 matte. */
export type ModelOutput = 'sigmoid' | 'minmax' | 'clamp'

/**
 * Preprocessing of the NCHW float32 RGB input tensor: `value = (pixel * scale - mean) / std`, per channel, after
 * resizing the image to `width` x `height`.
 */
export interface ModelInput {
  width: number
  height: number
  mean: [number, number, number]
  std: [number, number, number]
  scale: number
}

/** A file downloaded from `url` and saved as `fileName`, the name the Python rembg gives it in `~/.u2net`. */
export interface UrlModelSource {
  kind: 'url'
  fileName: string
  url: string
  /** Size in bytes, when known; checked after a download. */
  size?: number
  /** Hex digests; a download whose digest differs is refused. */
  md5?: string
  sha256?: string
}

/** Assembled from the chunks of the npm package `@imgly/background-removal-data` (AGPL-3.0), no network needed. */
export interface ImglyModelSource {
  kind: 'imgly'
  variant: 'medium' | 'small'
}

/** A user-supplied `.onnx` file, used where it is. */
export interface FileModelSource {
  kind: 'file'
  path: string
}

export type ModelSource = UrlModelSource | ImglyModelSource | FileModelSource

export interface ModelSpec {
  name: string
  description: string
  /** SPDX identifier of the weights' license. */
  license: string
  /** Weights licensed for non-commercial use only: used only when the user opts in (`allowNonCommercial`). */
  nonCommercial?: boolean
  source: ModelSource
  input: ModelInput
  output: ModelOutput
  /**
   * The square input side of the `fast` preset (presets.ts); a model without it has only `quality`. The model is
   * rewritten for it once (onnx/input-size.ts), so it must be a fixed-size graph that pass understands.
   */
  fastInputSize?: number
}

const release = 'https://github.com/danielgatis/rembg/releases/download/v0.0.0/'
const imagenetMean: [number, number, number] = [0.485, 0.456, 0.406]
const imagenetStd: [number, number, number] = [0.229, 0.224, 0.225]

// rembg divides each pixel by the image's own maximum (`im / max(im)`), so a dark photo is stretched before mean/std;
// we divide by 255, as the models' authors did in training (U²-Net, IS-Net and BiRefNet all use ToTensor, i.e. /255).
// The two agree for any image with a pure white pixel and differ little otherwise.
const byteScale = 1 / 255

const u2netInput: ModelInput = { width: 320, height: 320, mean: imagenetMean, std: imagenetStd, scale: byteScale }
// rembg's IS-Net sessions keep ImageNet means but use std 1 (IS-Net's own code uses mean 0.5, std 1).
const isnetInput: ModelInput = { width: 1024, height: 1024, mean: imagenetMean, std: [1, 1, 1], scale: byteScale }
// The `fast` preset's side for IS-Net: 0.39x the pixels of 1024, chosen in bench/README.md ("The fast preset").
const isnetFastSize = 640
const birefnetInput: ModelInput = { width: 1024, height: 1024, mean: imagenetMean, std: imagenetStd, scale: byteScale }
// @imgly/background-removal normalises with (pixel - 128) / 256 and clamps the output to 0..1.
const imglyInput: ModelInput = { width: 1024, height: 1024, mean: [128, 128, 128], std: [256, 256, 256], scale: 1 }

/** A model of rembg's release: saved as `<name>.onnx` as rembg does, downloaded from the release asset `asset`. */
function rembgSource(name: string, asset: string, digest: { md5: string } | { sha256: string }): UrlModelSource {
  return { kind: 'url', fileName: `${name}.onnx`, url: `${release}${asset}`, ...digest }
}

/** U²-Net models: min-max normalised output, as rembg's `U2netSession`. */
function u2net(name: string, description: string, md5: string): ModelSpec {
  return {
    name,
    description,
    license: 'Apache-2.0',
    source: rembgSource(name, `${name}.onnx`, { md5 }),
    input: u2netInput,
    output: 'minmax',
  }
}

/**
 * BiRefNet models. BiRefNet's reference applies a sigmoid to the logits; rembg min-max normalises after it as well,
 * which only stretches an already 0..1 matte, so we keep the reference's sigmoid alone.
 */
function birefnet(name: string, description: string, asset: string, md5: string): ModelSpec {
  return {
    name,
    description,
    license: 'MIT',
    source: rembgSource(name, asset, { md5 }),
    input: birefnetInput,
    output: 'sigmoid',
  }
}

// u2net_cloth_seg is left out: it is a 4-class segmenter (argmax over classes, one mask per garment kind), which a
// single-matte `output` cannot express.
/**
 * Every model known by name. A null-prototype object, so a lookup such as `models['toString']` is undefined rather
 * than an inherited function.
 */
export const models: Record<string, ModelSpec> = Object.assign(Object.create(null) as Record<string, ModelSpec>, {
  u2net: u2net('u2net', 'U²-Net, general use', '60024c5c889badc19c04ad937298a77b'),
  u2netp: u2net('u2netp', 'U²-Net, lightweight version (4.7 MB)', '8e83ca70e441ab06c318d82300c84806'),
  u2net_human_seg: u2net(
    'u2net_human_seg',
    'U²-Net trained for human segmentation',
    'c09ddc2e0104f800e3e1bb4652583d1f',
  ),
  silueta: u2net('silueta', 'U²-Net, pruned to 43 MB', '55e59e0d8062d2f5d013f4725ee84782'),
  'isnet-general-use': {
    name: 'isnet-general-use',
    description: 'IS-Net (DIS), general use',
    license: 'Apache-2.0',
    source: rembgSource('isnet-general-use', 'isnet-general-use.onnx', { md5: 'fc16ebd8b0c10d971d3513d564d01e29' }),
    input: isnetInput,
    output: 'minmax',
    fastInputSize: isnetFastSize,
  },
  'isnet-anime': {
    name: 'isnet-anime',
    description: 'IS-Net trained on anime characters',
    license: 'Apache-2.0',
    source: rembgSource('isnet-anime', 'isnet-anime.onnx', { md5: '6f184e756bb3bd901c8849220a83e38e' }),
    input: isnetInput,
    output: 'minmax',
    fastInputSize: isnetFastSize,
  },
  'birefnet-general': birefnet(
    'birefnet-general',
    'BiRefNet, general use',
    'BiRefNet-general-epoch_244.onnx',
    '7a35a0141cbbc80de11d9c9a28f52697',
  ),
  'birefnet-general-lite': birefnet(
    'birefnet-general-lite',
    'BiRefNet, general use, Swin-T backbone (lighter)',
    'BiRefNet-general-bb_swin_v1_tiny-epoch_232.onnx',
    '4fab47adc4ff364be1713e97b7e66334',
  ),
  'birefnet-portrait': birefnet(
    'birefnet-portrait',
    'BiRefNet trained for portraits',
    'BiRefNet-portrait-epoch_150.onnx',
    'c3a64a6abf20250d090cd055f12a3b67',
  ),
  'birefnet-dis': birefnet(
    'birefnet-dis',
    'BiRefNet trained on DIS5K (dichotomous image segmentation)',
    'BiRefNet-DIS-epoch_590.onnx',
    '2d4d44102b446f33a4ebb2e56c051f2b',
  ),
  'birefnet-hrsod': birefnet(
    'birefnet-hrsod',
    'BiRefNet trained for high-resolution salient object detection',
    'BiRefNet-HRSOD_DHU-epoch_115.onnx',
    'c017ade5de8a50ff0fd74d790d268dda',
  ),
  'birefnet-cod': birefnet(
    'birefnet-cod',
    'BiRefNet trained for camouflaged object detection',
    'BiRefNet-COD-epoch_125.onnx',
    'f6d0d21ca89d287f17e7afe9f5fd3b45',
  ),
  'birefnet-massive': birefnet(
    'birefnet-massive',
    'BiRefNet trained on a massive dataset',
    'BiRefNet-massive-TR_DIS5K_TR_TEs-epoch_420.onnx',
    '33e726a2136a3d59eb0fdf613e31e3e9',
  ),
  // rembg min-max normalises BRIA's output without a sigmoid; we follow it.
  'bria-rmbg': {
    name: 'bria-rmbg',
    description: 'BRIA RMBG 2.0 (non-commercial use only)',
    license: 'CC-BY-NC-4.0',
    nonCommercial: true,
    source: rembgSource('bria-rmbg', 'bria-rmbg-2.0.onnx', {
      sha256: '5b486f08200f513f460da46dd701db5fbb47d79b4be4b708a19444bcd4e79958',
    }),
    input: birefnetInput,
    output: 'minmax',
  },
  'isnet-imgly': {
    name: 'isnet-imgly',
    description: 'IS-Net weights of @imgly/background-removal-data (fp16), no download',
    license: 'AGPL-3.0',
    source: { kind: 'imgly', variant: 'medium' },
    input: imglyInput,
    output: 'clamp',
    fastInputSize: isnetFastSize,
  },
  'isnet-imgly-quint8': {
    name: 'isnet-imgly-quint8',
    description: 'IS-Net weights of @imgly/background-removal-data (quantised, smaller), no download',
    license: 'AGPL-3.0',
    source: { kind: 'imgly', variant: 'small' },
    input: imglyInput,
    output: 'clamp',
  },
})

/**
 * The model used when none is named: permissively licensed, downloaded once (~180 MB) on first use.
 * Published packages default to it, so nobody receives AGPL weights without asking for them.
 */
export const defaultModel = 'isnet-general-use'

/**
 * The model the repository's own tests and demo pass explicitly: assembled from the dev dependency
 * `@imgly/background-removal-data`, so it works offline. AGPL-3.0, hence never a published default.
 */
export const offlineModel = 'isnet-imgly'

/** Names of the registered models, in registry order. */
export const modelNames: readonly string[] = Object.keys(models)

/**
 * A spec for a user-supplied `.onnx` file. Input and output processing default to the common ImageNet setup at
 * 1024x1024 with min-max output; override what the model's authors document.
 *
 * @example
 * const spec = customModelSpec('./models/my-net.onnx', { width: 320, height: 320 }, 'sigmoid')
 */
export function customModelSpec(path: string, input?: Partial<ModelInput>, output?: ModelOutput): ModelSpec {
  return {
    name: path,
    description: `Custom model ${path}`,
    license: 'unknown',
    source: { kind: 'file', path },
    input: {
      width: input?.width ?? 1024,
      height: input?.height ?? 1024,
      mean: input?.mean ?? [...imagenetMean],
      std: input?.std ?? [...imagenetStd],
      scale: input?.scale ?? byteScale,
    },
    output: output ?? 'minmax',
  }
}
