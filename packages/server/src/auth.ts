/**
 * Who is asking: an account found by its `x-api-key`, or an anonymous client known only by its IP. The checks and
 * their order are the API's: key and token together (400), unknown key (401), unverified email (403).
 */
import { apiKeyAndToken, emailNotVerified, invalidApiKey } from '@rembg-kit/core/internal'
import type { KeyRing } from './keys.js'
import type { Account } from './store/index.js'

export interface Caller {
  /** The account usage is counted under. */
  account: Account
  /** What the short-term rate limit counts: the account's uid with a key, the client IP without one. */
  rateSubject: string
  /** Set for a request without a key on a server with a keys file: its allowance per client IP per UTC day. */
  anonymousDailyLimit?: number
  /** The client's IP address (the forwarded one behind a trusted proxy). */
  ip: string
}

export interface AuthPolicy {
  /** Null: no keys file, every request is allowed (development). */
  keys: KeyRing | null
  /** Requests without a key allowed per IP per day when a keys file is loaded; 0 refuses them. */
  anonymousDailyLimit: number
}

/**
 * The account requests without a key are counted under. Its allowance is unbounded: what limits anonymous clients
 * is the daily limit per IP, not a monthly quota.
 */
export const anonymousAccount: Account = Object.freeze({
  uid: 'anonymous',
  membership: 'Anonymous',
  credits: Number.MAX_SAFE_INTEGER,
  prepaidCredits: 0,
})

type Headers = Record<string, string | string[] | undefined>

/**
 * Identifies the caller from its headers, or throws the API's error.
 *
 * @example
 * const caller = authenticate(request.headers, request.ip, { keys, anonymousDailyLimit: 0 })
 */
export function authenticate(headers: Headers, ip: string, policy: AuthPolicy): Caller {
  const key = firstValue(headers['x-api-key'])
  const bearer = /^bearer\s/i.test(firstValue(headers.authorization) ?? '')
  if (key && bearer) throw apiKeyAndToken()
  const anonymous = { account: anonymousAccount, rateSubject: `ip:${ip}`, ip }
  if (!policy.keys) return anonymous
  if (!key) {
    // A user token belongs to rembg.com's web app, which this server does not have: it is not a credential here.
    if (bearer || policy.anonymousDailyLimit === 0) throw invalidApiKey()
    return { ...anonymous, anonymousDailyLimit: policy.anonymousDailyLimit }
  }
  const found = policy.keys.find(key)
  if (!found) throw invalidApiKey()
  if (!found.emailVerified) throw emailNotVerified()
  return { account: found.account, rateSubject: found.account.uid, ip }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value
  return text === '' ? undefined : text
}
