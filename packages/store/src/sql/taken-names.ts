import type { Connection, DialectAdapter } from './dialect.js'
import type { NodeTable } from './node-tables.js'
import type { NodeInput } from './node-writer.js'
import type { TypeRegistry } from './type-registry.js'

/** The key of a name within a type, as {@link findTakenNames} returns it. */
export const typeNameKey = (typeId: number, name: string): string =>
  `${typeId}:${name}`

/**
 * The stored artifacts or executions that have the names a batch's new nodes ask for, by
 * {@link typeNameKey}: one query per type and chunk rather than one per node.
 */
export async function findTakenNames(
  connection: Connection,
  types: TypeRegistry,
  adapter: DialectAdapter,
  table: NodeTable,
  inputs: { input: NodeInput; field: string }[],
): Promise<Map<string, number>> {
  const namesByType = new Map<number, Set<string>>()
  for (const { input, field } of inputs) {
    if (input.name === undefined) continue
    const type = await types.resolve(connection, table.typeKind, input, field)
    const names = namesByType.get(type.id) ?? new Set()
    names.add(input.name)
    namesByType.set(type.id, names)
  }
  const taken = new Map<string, number>()
  const size = Math.max(1, adapter.maxParameters - 1)
  for (const [typeId, names] of namesByType) {
    const all = [...names]
    for (let start = 0; start < all.length; start += size) {
      const chunk = all.slice(start, start + size)
      const rows = await connection.query<{ id: number; name: string }>(
        `SELECT id, name FROM ${table.table} WHERE type_id = ? AND name IN (${chunk.map(() => '?').join(', ')})`,
        [typeId, ...chunk],
      )
      for (const row of rows)
        taken.set(typeNameKey(typeId, row.name), Number(row.id))
    }
  }
  return taken
}
