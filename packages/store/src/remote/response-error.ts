import { loreCodeOf } from '../http-status.js'
import { LoreError, type LoreErrorCode, type LoreIssue } from '../lore-error.js'

const codes = new Set<string>([
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'ABORTED',
  'UNAVAILABLE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'UNIMPLEMENTED',
  'INTERNAL',
] satisfies LoreErrorCode[])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function issuesOf(value: unknown): LoreIssue[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (issue): issue is LoreIssue =>
      isRecord(issue) &&
      Array.isArray(issue.path) &&
      typeof issue.code === 'string' &&
      typeof issue.message === 'string',
  )
}

/**
 * The LoreError an error response stands for: the server's own code, message, issues and
 * details when the body is Lore's `{ error: … }`, or one made from the HTTP status when it is
 * not (a proxy's page, a server shutting down).
 *
 * @example
 * throw responseError(404, '{"error":{"code":"NOT_FOUND",…}}', 'http://127.0.0.1:4700')
 */
export function responseError(
  status: number,
  text: string,
  url: string,
): LoreError {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const error = isRecord(parsed) ? parsed.error : undefined
  if (
    isRecord(error) &&
    typeof error.code === 'string' &&
    codes.has(error.code) &&
    typeof error.message === 'string'
  ) {
    return new LoreError(error.code as LoreErrorCode, error.message, {
      issues: issuesOf(error.issues),
      details: isRecord(error.details) ? error.details : {},
    })
  }
  const snippet = text.length > 200 ? `${text.slice(0, 197)}...` : text
  return new LoreError(
    loreCodeOf(status),
    `the store server at ${url} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`,
    { details: { status } },
  )
}
