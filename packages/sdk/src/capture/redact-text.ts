import { maskUrlPassword } from '@lore/store'
import { isSecretKey, redactedMarker } from './redact.js'

const privateKeyBlock =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g

// Well-known token formats, found anywhere in text. Each has a fixed prefix and enough
// characters after it that ordinary words do not match (gitleaks' and GitHub secret
// scanning's prefixes).
const tokenFormats = new RegExp(
  [
    /\bsk-[A-Za-z0-9_-]{16,}/, // OpenAI, Anthropic (sk-, sk-proj-, sk-ant-)
    /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/, // Stripe
    /\bgh[opusr]_[A-Za-z0-9]{20,}/, // GitHub
    /\bgithub_pat_[A-Za-z0-9_]{20,}/,
    /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
    /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key id
    /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/, // JWT
    /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack
    /\bhf_[A-Za-z0-9]{30,}/, // Hugging Face
    /\bAIza[0-9A-Za-z_-]{35}/, // Google API key
    /\bnpm_[A-Za-z0-9]{36}/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
  'g',
)

// `Bearer <token>`: with a capital B any token; in lower case only one holding a digit or a
// symbol, so that prose ("bearer bonds") is left alone.
const bearer =
  /\b(Bearer\s+)(?!\[REDACTED\])[^\s"',;)}\]]+|\b(bearer\s+)(?=[A-Za-z]*[^A-Za-z\s"',;)}\]])[^\s"',;)}\]]+/g

// `key=value` and `key: value` pairs in text: query strings (`?token=…`), DSNs and connection
// strings (`Password=…;`), command lines (`--api-key=…`, `--token …`), JSON and YAML inside a
// string. The key decides (see defaultRedactPatterns). The search looks for the words a secret
// key holds and widens each hit to its whole key: a regular expression for "any key, then a
// separator" costs ten times more on ordinary text, where every word is a candidate.
const keyWord =
  /pass|pwd|secret|token|key|auth|cred|cookie|bearer|jwt|session|aws|dsn/gi
const separator = /["']?\s*[=:]\s*|\s+/y
const pairValue =
  /"[^"]*"|'[^']*'|(?:(?:Bearer|Basic|Token|Digest)\s+)?[^\s"'&;,)}\]]+/y

function isKeyCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 || // -
    code === 46 // .
  )
}

function redactPairs(text: string): string {
  let out = ''
  let last = 0
  keyWord.lastIndex = 0
  for (let hit = keyWord.exec(text); hit !== null; hit = keyWord.exec(text)) {
    let start = hit.index
    while (start > last && isKeyCharacter(text.charCodeAt(start - 1))) start--
    let end = hit.index + hit[0].length
    while (end < text.length && isKeyCharacter(text.charCodeAt(end))) end++
    keyWord.lastIndex = end
    separator.lastIndex = end
    const between = separator.exec(text)?.[0]
    if (between === undefined) continue
    const key = text.slice(start, end)
    // A space separates a value from its key only on a command line: `--token abc`.
    if (between.trim() === '' && !key.startsWith('-')) continue
    if (!isSecretKey(key)) continue
    const valueStart = end + between.length
    // Already hidden: a url's `***` or an earlier rule's marker.
    if (
      text.startsWith('***', valueStart) ||
      text.startsWith(redactedMarker, valueStart)
    )
      continue
    pairValue.lastIndex = valueStart
    const value = pairValue.exec(text)?.[0]
    if (value === undefined) continue
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : ''
    out += `${text.slice(last, valueStart)}${quote}${redactedMarker}${quote}`
    last = valueStart + value.length
    keyWord.lastIndex = last
  }
  return last === 0 ? text : out + text.slice(last)
}

/**
 * Hide the secrets written inside a piece of text: the passwords of urls
 * (`postgres://u:***@db/x`, the store's own {@link maskUrlPassword}), `key=value` pairs whose
 * key names a secret (`Password=…;`, `?token=…`, `--api-key=…`, `"secret": "…"`), `Bearer`
 * tokens, PEM private keys, and well-known token formats (`sk-…`, `ghp_…`, `AKIA…`, JWTs,
 * Slack, Stripe, Hugging Face, Google and npm tokens). Never throws; a string with nothing to
 * hide comes back identical (`===`), after three searches (about 5 µs per 1,000 characters).
 *
 * What it cannot know: a secret in prose ("the password is hunter2") or in a format with no
 * marker. Name such values with a key the redactor knows, or pass `redact` to the step.
 *
 * @example
 * redactText('retry https://api.example/v1?api_key=abc123 with Bearer eyJhbGciOi…')
 * // 'retry https://api.example/v1?api_key=[REDACTED] with Bearer [REDACTED]'
 */
export function redactText(text: string): string {
  if (text.length < 6) return text
  // Urls first, so that `token:***@host` keeps its host; pairs next, so that a pair's whole
  // value (`Authorization: Basic …`) goes, not only the part a token format knows.
  let out = redactPairs(maskUrlPassword(text))
  if (out.includes('-----BEGIN'))
    out = out.replace(privateKeyBlock, redactedMarker)
  out = out.replace(tokenFormats, redactedMarker)
  if (!out.includes('earer')) return out
  return out.replace(
    bearer,
    (_match, upper: string | undefined, lower: string | undefined) =>
      `${upper ?? lower ?? ''}${redactedMarker}`,
  )
}

const shortTexts = new Map<string, string>()
const shortText = 64

/**
 * {@link redactText} for the keys and short values of recorded objects, which come back on
 * every call (`learningRate`, `'adam'`): answers for text up to 64 characters are cached (up to
 * 10,000 of them, about 1 MB at most) so that each costs one lookup.
 *
 * @example
 * redactRecordedText('learningRate') // 'learningRate'
 */
export function redactRecordedText(text: string): string {
  if (text.length < 6) return text
  if (text.length > shortText) return redactText(text)
  let shown = shortTexts.get(text)
  if (shown === undefined) {
    shown = redactText(text)
    if (shortTexts.size < 10_000) shortTexts.set(text, shown)
  }
  return shown
}
