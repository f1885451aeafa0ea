import { LoreError, type LoreErrorCode } from '../../../store/src/lore-error.js'

const tokenKey = 'lore.token'

/** The token the user gave this tab (kept in sessionStorage: gone when the tab closes). */
export function savedToken(): string | undefined {
  return sessionStorage.getItem(tokenKey) ?? undefined
}

/** Keep a token for this tab, or forget it (`undefined`). */
export function saveToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(tokenKey)
  else sessionStorage.setItem(tokenKey, token)
}

interface ErrorBody {
  error?: {
    code?: LoreErrorCode
    message?: string
    issues?: LoreError['issues']
    details?: Record<string, unknown>
  }
}

/**
 * Call one operation of the store server's JSON API (`POST /v1/<operation>`) from the page's
 * own origin, with the tab's token if it has one. Resolves with `result`; rejects with the
 * server's `LoreError` (code, message, issues, details), or UNAVAILABLE when the server cannot
 * be reached.
 *
 * @example
 * const page = await callApi('getContexts', { query: { type: 'PipelineRun', limit: 50 } })
 */
export async function callApi<T>(operation: string, body: unknown): Promise<T> {
  const token = savedToken()
  let response: Response
  try {
    response = await fetch(`./v1/${operation}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    })
  } catch (error) {
    throw new LoreError(
      'UNAVAILABLE',
      `the store server did not answer ${operation}; is lore ui (or lore serve) still running?`,
      { cause: error },
    )
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (!response.ok) {
    const error = (parsed as ErrorBody | undefined)?.error
    throw new LoreError(
      error?.code ?? 'INTERNAL',
      error?.message ?? `${operation} failed with HTTP ${response.status}`,
      {
        issues: error?.issues ?? [],
        details: { ...error?.details, status: response.status },
      },
    )
  }
  return (parsed as { result: T }).result
}
