import { createRequire } from 'node:module'

/** The slice of better-sqlite3 a test needs to change a database behind the store's back. */
interface ExecDatabase {
  exec(sql: string): void
  close(): void
}
const openDatabase = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
) => ExecDatabase

/**
 * Run `sql` on the SQLite file at `path` from a connection of its own (say, a trigger that
 * makes the database refuse some rows).
 *
 * @example
 * execSqlite(file, "CREATE TRIGGER ... BEGIN SELECT RAISE(ABORT, 'refused'); END")
 */
export function execSqlite(path: string, sql: string): void {
  const database = new openDatabase(path)
  try {
    database.exec(sql)
  } finally {
    database.close()
  }
}
