import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** The slice of better-sqlite3 a dump needs. */
interface DumpDatabase {
  prepare(sql: string): { all(): Record<string, unknown>[] }
  close(): void
}
const openDatabase = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => DumpDatabase

/** Everything one SQLite file holds, as text to search. */
export interface SqliteDump {
  /** Every table's rows, by table name. */
  tables: Record<string, Record<string, unknown>[]>
  /** Every row of every table as JSON, blobs as UTF-8, then the raw bytes of the file and its WAL. */
  text: string
}

function shown(value: unknown): unknown {
  return value instanceof Uint8Array
    ? Buffer.from(value).toString('utf8')
    : value
}

/**
 * Dump every table of an SQLite file (read-only), and append the file's raw bytes and those of
 * its write-ahead log: a deleted row (a sent outbox entry) stays in free pages, so a secret
 * that was ever written is found even after it was removed.
 *
 * @example
 * const { tables, text } = dumpSqlite('/tmp/x/lore.db')
 */
export function dumpSqlite(file: string): SqliteDump {
  const database = new openDatabase(file, {
    readonly: true,
    fileMustExist: true,
  })
  const tables: Record<string, Record<string, unknown>[]> = {}
  try {
    const names = database
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      .all()
      .map((row) => String(row.name))
    for (const name of names)
      tables[name] = database
        .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        .all()
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([key, value]) => [key, shown(value)]),
          ),
        )
  } finally {
    database.close()
  }
  let text = JSON.stringify(tables)
  for (const path of [file, `${file}-wal`])
    if (existsSync(path)) text += readFileSync(path).toString('latin1')
  return { tables, text }
}
