import { createHash } from 'node:crypto'

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The OpenLineage `runId` (a UUID) of a Lore run or step call. A run's id and a call's
 * external id (`execution:<uuid>`) already hold one; any other id (a run given
 * `runId: 'nightly-7'`) maps to a stable name-based UUID (version 8, from its sha256), so an
 * export made twice names the same runs.
 *
 * @example
 * openLineageRunId('execution:2a9f9f35-8948-42e5-ad99-7d4b78727ba4') // '2a9f9f35-…'
 */
export function openLineageRunId(id: string): string {
  const bare = id.startsWith('execution:') ? id.slice('execution:'.length) : id
  if (uuidPattern.test(bare)) return bare.toLowerCase()
  const hex = createHash('sha256').update(`lore:${id}`).digest('hex')
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
