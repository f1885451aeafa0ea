/**
 * The raw better-sqlite3 baseline of the persisted benchmark: the rows Lore wrote for a run's
 * step records (executions, their properties, associations, events, artifacts), copied out of
 * Lore's own file and written again by plain prepared INSERTs into a copy of the same schema,
 * in transactions of `batchSize` records. Whatever Lore spends beyond that is the SDK's cost.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

interface Statement {
  all(...values: unknown[]): Record<string, unknown>[]
  run(...values: unknown[]): unknown
}
interface RawDatabase {
  prepare(sql: string): Statement
  exec(sql: string): void
  pragma(sql: string): unknown
  transaction<A extends unknown[]>(
    body: (...args: A) => void,
  ): (...args: A) => void
  close(): void
}
const openDatabase = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  options?: { readonly?: boolean },
) => RawDatabase

/** Tables a step record writes to, with the column that names its execution. */
const stepTables: Record<string, string> = {
  execution: 'id',
  execution_property: 'execution_id',
  association: 'execution_id',
  event: 'execution_id',
}

/** What the raw writer did. */
export interface RawWrite {
  records: number
  rows: number
  seconds: number
}

/**
 * Write again, with raw better-sqlite3, the step rows that `source` holds into `target` (a new
 * file): the schema and every other row are copied first, untimed; then the step rows, timed.
 *
 * @example
 * const raw = rawStepWrite('/tmp/a/lore.db', '/tmp/a/raw.db', 1000)
 */
export function rawStepWrite(
  source: string,
  target: string,
  batchSize: number,
): RawWrite {
  const from = new openDatabase(source, { readonly: true })
  const to = new openDatabase(target)
  // The same settings Lore's SQLite dialect uses for its file.
  to.pragma('journal_mode = WAL')
  to.pragma('synchronous = NORMAL')
  // Off while the untimed copy runs in any order; on, as Lore has it, for the timed part.
  to.pragma('foreign_keys = OFF')
  const schema = from
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC",
    )
    .all()
  for (const entry of schema) to.exec(String(entry.sql))
  const tables = schema
    .filter((entry) => entry.type === 'table')
    .map((entry) => String(entry.name))
  const byExecution = new Map<string, Map<number, Record<string, unknown>[]>>()
  for (const table of tables) {
    const rows = from.prepare(`SELECT * FROM "${table}"`).all()
    const key = stepTables[table]
    if (key === undefined) {
      copyRows(to, table, rows)
      continue
    }
    const grouped = new Map<number, Record<string, unknown>[]>()
    for (const row of rows) {
      const id = Number(row[key])
      const group = grouped.get(id)
      if (group === undefined) grouped.set(id, [row])
      else group.push(row)
    }
    byExecution.set(table, grouped)
  }
  from.close()
  to.pragma('foreign_keys = ON')
  const executionIds = [...(byExecution.get('execution')?.keys() ?? [])]
  const inserts = new Map<string, (row: Record<string, unknown>) => void>()
  const insertFor = (table: string, row: Record<string, unknown>) => {
    let insert = inserts.get(table)
    if (insert === undefined) {
      const columns = Object.keys(row)
      const statement = to.prepare(
        `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      insert = (values) =>
        statement.run(...columns.map((column) => values[column]))
      inserts.set(table, insert)
    }
    insert(row)
  }
  let rows = 0
  const writeBatch = to.transaction((ids: number[]) => {
    for (const id of ids)
      for (const table of Object.keys(stepTables))
        for (const row of byExecution.get(table)?.get(id) ?? []) {
          insertFor(table, row)
          rows++
        }
  })
  const began = performance.now()
  for (let start = 0; start < executionIds.length; start += batchSize)
    writeBatch(executionIds.slice(start, start + batchSize))
  const seconds = (performance.now() - began) / 1000
  to.close()
  return { records: executionIds.length, rows, seconds }
}

function copyRows(
  database: RawDatabase,
  table: string,
  rows: Record<string, unknown>[],
): void {
  const first = rows[0]
  if (first === undefined) return
  const columns = Object.keys(first)
  const statement = database.prepare(
    `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  )
  database.transaction(() => {
    for (const row of rows)
      statement.run(...columns.map((column) => row[column]))
  })()
}
