/**
 * @rembg-kit/core: background removal with a local ONNX model or a rembg.com-compatible API, cached by content hash.
 * This entry is the public API (each export is documented in the README); adapters (bundler plugin, Strapi plugin,
 * GitHub Action, server) translate between their host and it. What only an adapter needs (the API's error
 * factories, input loading, the composer) is in `@rembg-kit/core/internal`, which follows no semver promise.
 */

export type { TransferProgress } from './api-client.js'
export { parseCacheSize } from './cache-retention.js'
export type { CropBox, CropOutcome } from './crop.js'
export { Limiter, mapLimit } from './engines/limit.js'
export type { LocalEngineOptions } from './engines/local.js'
export { createLocalEngine, LocalEngine, resolveModelSpec } from './engines/local.js'
export type { RemoteEngineOptions } from './engines/remote.js'
export { createRemoteEngine, RemoteEngine } from './engines/remote.js'
export type { RembgErrorDetail } from './errors.js'
export { describeError, isRembgError, RembgError } from './errors.js'
export type { FilterOptions, FilterPattern, IncludeExclude } from './filter.js'
export { createFilter, filterPatterns } from './filter.js'
export type { ImageInput } from './input.js'
export { sniffFormat } from './input.js'
export type { ModelSpec } from './models/registry.js'
export { defaultModel, modelNames, models } from './models/registry.js'
export { ensureModel, listModels, modelDirs } from './models/store.js'
export { parseEngineName, parseIntegerOption, parsePreset } from './option-checks.js'
export type { RemoveParams, ResolveParamsOptions } from './params.js'
export { defaultParams, paramsToFields, parseQuery, resolveParams } from './params.js'
export type { PresetInfo } from './presets.js'
export { modelPresets, presets } from './presets.js'
export type { RemoveBackgroundOptions, RemoveOptions, RemoveResult, RemoverOptions } from './remove.js'
export { createRemover, Remover, removeBackground } from './remove.js'
export type { CallCallbacks, Engine, RawImage, ResolvedParams } from './types.js'
export type {
  BillingCycle,
  BillingCycleSummary,
  MembershipUsage,
  MembershipUsageOptions,
  MembershipUsageQuery,
} from './usage.js'
export { getMembershipUsage, remainingCredits } from './usage.js'
export type { EngineName, InputFormat, OutputFormat, ParameterName, Preset } from './values.js'
export {
  engineNames,
  fileExtensions,
  inputFormats,
  limits,
  mimeTypes,
  outputFormats,
  parameterNames,
  presetNames,
} from './values.js'
