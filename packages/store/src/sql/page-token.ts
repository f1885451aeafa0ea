import { createHash } from 'node:crypto'
import { LoreError } from '../lore-error.js'
import { maxStringLength } from '../record-schemas.js'
import { textProblem } from '../storable-text.js'

/** Where the previous page ended, and a digest of the query it belongs to. */
export interface PageCursor {
  value: string | number
  id: number
  query: string
}

/** A digest of the parts of a query that must not change between pages. */
export function queryDigest(parts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('base64url')
    .slice(0, 16)
}

/** An opaque token for the page after `cursor`. */
export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.value, cursor.id, cursor.query]),
  ).toString('base64url')
}

function isRowId(id: unknown): id is number {
  return Number.isSafeInteger(id) && (id as number) >= 0
}

function isCursorValue(
  value: unknown,
  valueType: 'string' | 'number' | 'double' | undefined,
): value is string | number {
  if (typeof value === 'string')
    return value.length <= maxStringLength && textProblem(value) === undefined
  // A property's value is a double; an id or a time, an integer column.
  return valueType === 'double'
    ? Number.isFinite(value)
    : Number.isSafeInteger(value)
}

/**
 * The cursor in a token; INVALID_ARGUMENT when the token is damaged, from another query, or
 * holds a value of another type than `valueType` (the order column's).
 */
export function decodePageToken(
  token: string,
  query: string,
  valueType?: 'string' | 'number' | 'double',
): PageCursor {
  let cursor: PageCursor | undefined
  try {
    const [value, id, digest] = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    ) as unknown[]
    // A token is only base64 JSON: anyone can forge one, so its values are checked as any
    // other input before they reach SQL (a NUL or a 2^70 would make the database fail).
    if (
      isCursorValue(value, valueType) &&
      (valueType === undefined ||
        typeof value === (valueType === 'double' ? 'number' : valueType)) &&
      isRowId(id) &&
      typeof digest === 'string'
    ) {
      cursor = { value, id, query: digest }
    }
  } catch {
    // A damaged token is reported below.
  }
  if (cursor === undefined) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `pageToken '${token.slice(0, 40)}' is not a token this store gave out`,
      {
        details: { field: 'pageToken' },
      },
    )
  }
  if (cursor.query !== query) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      'pageToken belongs to a different query; ask for the next page with the same type, filter and order as the first',
      { details: { field: 'pageToken' } },
    )
  }
  return cursor
}
