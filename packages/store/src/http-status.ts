import type { LoreErrorCode } from './lore-error.js'

const statusOfCode: Record<LoreErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  FAILED_PRECONDITION: 412,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
}

/**
 * The HTTP status the store server answers a `LoreError` code with, and back. The wire
 * carries the code itself too; the status is for proxies, logs and `curl`.
 *
 * @example
 * httpStatusOf('NOT_FOUND') // 404
 */
export function httpStatusOf(code: LoreErrorCode): number {
  return statusOfCode[code]
}

/**
 * The code to report for an HTTP status that came without a Lore error body (a proxy's page,
 * a server that is shutting down).
 *
 * @example
 * loreCodeOf(503) // 'UNAVAILABLE'
 */
export function loreCodeOf(status: number): LoreErrorCode {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return 'INVALID_ARGUMENT'
    case 401:
      return 'UNAUTHENTICATED'
    case 403:
      return 'PERMISSION_DENIED'
    case 404:
      return 'NOT_FOUND'
    case 409:
      return 'ALREADY_EXISTS'
    case 412:
      return 'FAILED_PRECONDITION'
    case 501:
      return 'UNIMPLEMENTED'
    case 429:
    case 502:
    case 503:
    case 504:
      return 'UNAVAILABLE'
    default:
      return status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'
  }
}
