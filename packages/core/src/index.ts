/**
 * @rembg-kit/core: background removal with a local ONNX model or a rembg.com-compatible API, cached by content hash.
 * Adapters (bundler plugin, Strapi plugin, GitHub Action, server) translate between their host and this API.
 */

export type { ApiClientOptions, TransferProgress } from './api-client.js'
export { defaultApiBaseUrl, maskApiKey } from './api-client.js'
export type { BatchItem } from './batch.js'
export { planBatch } from './batch.js'
export { decodeBmp, encodeBmp } from './bmp.js'
export type { CacheStats } from './cache.js'
export { defaultCacheDir, ResultCache } from './cache.js'
export { parseColor } from './color.js'
export type { ComposedImage } from './compose.js'
export { compose, targetSize } from './compose.js'
export type { CropBox, CropOutcome } from './crop.js'
export { describeCrop } from './crop.js'
export { Limiter } from './engines/limit.js'
export type { LocalEngineOptions } from './engines/local.js'
export { createLocalEngine, LocalEngine, resolveModelSpec } from './engines/local.js'
export type { RemoteEngineOptions } from './engines/remote.js'
export { createRemoteEngine, RemoteEngine } from './engines/remote.js'
export type { RembgErrorDetail } from './errors.js'
export {
  apiKeyAndToken,
  belowMinimum,
  dailyLimitReached,
  emailNotVerified,
  fileTooLarge,
  invalidApiKey,
  isRembgError,
  monthlyLimitReached,
  noFileSelected,
  noImageProvided,
  notAnInteger,
  notBetween,
  RembgError,
  serverBusy,
  tooManyRequests,
} from './errors.js'
export type { ImageInput, LoadedInput } from './input.js'
export { decodeInput, loadInput, sniffFormat } from './input.js'
export type { ModelSpec } from './models/registry.js'
export { customModelSpec, defaultModel, modelNames, models, offlineModel } from './models/registry.js'
export { ensureModel, findModel, listModels, modelDirs } from './models/store.js'
export type { RemoveParams, ResolveParamsOptions } from './params.js'
export {
  canonicalParams,
  defaultParams,
  paramsToFields,
  paramsToFormFields,
  parseQuery,
  resolveParams,
} from './params.js'
export { createProgress } from './progress.js'
export type { RemoveBackgroundOptions, RemoveOptions, RemoveResult, RemoverOptions } from './remove.js'
export { createRemover, Remover, removeBackground } from './remove.js'
export type { Engine, RawImage, ResolvedParams } from './types.js'
export type {
  BillingCycle,
  BillingCycleSummary,
  MembershipUsage,
  MembershipUsageOptions,
  MembershipUsageQuery,
} from './usage.js'
export { getMembershipUsage, remainingCredits } from './usage.js'
export type { InputFormat, OutputFormat, ParameterName } from './values.js'
export {
  apiParameterNames,
  cropParameterNames,
  fileExtensions,
  inputFormats,
  limits,
  mimeTypes,
  outputFormats,
  parameterNames,
} from './values.js'
