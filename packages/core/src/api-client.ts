/**
 * The HTTP client of the rembg.com API (and of any server that speaks it, ours included): axios for the transfer and
 * its progress events (the vendor client's shape), axios-retry for the retry loop. The retry policy is ours: which
 * answers are worth another try, exponential backoff with full jitter, the server's `Retry-After`, a total time budget.
 */
import type { AxiosError, AxiosInstance, AxiosProgressEvent, AxiosResponse } from 'axios'
import {
  apiKeyAndToken,
  dailyLimitReached,
  emailNotVerified,
  invalidApiKey,
  monthlyLimitReached,
  RembgError,
  type RembgErrorDetail,
  serverBusy,
  tooManyRequests,
} from './errors.js'

/** The hosted API. Its membership endpoint lives on the website's host instead (see {@link usageBaseUrl}). */
export const defaultApiBaseUrl = 'https://api.rembg.com'
const hostedUsageBaseUrl = 'https://www.rembg.com'

/** A transfer's progress, shaped like the vendor client's events (axios's), without anything about the request. */
export interface TransferProgress {
  loaded: number
  total: number | undefined
  /** 0..1, when the total is known. */
  progress: number | undefined
  /** Bytes since the previous event. */
  bytes: number
  rate: number | undefined
  estimated: number | undefined
  upload?: true
  download?: true
}

export interface ApiClientOptions {
  /** The API key, sent as `x-api-key`. @default process.env.REMBG_API_KEY */
  apiKey?: string
  /** The API's address: the hosted one or any compatible server. @default 'https://api.rembg.com' */
  baseUrl?: string
  /** Tries after the first one, for 429 (short-term), 502, 503, 504, connection resets and time-outs. @default 4 */
  retries?: number
  /** Time from the first try after which no retry starts, in ms (waits included). @default 60000 */
  retryBudgetMs?: number
  /** First backoff step in ms; step n waits a random time up to `retryBaseMs * 2^(n-1)` (capped at 10 s). @default 500 */
  retryBaseMs?: number
  /** Time-out of one try, in ms. @default 120000 */
  timeoutMs?: number
  onUploadProgress?: (event: TransferProgress) => void
  onDownloadProgress?: (event: TransferProgress) => void
  /** Where notes about retries go. @default stderr */
  log?: (line: string) => void
}

export interface ApiRequest {
  method: 'get' | 'post'
  path: string
  params?: Record<string, string>
  body?: FormData
  signal?: AbortSignal
  /** This request's own log and progress callbacks, used instead of the client's. */
  callbacks?: Pick<ApiClientOptions, 'log' | 'onUploadProgress' | 'onDownloadProgress'>
}

const retriedStatuses = new Set([429, 502, 503, 504])
const retriedNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN'])
// A 429 for a spent daily or monthly allowance will not pass on the next try, whatever the wait.
const finalLimitMessages = new Set([dailyLimitReached().message, monthlyLimitReached().message])
const maxBackoffMs = 10_000

/** The base URL without a trailing slash, as used in fingerprints and messages. */
export function normalizeBaseUrl(baseUrl: string | undefined): string {
  return (baseUrl ?? defaultApiBaseUrl).replace(/\/+$/, '')
}

/** The membership endpoint's host: the hosted API keeps it on the website; any other server answers it itself. */
export function usageBaseUrl(baseUrl: string | undefined): string {
  const normalized = normalizeBaseUrl(baseUrl)
  return normalized === defaultApiBaseUrl ? hostedUsageBaseUrl : normalized
}

/**
 * The key from the options or `REMBG_API_KEY`. The hosted API needs one, so there a missing key fails before any
 * request, naming both; another server may be open (ours without a keys file), so there the key is optional.
 */
export function resolveApiKey(options: Pick<ApiClientOptions, 'apiKey' | 'baseUrl'>): string | undefined {
  const key = options.apiKey || process.env.REMBG_API_KEY || undefined
  if (!key && normalizeBaseUrl(options.baseUrl) === defaultApiBaseUrl) {
    throw new RembgError('No API key: pass apiKey (CLI: --api-key) or set REMBG_API_KEY.', {
      status: 401,
      code: 'NO_API_KEY',
      field: 'apiKey',
    })
  }
  return key
}

/** Shows that a key is set without showing it: `****` and its last four characters when it is long enough. */
export function maskApiKey(key: string): string {
  return key.length >= 12 ? `****${key.slice(-4)}` : '****'
}

export class ApiClient {
  private http: Promise<AxiosInstance> | undefined
  private readonly apiKey: string | undefined
  readonly baseUrl: string

  constructor(private readonly options: ApiClientOptions & { baseUrl: string }) {
    this.apiKey = resolveApiKey(options)
    this.baseUrl = normalizeBaseUrl(options.baseUrl)
  }

  /** Sends one request with retries; resolves with the body bytes, rejects with a {@link RembgError}. */
  async request(request: ApiRequest): Promise<Buffer> {
    const http = await this.client()
    const started = Date.now()
    try {
      const response: AxiosResponse<ArrayBuffer> = await http.request({
        method: request.method,
        url: `${this.baseUrl}${request.path}`,
        params: request.params,
        data: request.body,
        signal: request.signal,
        ...progressHandlers(request.callbacks ?? {}),
        'axios-retry': {
          retryCondition: (error: AxiosError) => this.worthRetrying(error, started),
          retryDelay: (retry: number, error: AxiosError) => this.delayBefore(retry, error, started),
          onRetry: (retry: number, error: AxiosError) => this.noteRetry(retry, error, request.callbacks?.log),
        },
      })
      return Buffer.from(response.data)
    } catch (error) {
      throw this.toRembgError(error as AxiosError)
    }
  }

  private client(): Promise<AxiosInstance> {
    this.http ??= createHttp(this.options, this.apiKey)
    return this.http
  }

  private worthRetrying(error: AxiosError, started: number): boolean {
    if (error.code === 'ERR_CANCELED') return false
    const status = error.response?.status
    if (status !== undefined) {
      if (!retriedStatuses.has(status)) return false
      if (status === 429 && finalLimitMessages.has(errorBody(error.response)?.error ?? '')) return false
    } else if (!retriedNetworkCodes.has(error.code ?? '')) {
      return false
    }
    const retryAfter = retryAfterMs(error.response)
    return Date.now() - started + (retryAfter ?? 0) < (this.options.retryBudgetMs ?? 60_000)
  }

  private delayBefore(retry: number, error: AxiosError, started: number): number {
    const retryAfter = retryAfterMs(error.response)
    if (retryAfter !== undefined) return retryAfter
    const step = Math.min(maxBackoffMs, (this.options.retryBaseMs ?? 500) * 2 ** (retry - 1))
    const left = (this.options.retryBudgetMs ?? 60_000) - (Date.now() - started)
    // Full jitter (a random wait up to the step) spreads the clients that failed together over the whole step.
    return Math.max(0, Math.min(left, Math.random() * step))
  }

  private noteRetry(retry: number, error: AxiosError, log = this.options.log): void {
    const what = error.response ? `answered ${error.response.status}` : `failed (${error.code})`
    const line = `rembg-kit: ${this.baseUrl} ${what}, try ${retry + 1} of ${(this.options.retries ?? 4) + 1}`
    if (log) log(line)
    else process.stderr.write(`${line}\n`)
  }

  /** The server's status and message as a RembgError; never the request, whose headers carry the key. */
  private toRembgError(error: AxiosError): RembgError {
    if (error.code === 'ERR_CANCELED') {
      return new RembgError('The request was aborted.', { status: 499, code: 'ABORTED' })
    }
    const response = error.response
    if (!response) {
      return new RembgError(`Could not reach ${this.baseUrl} (${error.code ?? 'network error'}).`, {
        status: 503,
        code: 'API_UNREACHABLE',
      })
    }
    const body = errorBody(response)
    if (!body) {
      return new RembgError(`${this.baseUrl} answered ${response.status} without an error message.`, {
        status: response.status,
        code: 'API_ERROR',
      })
    }
    return new RembgError(body.error, {
      status: response.status,
      code: knownCodes.get(body.error) ?? (response.status === 400 ? 'INVALID_PARAMETER' : 'API_ERROR'),
      ...(body.details ? { details: body.details } : {}),
      ...(body.details?.length === 1 && body.details[0] ? { field: body.details[0].field } : {}),
    })
  }
}

// The codes of the documented service errors, found by their exact message.
const knownCodes = new Map(
  [
    invalidApiKey(),
    apiKeyAndToken(),
    emailNotVerified(),
    tooManyRequests(),
    dailyLimitReached(),
    monthlyLimitReached(),
    serverBusy(),
  ].map((e) => [e.message, e.code]),
)

async function createHttp(options: ApiClientOptions, apiKey: string | undefined): Promise<AxiosInstance> {
  const [{ default: axios }, { default: axiosRetry }] = await Promise.all([import('axios'), import('axios-retry')])
  const http = axios.create({
    headers: apiKey ? { 'x-api-key': apiKey } : {},
    responseType: 'arraybuffer',
    timeout: options.timeoutMs ?? 120_000,
    maxBodyLength: Number.POSITIVE_INFINITY,
    maxContentLength: Number.POSITIVE_INFINITY,
    ...progressHandlers(options),
  })
  // Each try gets the whole time-out; the total is bounded by the retry budget instead.
  axiosRetry(http, { retries: options.retries ?? 4, shouldResetTimeout: true })
  return http
}

/** Axios's progress options for the callbacks given (a request's own replace the client's). */
function progressHandlers(callbacks: Pick<ApiClientOptions, 'onUploadProgress' | 'onDownloadProgress'>): {
  onUploadProgress?: (event: AxiosProgressEvent) => void
  onDownloadProgress?: (event: AxiosProgressEvent) => void
} {
  const { onUploadProgress, onDownloadProgress } = callbacks
  return {
    ...(onUploadProgress ? { onUploadProgress: progressHandler(onUploadProgress, 'upload') } : {}),
    ...(onDownloadProgress ? { onDownloadProgress: progressHandler(onDownloadProgress, 'download') } : {}),
  }
}

function progressHandler(
  callback: (event: TransferProgress) => void,
  direction: 'upload' | 'download',
): (event: AxiosProgressEvent) => void {
  return (event) =>
    callback({
      loaded: event.loaded,
      total: event.total,
      progress: event.progress,
      bytes: event.bytes,
      rate: event.rate,
      estimated: event.estimated,
      [direction]: true,
    })
}

function errorBody(
  response: AxiosResponse | undefined,
): { error: string; details?: RembgErrorDetail[]; status?: number } | undefined {
  if (!response?.data) return undefined
  try {
    const text = Buffer.from(response.data as ArrayBuffer).toString('utf8')
    const body = JSON.parse(text) as { error?: unknown; details?: unknown }
    if (typeof body.error !== 'string') return undefined
    return body as { error: string; details?: RembgErrorDetail[] }
  } catch {
    return undefined
  }
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined when the answer has none. */
function retryAfterMs(response: AxiosResponse | undefined): number | undefined {
  const header = response?.headers['retry-after'] as string | undefined
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
