/**
 * The keys file: which API keys exist and what each account may use. Keys are looked up by their SHA-256 so the
 * key ring holds no key in the clear, and an account is named by a uid derived from the key, never by the key.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Account } from './store/index.js'

/** One entry of the keys file, as the membership endpoint reports it. */
export interface KeyEntry {
  /** The API key clients send in `x-api-key`. */
  key: string
  /** Plan label, e.g. `Premium-20000`. */
  membership: string
  /** Included credits per UTC calendar month. */
  credits: number
  /** Prepaid credits, used once the included ones are gone; they do not reset. */
  prepaidCredits: number
  /** The account's id in usage keys (`user:{uid}:...`). @default first 16 hex digits of sha256(key) */
  uid?: string
  /** False answers 403 `Email address not verified`. @default true */
  emailVerified?: boolean
}

export interface KeyAccount {
  account: Account
  emailVerified: boolean
}

/** The accounts of a keys file, found by key. */
export class KeyRing {
  private readonly byDigest = new Map<string, KeyAccount>()

  constructor(entries: readonly KeyEntry[]) {
    entries.forEach((entry, index) => {
      checkEntry(entry, index)
      const digest = sha256(entry.key)
      if (this.byDigest.has(digest))
        throw new TypeError(`Keys file: entry ${index} repeats the key of an earlier entry`)
      this.byDigest.set(digest, { account: toAccount(entry), emailVerified: entry.emailVerified ?? true })
    })
  }

  find(key: string): KeyAccount | undefined {
    return this.byDigest.get(sha256(key))
  }
}

/**
 * Reads a keys file (a JSON array of {@link KeyEntry}) or takes the entries as they are. Synchronous: it runs once,
 * at start, before anything else could use the event loop.
 *
 * @example
 * const ring = loadKeys('keys.json')
 * ring.find(request.headers['x-api-key'])?.account // { uid, membership, credits, prepaidCredits }
 */
export function loadKeys(source: string | readonly KeyEntry[]): KeyRing {
  if (typeof source !== 'string') return new KeyRing(source)
  const text = readFileSync(source, 'utf8')
  let entries: unknown
  try {
    entries = JSON.parse(text)
  } catch (error) {
    throw new TypeError(`Keys file ${source} is not valid JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(entries)) throw new TypeError(`Keys file ${source} must hold a JSON array of key entries`)
  return new KeyRing(entries as KeyEntry[])
}

/** The uid of an entry without one: derived from the key so that it is stable, yet reveals nothing of the key. */
export function uidOf(key: string): string {
  return sha256(key).slice(0, 16)
}

function toAccount(entry: KeyEntry): Account {
  return {
    uid: entry.uid ?? uidOf(entry.key),
    membership: entry.membership,
    credits: entry.credits,
    prepaidCredits: entry.prepaidCredits,
  }
}

/** Messages name the entry by its index, never by its key (they end up in logs). */
function checkEntry(entry: KeyEntry, index: number): void {
  const fail = (what: string): never => {
    throw new TypeError(`Keys file: entry ${index} ${what}`)
  }
  if (typeof entry !== 'object' || entry === null) fail('is not an object')
  if (typeof entry.key !== 'string' || entry.key === '') fail("needs a non-empty string 'key'")
  if (typeof entry.membership !== 'string') fail("needs a string 'membership'")
  if (!isCount(entry.credits)) fail("needs 'credits', a whole number of 0 or more")
  if (!isCount(entry.prepaidCredits)) fail("needs 'prepaidCredits', a whole number of 0 or more")
  if (entry.uid !== undefined && (typeof entry.uid !== 'string' || !/^[\w.-]+$/.test(entry.uid))) {
    fail("has a 'uid' that is not made of letters, digits, '_', '.' or '-'")
  }
  if (entry.emailVerified !== undefined && typeof entry.emailVerified !== 'boolean') {
    fail("has an 'emailVerified' that is not true or false")
  }
}

const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
