import { createHash } from 'node:crypto'

/**
 * `text` cut to `max` characters for an indexed column (MySQL holds 255), keeping it unique:
 * a long text keeps its start and ends with 16 hex digits of its sha256.
 *
 * @example
 * fitKey('a'.repeat(300)).length // 255
 */
export function fitKey(text: string, max = 255): string {
  if (text.length <= max) return text
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16)
  return `${text.slice(0, max - 17)}~${digest}`
}
