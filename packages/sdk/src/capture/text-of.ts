/**
 * A value as text for a message, never throwing: `String(value)` when that works, else the
 * value's tag (`[object Object]`), else `'(unprintable value)'`. Thrown values may be
 * `Object.create(null)`, a revoked Proxy, or an object whose `toString` throws.
 *
 * @example
 * textOf(Object.create(null)) // '[object Object]'
 */
export function textOf(value: unknown): string {
  try {
    return String(value)
  } catch {
    try {
      return Object.prototype.toString.call(value)
    } catch {
      return '(unprintable value)'
    }
  }
}

/**
 * The message of a thrown value, never throwing: an Error's `message`, else {@link textOf}.
 *
 * @example
 * messageOf(new Error('down')) // 'down'
 */
export function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return textOf(error.message)
  } catch {
    // a Proxy whose getPrototypeOf trap throws is not an Error we can read
  }
  return textOf(error)
}

/**
 * The name of a thrown value, never throwing: an Error's `name`, else `'Error'`.
 *
 * @example
 * nameOf(new RangeError('x')) // 'RangeError'
 */
export function nameOf(error: unknown): string {
  try {
    if (error instanceof Error) return textOf(error.name)
  } catch {
    // unreadable: fall through
  }
  return 'Error'
}
