/** What a redacted value is recorded as. */
export const redactedMarker = '[REDACTED]'

/**
 * Keys whose values are never recorded: passwords (`pwd`, `passwd`, `dbPassword`), secrets,
 * tokens, API and access keys, credentials, cookies, private keys, `auth`, authorization and
 * bearer headers, JWTs, session ids and every `AWS_*` name, in any case and spelling (`apiKey`,
 * `API_KEY`, `x-api-key`, `accessToken`, `x-auth-token`).
 *
 * The patterns are tested against the key with camelCase split by `_` and lowercased
 * (`accessToken` → `access_token`, `TOKENIZER` → `tokenizer`), so that the words an ML
 * pipeline uses stay readable: `token` and `auth` must end their word, which keeps
 * `tokenizer`, `maxTokens`, `num_tokens`, `author` and `authors` and still hides
 * `token_count` and `authMode` (a leaked count costs less than a leaked key). Sentry's and
 * MLflow's scrubbers make the same trade: they match substrings such as `auth` and accept
 * the odd false positive.
 */
export const defaultRedactPatterns: readonly RegExp[] = Object.freeze([
  /passw(or)?d|passphrase|^pass$|pwd/,
  /secret/,
  /token(?![a-z])/,
  /api[-_]?key/,
  /access[-_]?key/,
  /private[-_]?key/,
  /authori[sz]ation/,
  /auth(?![a-z])/,
  /bearer/,
  /jwt/,
  /credential/,
  /cookie/,
  /^session[-_]?id$/,
  /^aws[-_]/,
  /(^|[-_])dsn$/,
])

/** A user's extra redaction rule: a key name (any case) or a pattern a key must match. */
export type RedactPattern = string | RegExp

/** Decides whether the value under a key must be hidden. */
export type Redactor = (key: string) => boolean

/** `accessToken` → `access_token`; `AWS_SECRET` → `aws_secret`; `x-api-key` stays. */
function normalizeKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

function testPattern(pattern: RegExp, key: string): boolean {
  pattern.lastIndex = 0
  return pattern.test(key)
}

/**
 * A redactor from the default patterns plus `extra` ones. A string matches a key exactly,
 * ignoring case; a RegExp is tested against the key as written. Answers are cached per key
 * (up to 10,000 keys), since the same few keys come back on every call.
 *
 * @example
 * const redact = createRedactor(['customerEmail', /^ssn/i])
 * redact('apiKey') // true
 * redact('maxTokens') // false
 */
export function createRedactor(extra: readonly RedactPattern[] = []): Redactor {
  const names = new Set(
    extra
      .filter((pattern): pattern is string => typeof pattern === 'string')
      .map((name) => name.toLowerCase()),
  )
  const patterns = extra.filter(
    (pattern): pattern is RegExp => pattern instanceof RegExp,
  )
  const cache = new Map<string, boolean>()
  return (key) => {
    let hidden = cache.get(key)
    if (hidden === undefined) {
      const normalized = normalizeKey(key)
      hidden =
        names.has(key.toLowerCase()) ||
        defaultRedactPatterns.some((pattern) =>
          testPattern(pattern, normalized),
        ) ||
        patterns.some((pattern) => testPattern(pattern, key))
      if (cache.size < 10_000) cache.set(key, hidden)
    }
    return hidden
  }
}

/** The default redactor, for keys found inside text (`password=…`, `"token": …`). */
export const isSecretKey: Redactor = createRedactor()
