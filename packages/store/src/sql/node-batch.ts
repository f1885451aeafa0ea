import { insertRows } from './bulk-insert.js'
import type { Connection, DialectAdapter, Row } from './dialect.js'
import type { NodeTable } from './node-tables.js'
import { propertyRowValues } from './node-updater.js'
import {
  insertPropertyRows,
  type NodeInput,
  type PreparedNode,
  type StoredNode,
} from './node-writer.js'
import type { TypeRegistry } from './type-registry.js'

/** The columns every node row has, before its table's own. */
const nodeColumns = [
  'type_id',
  'create_time_since_epoch',
  'last_update_time_since_epoch',
]

/** A stored node found by its key, with the type a reuse checks against. */
export interface FoundNode {
  id: number
  typeId: number
}

/** The key of a node named by its external id. */
export const externalIdKey = (externalId: string): string => `x:${externalId}`

/** The key of a context named by its type and name. */
export const contextNameKey = (typeId: number, name: string): string =>
  `n:${typeId}:${name}`

/**
 * Find the stored nodes that a batch's new nodes name by key (external id, and for contexts
 * type and name), in one query per table and key rather than one per node. Returns them by
 * {@link externalIdKey} and {@link contextNameKey}.
 */
export async function findNodesByKey(
  connection: Connection,
  types: TypeRegistry,
  adapter: DialectAdapter,
  table: NodeTable,
  inputs: { input: NodeInput; field: string }[],
): Promise<Map<string, FoundNode>> {
  const found = new Map<string, FoundNode>()
  const externalIds = new Set<string>()
  const namesByType = new Map<number, Set<string>>()
  for (const { input, field } of inputs) {
    if (input.externalId !== undefined) externalIds.add(input.externalId)
    if (table.entity === 'context' && input.name !== undefined) {
      const type = await types.resolve(connection, table.typeKind, input, field)
      const names = namesByType.get(type.id) ?? new Set()
      names.add(input.name)
      namesByType.set(type.id, names)
    }
  }
  for (const chunk of chunks([...externalIds], adapter.maxParameters)) {
    const rows = await connection.query<{
      id: number
      type_id: number
      external_id: string
    }>(
      `SELECT id, type_id, external_id FROM ${table.table} WHERE external_id IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const row of rows) {
      found.set(externalIdKey(row.external_id), {
        id: Number(row.id),
        typeId: Number(row.type_id),
      })
    }
  }
  for (const [typeId, names] of namesByType) {
    for (const chunk of chunks([...names], adapter.maxParameters - 1)) {
      const rows = await connection.query<{ id: number; name: string }>(
        `SELECT id, name FROM context WHERE type_id = ? AND name IN (${placeholders(chunk.length)})`,
        [typeId, ...chunk],
      )
      for (const row of rows) {
        found.set(contextNameKey(typeId, row.name), {
          id: Number(row.id),
          typeId,
        })
      }
    }
  }
  return found
}

/**
 * Insert new nodes of one table with their properties, many rows a statement where the
 * dialect returns the new ids of a multi-row INSERT; returns the ids in the order given.
 */
export async function insertNodes(
  connection: Connection,
  adapter: DialectAdapter,
  table: NodeTable,
  nodes: PreparedNode[],
): Promise<number[]> {
  const ids =
    adapter.supportsInsertReturning || adapter.insertColumns !== undefined
      ? await insertReturning(connection, adapter, table, nodes)
      : await insertOneByOne(connection, table, nodes)
  await insertPropertyRows(
    connection,
    table,
    nodes.map((node, index) => [ids[index] ?? Number.NaN, node.properties]),
    adapter,
  )
  return ids
}

/**
 * Read the rows and property rows of stored nodes, two queries per chunk of ids rather than
 * two per node: what a batch that names many stored nodes again (a shared dataset in every
 * step record) compares its fields against, so that re-naming a node costs no round trip.
 */
export async function readStoredNodes(
  connection: Connection,
  adapter: DialectAdapter,
  table: NodeTable,
  ids: readonly number[],
): Promise<Map<number, StoredNode>> {
  const stored = new Map<number, StoredNode>()
  for (const chunk of chunks([...new Set(ids)], adapter.maxParameters)) {
    const rows = await connection.query<Row>(
      `SELECT * FROM ${table.table} WHERE id IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const row of rows) stored.set(Number(row.id), { row, properties: [] })
    const properties = await connection.query<Row>(
      `SELECT ${table.ownerColumn} AS owner, name, is_custom, kind, number_value, string_value FROM ${table.propertyTable} WHERE ${table.ownerColumn} IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const property of properties)
      stored
        .get(Number(property.owner))
        ?.properties.push(propertyRowValues(property))
  }
  return stored
}

async function insertOneByOne(
  connection: Connection,
  table: NodeTable,
  nodes: PreparedNode[],
): Promise<number[]> {
  const ids: number[] = []
  for (const node of nodes) {
    ids.push(
      await connection.insert(
        `INSERT INTO ${table.table} (${node.columns.join(', ')}) VALUES (${placeholders(node.columns.length)})`,
        node.values,
      ),
    )
  }
  return ids
}

async function insertReturning(
  connection: Connection,
  adapter: DialectAdapter,
  table: NodeTable,
  nodes: PreparedNode[],
): Promise<number[]> {
  // One column list for all rows, NULL where a node leaves a column out (no node column
  // has a DEFAULT), so the rows keep the records' order and ids are given in that order.
  const used = new Set<string>()
  for (const node of nodes) for (const column of node.columns) used.add(column)
  const columns = [...nodeColumns, ...Object.values(table.columns)].filter(
    (column) => used.has(column),
  )
  // A prepared node lists its columns in this same order, so one walk fills its row.
  const rowValues = nodes.map((node) => {
    const row: unknown[] = new Array(columns.length)
    let next = 0
    for (let index = 0; index < columns.length; index++) {
      if (node.columns[next] === columns[index])
        row[index] = node.values[next++] ?? null
      else row[index] = null
    }
    if (next !== node.columns.length)
      throw new Error(`the columns of a new ${table.entity} are out of order`)
    return row
  })
  return insertRows(
    connection,
    adapter,
    table.table,
    columns,
    rowValues,
    'returning id',
  )
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ')
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = []
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size))
  }
  return result
}
