/**
 * `@rembg-kit/core/internal`: what rembg-kit's own adapters need beyond the public API, and nothing a user should
 * build on (it changes without a major version). The server answers in the rembg.com API's words, so it takes the
 * API's error factories; the server, the benchmarks and the Strapi example's tests read inputs and compose as core does.
 */

export { compose } from './compose.js'
export {
  apiKeyAndToken,
  dailyLimitReached,
  emailNotVerified,
  fileTooLarge,
  invalidApiKey,
  monthlyLimitReached,
  noFileSelected,
  noImageProvided,
  serverBusy,
  tooManyRequests,
} from './errors.js'
export { decodeInput, loadInput } from './input.js'
