/**
 * Credentials never reach a log line, whatever the level. Two layers, because the server does not write every line
 * itself: @fastify/multipart logs its busboy options at `trace`, request headers included, and a host app that mounts
 * the plugin has a logger of its own.
 * - pino's `redact` paths, on the logger the standalone server builds: every header object one or two levels down
 *   (`req.headers`, `busboyOptions.headers`, `err.config.headers`), whoever logs it.
 * - serializers on the plugin's routes, which also hold in a host app's logger: they copy the objects that carry
 *   headers with the credentials replaced.
 */

/** The headers that carry a credential: the API key, a bearer token, a session, a proxy's login. */
export const credentialHeaders = ['x-api-key', 'authorization', 'proxy-authorization', 'cookie'] as const

/** What a credential's value is replaced with. */
export const censor = '[redacted]'

/**
 * The spellings a header name is found under: Node lower-cases what it receives, but header objects written by hand
 * or by an HTTP client (axios's `config.headers`) keep `Authorization`, `X-Api-Key`, `X-API-Key`.
 */
const spellings = (name: string): string[] => {
  const titled = name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())
  return [...new Set([name, titled, titled.replace('Api', 'API'), name.toUpperCase()])]
}

const headerPaths = (prefix: string): string[] =>
  credentialHeaders.flatMap(spellings).map((name) => `${prefix}headers["${name}"]`)

/** pino `redact` paths: headers at the top of a line, and under any key one or two levels down. */
export const redactedPaths: readonly string[] = [...headerPaths(''), ...headerPaths('*.'), ...headerPaths('*.*.')]

type Headers = Record<string, unknown>

/**
 * A copy of `headers` whose credentials read `[redacted]` (names compared without case: a header object written by
 * hand, unlike Node's, may keep its capitals).
 *
 * @example
 * withoutCredentials({ 'x-api-key': 'rk_live_…', accept: '*\/*' }) // { 'x-api-key': '[redacted]', accept: '*\/*' }
 */
export function withoutCredentials(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return headers
  const copy: Headers = { ...(headers as Headers) }
  for (const name of Object.keys(copy)) {
    if ((credentialHeaders as readonly string[]).includes(name.toLowerCase())) copy[name] = censor
  }
  return copy
}

/** A copy of an object with a `headers` field (busboy's options, a logged request) whose credentials are redacted. */
function withRedactedHeaders(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('headers' in value)) return value
  return { ...value, headers: withoutCredentials((value as { headers: unknown }).headers) }
}

/**
 * pino serializers (by the top-level key of a log line) for what the plugin's routes log with headers in it:
 * `busboyOptions` (@fastify/multipart at `trace`) and `headers`.
 */
export const credentialSerializers = {
  busboyOptions: withRedactedHeaders,
  headers: withoutCredentials,
} as const
