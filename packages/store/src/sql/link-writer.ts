import { LoreError } from '../lore-error.js'
import type { EventType, ParentContext } from '../record-schemas.js'
import { insertRows } from './bulk-insert.js'
import type { Connection, DialectAdapter } from './dialect.js'

const placeholders = (count: number): string =>
  Array.from({ length: count }, () => '?').join(', ')

/**
 * Check that every id in `references` names a row of `table`, so a dangling edge gets a
 * clear error naming its field instead of a foreign-key failure naming nothing. A write that
 * links to a missing node is INVALID_ARGUMENT, as in MLMD; a read gives NOT_FOUND.
 */
export async function requireRows(
  connection: Connection,
  table: 'artifact' | 'execution' | 'context',
  references: { id: number; field: string }[],
  code: 'INVALID_ARGUMENT' | 'NOT_FOUND' = 'INVALID_ARGUMENT',
): Promise<void> {
  const ids = [...new Set(references.map((reference) => reference.id))]
  if (ids.length === 0) return
  const found = new Set<number>()
  for (let start = 0; start < ids.length; start += 5000) {
    const chunk = ids.slice(start, start + 5000)
    const rows = await connection.query<{ id: number }>(
      `SELECT id FROM ${table} WHERE id IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const row of rows) found.add(Number(row.id))
  }
  const missing = references.find((reference) => !found.has(reference.id))
  if (missing !== undefined) {
    throw new LoreError(
      code,
      `${missing.field} ${missing.id}: no ${table} has this id`,
      {
        details: { field: missing.field, value: missing.id },
      },
    )
  }
}

/** The key MLMD keeps events unique by: artifact, execution and type. */
export const eventKey = (event: {
  artifactId: number
  executionId: number
  type: string
}): string => `${event.artifactId}:${event.executionId}:${event.type}`

/** The {@link eventKey}s of the stored events of these executions. */
export async function storedEventKeys(
  connection: Connection,
  executionIds: readonly number[],
): Promise<Set<string>> {
  const keys = new Set<string>()
  const ids = [...new Set(executionIds)]
  for (let start = 0; start < ids.length; start += 5000) {
    const chunk = ids.slice(start, start + 5000)
    const rows = await connection.query<{
      artifact_id: number
      execution_id: number
      type: string
    }>(
      `SELECT artifact_id, execution_id, type FROM event WHERE execution_id IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const row of rows) {
      keys.add(
        eventKey({
          artifactId: Number(row.artifact_id),
          executionId: Number(row.execution_id),
          type: row.type,
        }),
      )
    }
  }
  return keys
}

/**
 * Refuse events that repeat a stored event, or one another, by artifact, execution and type
 * (MLMD's unique key; the path does not tell two events apart): ALREADY_EXISTS naming the
 * first such event.
 */
export async function refuseDuplicateEvents(
  connection: Connection,
  events: {
    artifactId: number
    executionId: number
    type: string
    field: string
  }[],
): Promise<void> {
  const stored = await storedEventKeys(
    connection,
    events.map((event) => event.executionId),
  )
  const seen = new Set<string>()
  for (const event of events) {
    const key = eventKey(event)
    if (stored.has(key) || seen.has(key)) {
      throw new LoreError(
        'ALREADY_EXISTS',
        `${event.field}: execution ${event.executionId} already has an ${event.type} event with artifact ${event.artifactId}; an event is unique by artifact, execution and type`,
        {
          details: {
            field: event.field,
            artifactId: event.artifactId,
            executionId: event.executionId,
            type: event.type,
          },
        },
      )
    }
    seen.add(key)
  }
}

/** Edge tables and their columns, in the order rows are given. */
const edgeColumns = {
  event: [
    'artifact_id',
    'execution_id',
    'type',
    'path',
    'milliseconds_since_epoch',
  ],
  attribution: ['context_id', 'artifact_id'],
  association: ['context_id', 'execution_id'],
  parent_context: ['context_id', 'parent_context_id'],
} as const

/** The rows of edges to write, by table. */
export interface EdgeRows {
  event: unknown[][]
  attribution: unknown[][]
  association: unknown[][]
}

/** An empty set of edge rows to fill. */
export const noEdges = (): EdgeRows => ({
  event: [],
  attribution: [],
  association: [],
})

/** An event as its table row. */
export function eventRow(
  event: {
    artifactId: number
    executionId: number
    type: EventType
    path?: (string | number)[] | undefined
  },
  time: number,
): unknown[] {
  return [
    event.artifactId,
    event.executionId,
    event.type,
    JSON.stringify(event.path ?? []),
    time,
  ]
}

function distinctPairs(rows: readonly unknown[][]): unknown[][] {
  const seen = new Set<string>()
  return rows.filter((row) => {
    const key = `${row[0]}:${row[1]}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Writes edges: events and context links. Existing rows are skipped (callers refuse the
 * duplicates MLMD refuses before they get here).
 * Edges need no ids back, so they go many rows to a statement: a batch of step records
 * writes its events in a few statements instead of one per event.
 */
export class LinkWriter {
  readonly #adapter: DialectAdapter

  constructor(adapter: DialectAdapter) {
    this.#adapter = adapter
  }

  /** Insert rows into one edge table, skipping those that exist. */
  async insert(
    connection: Connection,
    table: keyof typeof edgeColumns,
    rows: readonly unknown[][],
  ): Promise<void> {
    await insertRows(
      connection,
      this.#adapter,
      table,
      edgeColumns[table],
      rows,
      'skip existing',
    )
  }

  /**
   * Insert every table's rows. A context link named by several records of a batch (a shared
   * dataset in every step of a run) is sent once.
   */
  async insertAll(connection: Connection, edges: EdgeRows): Promise<void> {
    await this.insert(connection, 'event', edges.event)
    await this.insert(
      connection,
      'attribution',
      distinctPairs(edges.attribution),
    )
    await this.insert(
      connection,
      'association',
      distinctPairs(edges.association),
    )
  }

  /**
   * Link a child context to a parent: ALREADY_EXISTS if they are linked, INVALID_ARGUMENT
   * (as in MLMD) if the link closes a cycle.
   */
  async parentContext(
    connection: Connection,
    link: ParentContext,
    field: string,
  ): Promise<void> {
    if (link.childId === link.parentId) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}: context ${link.childId} cannot be its own parent`,
      )
    }
    // A cycle appears when the new parent already descends from the child. The walk starts
    // from the parent's row rather than a bare parameter, whose type PostgreSQL cannot infer.
    const [cycle] = await connection.query(
      `WITH RECURSIVE ancestor(id) AS (
        SELECT id FROM context WHERE id = ? UNION SELECT pc.parent_context_id FROM parent_context pc JOIN ancestor a ON pc.context_id = a.id
      ) SELECT id FROM ancestor WHERE id = ?`,
      [link.parentId, link.childId],
    )
    if (cycle !== undefined) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}: making context ${link.parentId} a parent of ${link.childId} would close a cycle (${link.childId} is already an ancestor of ${link.parentId})`,
      )
    }
    const [existing] = await connection.query(
      'SELECT context_id FROM parent_context WHERE context_id = ? AND parent_context_id = ?',
      [link.childId, link.parentId],
    )
    if (existing !== undefined) {
      throw new LoreError(
        'ALREADY_EXISTS',
        `${field}: context ${link.parentId} is already a parent of ${link.childId}`,
        { details: { field, childId: link.childId, parentId: link.parentId } },
      )
    }
    await this.insert(connection, 'parent_context', [
      [link.childId, link.parentId],
    ])
  }
}
