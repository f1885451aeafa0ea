const marker = Symbol.for('lore.error')

/** The stable codes a {@link LoreError} carries; they follow gRPC's and MLMD's status names. */
export type LoreErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'UNIMPLEMENTED'
  | 'INTERNAL'

/** One problem found while validating input: where, what kind, and a readable message. */
export interface LoreIssue {
  path: (string | number)[]
  code: string
  message: string
}

/** Options of a {@link LoreError}. */
export interface LoreErrorOptions {
  /** Validation problems, one per field, when the error is about input. */
  issues?: LoreIssue[]
  /** Extra structured facts (the id that was not found, the offending value…). */
  details?: Record<string, unknown>
  cause?: unknown
}

/**
 * The one error class Lore throws. `code` is stable and safe to branch on; the message says
 * what was wrong, with which value, and what to do.
 *
 * @example
 * try { await store.getArtifactType('Model') } catch (error) {
 *   if (LoreError.isInstance(error) && error.code === 'NOT_FOUND') …
 * }
 */
export class LoreError extends Error {
  readonly [marker] = true
  override readonly name = 'LoreError'
  readonly code: LoreErrorCode
  readonly issues: LoreIssue[]
  readonly details: Record<string, unknown>

  constructor(
    code: LoreErrorCode,
    message: string,
    options: LoreErrorOptions = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.code = code
    this.issues = options.issues ?? []
    this.details = options.details ?? {}
  }

  /** True for a LoreError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is LoreError {
    return typeof value === 'object' && value !== null && marker in value
  }

  /** A plain object for the wire and for `--json` output. */
  toJSON(): {
    code: LoreErrorCode
    message: string
    issues: LoreIssue[]
    details: Record<string, unknown>
  } {
    return {
      code: this.code,
      message: this.message,
      issues: this.issues,
      details: this.details,
    }
  }
}
