import { z } from 'zod'

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

// NUL or any surrogate: a string without one has no problem to look for.
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const suspect = /[\u0000\uD800-\uDFFF]/

/**
 * Why a string cannot be stored as it is on every backend, or `undefined` when it can.
 * PostgreSQL refuses NUL (U+0000) in text, and a lone UTF-16 surrogate has no UTF-8 form:
 * drivers replace it with U+FFFD, so what was read back would differ from what was sent.
 * Refusing both everywhere keeps SQLite, PostgreSQL and MySQL answering alike.
 *
 * @example
 * textProblem('a\u0000b') // 'holds a NUL character (U+0000) at index 1, …'
 */
export function textProblem(value: string): string | undefined {
  // Nearly every string has neither: one scan for both, then the details only for the rare.
  if (!suspect.test(value)) return undefined
  const nul = value.indexOf('\u0000')
  if (nul !== -1) {
    return `holds a NUL character (U+0000) at index ${nul}, which the databases cannot store; remove it, or record binary data as an artifact`
  }
  const surrogate = loneSurrogate.exec(value)
  if (surrogate !== null) {
    return `holds a lone UTF-16 surrogate (U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}) at index ${surrogate.index}, which is not text in UTF-8; send well-formed Unicode`
  }
  return undefined
}

/**
 * The first string problem anywhere in a property value: the value itself, or a key or a
 * string inside a STRUCT. STRUCTs are stored as JSON text, where NUL would be escaped, but a
 * lone surrogate would still come back changed, and one rule for all strings is simpler.
 */
export function textProblemIn(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return textProblem(value)
  // Deeper values are refused by the STRUCT depth check before this one matters.
  if (typeof value !== 'object' || value === null || depth > 64)
    return undefined
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = textProblemIn(item, depth + 1)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = textProblem(key) ?? textProblemIn(item, depth + 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * A zod string that every backend stores unchanged: no NUL, no lone surrogate. Chain
 * `.min()` / `.max()` on it as on `z.string()`.
 *
 * @example
 * const name = storableText().min(1).max(1024)
 */
export function storableText(): z.ZodString {
  return z.string().superRefine((value, context) => {
    const problem = textProblem(value)
    if (problem !== undefined)
      context.addIssue({ code: 'custom', message: problem, input: value })
  })
}
