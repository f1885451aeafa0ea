import type { Connection, DialectAdapter, Row } from './dialect.js'

/** What a column holds, for a dialect that binds a column's values as one typed array. */
export type ColumnKind = 'integer' | 'double' | 'text'

// Every integer column a bulk insert writes; the rest hold text, but for the two doubles.
const integerColumns = new Set([
  'type_id',
  'create_time_since_epoch',
  'last_update_time_since_epoch',
  'start_time_since_epoch',
  'end_time_since_epoch',
  'milliseconds_since_epoch',
  'is_custom',
  'artifact_id',
  'execution_id',
  'context_id',
  'parent_context_id',
  'step',
  'timestamp_ms',
])

/** The kind of one of the store's columns. */
export function columnKind(column: string): ColumnKind {
  if (integerColumns.has(column)) return 'integer'
  return column === 'number_value' || column === 'value' ? 'double' : 'text'
}

/** What an insert of many rows does with a row whose unique key is taken. */
export type BulkInsertMode = 'returning id' | 'skip existing' | 'insert'

/**
 * Insert `rows` (values in `columns` order) into `table` in as few statements as the dialect
 * allows. Where it binds a column as one array (PostgreSQL's `unnest`), that is one statement
 * whose text does not depend on the row count, so each connection plans it once; elsewhere,
 * multi-row VALUES of at most `maxParameters` values. With `'returning id'` it returns the
 * new ids in the rows' order; with `'skip existing'` rows whose unique key is taken are
 * skipped; with `'insert'` such a row fails the statement.
 */
export async function insertRows(
  connection: Connection,
  adapter: DialectAdapter,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  mode: BulkInsertMode,
): Promise<number[]> {
  if (rows.length === 0) return []
  const ids: number[] = []
  const read = (result: Row[]) =>
    // Ids are drawn in the rows' order, but RETURNING promises no order of its own.
    ids.push(...result.map((row) => Number(row.id)).sort((a, b) => a - b))
  if (adapter.insertColumns !== undefined) {
    const sql = adapter.insertColumns(
      table,
      columns.map((column) => ({ name: column, kind: columnKind(column) })),
      mode,
    )
    const arrays = columns.map((_, index) =>
      rows.map((row) => {
        const value = row[index]
        return typeof value === 'boolean' ? Number(value) : (value ?? null)
      }),
    )
    read(await connection.query(sql, arrays))
    return ids
  }
  const perStatement = Math.max(
    1,
    Math.floor(adapter.maxParameters / columns.length),
  )
  const row = `(${columns.map(() => '?').join(', ')})`
  for (let start = 0; start < rows.length; start += perStatement) {
    const count = Math.min(perStatement, rows.length - start)
    // One flat array filled in place: a batch binds tens of thousands of values, and the
    // copies of slice-then-flat were a measurable share of its time.
    const params: unknown[] = new Array(count * columns.length)
    let next = 0
    for (let index = start; index < start + count; index++) {
      const values = rows[index]!
      for (let column = 0; column < columns.length; column++)
        params[next++] = values[column]
    }
    if (mode === 'skip existing') {
      await connection.execute(
        adapter.insertIgnore(table, columns, count),
        params,
      )
      continue
    }
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')}`
    if (mode === 'insert') await connection.execute(sql, params)
    else read(await connection.query(`${sql} RETURNING id`, params))
  }
  return ids
}
