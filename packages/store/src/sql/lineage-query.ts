import type { Association, Attribution, Event } from '../record-schemas.js'
import type { Connection, DialectAdapter } from './dialect.js'
import { idList, idsPerStatement, queryByIds } from './node-reader.js'

const inputTypes = "('INPUT', 'DECLARED_INPUT', 'INTERNAL_INPUT')"
const outputTypes =
  "('OUTPUT', 'DECLARED_OUTPUT', 'INTERNAL_OUTPUT', 'PENDING_OUTPUT')"

const placeholders = (count: number): string =>
  Array.from({ length: count }, () => '?').join(', ')

/** A boundary filter, compiled: SQL over the alias `b` of the node's table, and its values. */
export interface LineageBoundary {
  /** SQL over the alias `b` of the node's table. */
  sql: string
  params: unknown[]
}

/** The event types a step may follow, by direction; `undefined` follows every event. */
function stepTypes(direction: 'upstream' | 'downstream' | 'both'): {
  toExecution?: string
  toArtifact?: string
} {
  if (direction === 'both') return {}
  return direction === 'upstream'
    ? { toExecution: outputTypes, toArtifact: inputTypes }
    : { toExecution: inputTypes, toArtifact: outputTypes }
}

function passes(
  table: 'artifact' | 'execution',
  idColumn: string,
  boundary: LineageBoundary | undefined,
): LineageBoundary {
  if (boundary === undefined) return { sql: '', params: [] }
  return {
    sql: ` AND EXISTS (SELECT 1 FROM ${table} b WHERE b.id = ${idColumn} AND ${boundary.sql})`,
    params: boundary.params,
  }
}

/**
 * The recursive query that walks events. Upstream, an artifact leads to the execution that
 * output it and an execution to the artifacts it read; downstream the other way round; `both`
 * follows every event whichever way it points (MLMD's bidirectional walk, so siblings are
 * reached). A boundary keeps the walk from entering nodes that do not match it. One query,
 * however many hops: no round trip per hop.
 *
 * Where the dialect allows several recursive SELECTs in one CTE (SQLite, MariaDB), each step
 * kind is its own SELECT. PostgreSQL allows one recursive reference, so there both steps sit
 * in a LATERAL subquery joined once to the walk; each arm still uses its own index.
 * Exported for the planner test.
 */
export function walkSql(
  adapter: DialectAdapter,
  query: {
    artifactIds: number[]
    executionIds: number[]
    direction: 'upstream' | 'downstream' | 'both'
    maxHops: number
  },
  boundaries: {
    artifacts?: LineageBoundary | undefined
    executions?: LineageBoundary | undefined
  } = {},
): { sql: string; params: unknown[] } {
  const types = stepTypes(query.direction)
  const toExecutionTypes =
    types.toExecution === undefined
      ? ''
      : ` AND ev.type IN ${types.toExecution}`
  const toArtifactTypes =
    types.toArtifact === undefined ? '' : ` AND ev.type IN ${types.toArtifact}`
  const intoExecution = passes(
    'execution',
    'ev.execution_id',
    boundaries.executions,
  )
  const intoArtifact = passes(
    'artifact',
    'ev.artifact_id',
    boundaries.artifacts,
  )
  const start = `SELECT 0, id, 0 FROM artifact WHERE id IN (${placeholders(query.artifactIds.length) || 'NULL'})
    UNION
    SELECT 1, id, 0 FROM execution WHERE id IN (${placeholders(query.executionIds.length) || 'NULL'})`
  const startParams = [...query.artifactIds, ...query.executionIds]
  // Kinds are 0 (artifact) and 1 (execution): integers compare and dedupe faster than text.
  // One way, a node is seldom reached at two distances, and {@link walkLineage} keeps the
  // nearest anyway: grouping the rows cost more than it saved (3 ms of 20 for 4,900 nodes).
  // Both ways, every node is reached again from its neighbours, so there the rows are grouped.
  const result =
    query.direction === 'both'
      ? 'SELECT kind, id, MIN(hops) AS hops FROM walk GROUP BY kind, id'
      : 'SELECT kind, id, hops FROM walk'
  if (adapter.supportsMultipleRecursiveTerms) {
    return {
      sql: `WITH RECURSIVE walk(kind, id, hops) AS (
    ${start}
    UNION
    SELECT 1, ev.execution_id, w.hops + 1 FROM walk w JOIN event ev ON ev.artifact_id = w.id
      WHERE w.kind = 0 AND w.hops < ?${toExecutionTypes}${intoExecution.sql}
    UNION
    SELECT 0, ev.artifact_id, w.hops + 1 FROM walk w JOIN event ev ON ev.execution_id = w.id
      WHERE w.kind = 1 AND w.hops < ?${toArtifactTypes}${intoArtifact.sql}
  )
  ${result}`,
      params: [
        ...startParams,
        query.maxHops,
        ...intoExecution.params,
        query.maxHops,
        ...intoArtifact.params,
      ],
    }
  }
  return {
    sql: `WITH RECURSIVE walk(kind, id, hops) AS (
    ${start}
    UNION
    SELECT step.kind, step.id, w.hops + 1 FROM walk w CROSS JOIN LATERAL (
      SELECT 1 AS kind, ev.execution_id AS id FROM event ev
        WHERE w.kind = 0 AND ev.artifact_id = w.id${toExecutionTypes}${intoExecution.sql}
      UNION ALL
      SELECT 0 AS kind, ev.artifact_id AS id FROM event ev
        WHERE w.kind = 1 AND ev.execution_id = w.id${toArtifactTypes}${intoArtifact.sql}
    ) step
    WHERE w.hops < ?
  )
  ${result}`,
    params: [
      ...startParams,
      ...intoExecution.params,
      ...intoArtifact.params,
      query.maxHops,
    ],
  }
}

/** The nodes reachable from the starting nodes, with the hops to the nearest one. */
export async function walkLineage(
  connection: Connection,
  adapter: DialectAdapter,
  query: {
    artifactIds: number[]
    executionIds: number[]
    direction: 'upstream' | 'downstream' | 'both'
    maxHops: number
  },
  boundaries: {
    artifacts?: LineageBoundary | undefined
    executions?: LineageBoundary | undefined
  } = {},
): Promise<Map<string, number>> {
  const { sql, params } = walkSql(adapter, query, boundaries)
  const rows = await connection.query<{
    kind: number
    id: number
    hops: number
  }>(sql, params)
  const reached = new Map<string, number>()
  for (const row of rows) {
    const key = `${Number(row.kind) === 0 ? 'a' : 'e'}:${Number(row.id)}`
    const hops = Number(row.hops)
    reached.set(key, Math.min(hops, reached.get(key) ?? hops))
  }
  return reached
}

interface EventRow {
  artifact_id: number
  execution_id: number
  type: Event['type']
  path: string
  milliseconds_since_epoch: number
}

/** A stored event row as a record. */
export function eventFromRow(row: EventRow): Event {
  return {
    artifactId: Number(row.artifact_id),
    executionId: Number(row.execution_id),
    type: row.type,
    path: JSON.parse(row.path) as (string | number)[],
    millisecondsSinceEpoch: Number(row.milliseconds_since_epoch),
  }
}

/** Events touching any of these executions or artifacts. */
export async function eventsOf(
  connection: Connection,
  executionIds: readonly number[],
  artifactIds: readonly number[],
): Promise<Event[]> {
  const events = new Map<string, Event>()
  const collect = async (
    column: string,
    ids: readonly number[],
  ): Promise<void> => {
    // No ORDER BY: the events of every chunk and column are merged and sorted by id below,
    // and sorting thousands of rows in SQL too cost a fifth of this read.
    const rows = await queryByIds<EventRow & Record<string, unknown>>(
      connection,
      ids,
      (list) =>
        `SELECT artifact_id, execution_id, type, path, milliseconds_since_epoch, id FROM event WHERE ${column} IN (${list})`,
    )
    for (const row of rows) events.set(String(row.id), eventFromRow(row))
  }
  await collect('execution_id', executionIds)
  await collect('artifact_id', artifactIds)
  return [...events.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, event]) => event)
}

/** The statement of {@link eventsBetween}, over IN lists' placeholders. Exported for a plan test. */
export function eventsBetweenSql(
  executions: string,
  artifacts: string | undefined,
): string {
  return `SELECT artifact_id, execution_id, type, path, milliseconds_since_epoch, id FROM event WHERE execution_id IN (${executions})${artifacts === undefined ? '' : ` AND +artifact_id IN (${artifacts})`}`
}

/**
 * Events between these executions and these artifacts (both ends in the lists), by id: the
 * events of a lineage subgraph. Both lists go into each statement, so the events to nodes the
 * walk never reached are not read at all (a third of a downstream walk's events, each to a
 * dataset the run read); an artifact list too long for that, beside a chunk of executions,
 * is matched here instead. The `+` keeps SQLite from seeking every pair of the two lists on
 * the (execution_id, artifact_id) index: millions of seeks, two seconds for 4,900 nodes.
 */
export async function eventsBetween(
  connection: Connection,
  adapter: DialectAdapter,
  executionIds: readonly number[],
  artifactIds: readonly number[],
): Promise<Event[]> {
  if (executionIds.length === 0 || artifactIds.length === 0) return []
  const artifacts = idList(artifactIds)
  const inSql =
    artifacts.params.length + idsPerStatement <= adapter.maxParameters
  const reached = inSql ? undefined : new Set(artifactIds)
  const rows = await queryByIds<EventRow & { id: number }>(
    connection,
    executionIds,
    (list) => eventsBetweenSql(list, inSql ? artifacts.sql : undefined),
    inSql ? artifacts.params : [],
  )
  const events: { id: number; event: Event }[] = []
  for (const row of rows) {
    const event = eventFromRow(row)
    if (reached === undefined || reached.has(event.artifactId))
      events.push({ id: Number(row.id), event })
  }
  return events.sort((a, b) => a.id - b.id).map(({ event }) => event)
}

/** The attributions of these artifacts and the associations of these executions. */
export async function contextLinksOf(
  connection: Connection,
  artifactIds: readonly number[],
  executionIds: readonly number[],
): Promise<{ attributions: Attribution[]; associations: Association[] }> {
  const attributions: Attribution[] = []
  const associations: Association[] = []
  for (const [ids, table, column] of [
    [artifactIds, 'attribution', 'artifact_id'],
    [executionIds, 'association', 'execution_id'],
  ] as const) {
    const rows = await queryByIds<Record<string, unknown>>(
      connection,
      ids,
      (list) =>
        `SELECT context_id, ${column} AS node_id FROM ${table} WHERE ${column} IN (${list}) ORDER BY context_id, ${column}`,
    )
    for (const row of rows) {
      const contextId = Number(row.context_id)
      const nodeId = Number(row.node_id)
      if (table === 'attribution')
        attributions.push({ contextId, artifactId: nodeId })
      else associations.push({ contextId, executionId: nodeId })
    }
  }
  return { attributions, associations }
}
