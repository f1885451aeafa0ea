import type { JsonValue } from './json-value.js'
import { redactText } from './redact-text.js'

/** Longest message kept of what a hostile value threw. */
const maxMessageLength = 500

/**
 * What reading a part of a value threw, as text, never throwing itself: `String(thrown)` for
 * most values, and a description for those that cannot become a string (`Object.create(null)`,
 * a revoked Proxy, an object whose `toString` throws).
 *
 * @example
 * describeThrown(Object.create(null)) // 'a value that cannot be shown as text ([object Object])'
 */
export function describeThrown(thrown: unknown): string {
  try {
    return String(thrown)
  } catch {
    let tag = 'unknown'
    try {
      tag = Object.prototype.toString.call(thrown)
    } catch {
      // a revoked Proxy refuses even this
    }
    return `a value that cannot be shown as text (${tag})`
  }
}

/**
 * The record of a part of a value that could not be read (a getter or a Proxy trap threw):
 * `{ $type: 'Unreadable', message }`, the message redacted and cut to 500 characters.
 *
 * @example
 * unreadable(new Error('no access')) // { $type: 'Unreadable', message: 'Error: no access' }
 */
export function unreadable(thrown: unknown): JsonValue {
  return {
    $type: 'Unreadable',
    message: redactText(describeThrown(thrown)).slice(0, maxMessageLength),
  }
}
