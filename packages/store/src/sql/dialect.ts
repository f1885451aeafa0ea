/**
 * The seam between the store's logic and a database, shaped like Kysely's `Dialect`: a driver
 * that runs SQL, an adapter with capability flags, and the SQL flavour (column types, the
 * placeholder syntax). Everything that differs between SQLite, PostgreSQL and MySQL lives
 * behind this interface; the store's logic writes portable SQL with `?` placeholders.
 */
export interface Dialect {
  readonly name: string
  readonly adapter: DialectAdapter
  createDriver(): Promise<Driver>
}

/** A row as the driver returns it. */
export type Row = Record<string, unknown>

/** What the store needs from one database connection. */
export interface Connection {
  /** Run a query and return its rows. */
  query<T extends object = Row>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]>
  /** Run a statement; returns how many rows it changed. */
  execute(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ changes: number }>
  /**
   * Run an INSERT of one row into a table whose key is an `id` column, and return the new
   * row's id (SQLite's last rowid, MySQL's insert id, PostgreSQL's `RETURNING id`).
   */
  insert(sql: string, params?: readonly unknown[]): Promise<number>
}

/** Opens connections and transactions; one per store. */
export interface Driver extends Connection {
  /**
   * Run `work` in one write transaction on one connection. A transaction that loses a lock
   * race (a busy SQLite file, a deadlock or serialization failure on a server) is rolled
   * back and run again, so `work` may run more than once and must not have effects outside
   * the database. SQLite runs one transaction at a time per driver; server dialects run
   * them side by side, each on a pooled connection.
   */
  transaction<T>(work: (connection: Connection) => Promise<T>): Promise<T>
  /**
   * Run `work` on one connection outside a transaction, for what must share a session but
   * cannot run in a transaction (MySQL's DDL commits on its own).
   */
  connection<T>(work: (connection: Connection) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Capability flags and SQL flavour of a dialect. */
export interface DialectAdapter {
  /** Column type of an auto-increment primary key. */
  readonly idColumn: string
  /** Column type of a 64-bit integer. */
  readonly bigintColumn: string
  /** Column type of a double. */
  readonly doubleColumn: string
  /** Column type of a string short enough to index (names, uris, keys). */
  readonly keyColumn: string
  /** Column type of unbounded text (JSON, stack traces). */
  readonly textColumn: string
  /**
   * How an index lists a column of `textColumn` type: whole where the database can index any
   * length, else a prefix (MySQL's `column(255)`, or `prefix` characters when given) or an
   * expression.
   */
  indexedText(column: string, prefix?: number): string
  /** `DROP INDEX` for an index of `table` (MySQL names the table too). */
  dropIndex(index: string, table: string): string
  /**
   * An INSERT of `rowCount` rows that skips rows whose unique key exists
   * (`ON CONFLICT DO NOTHING`, MySQL's `ON DUPLICATE KEY UPDATE` of nothing).
   */
  insertIgnore(
    table: string,
    columns: readonly string[],
    rowCount: number,
  ): string
  /**
   * An INSERT of rows bound column by column, one array parameter a column (PostgreSQL's
   * `INSERT … SELECT … FROM unnest(?::bigint[], …)`), so one statement of one text takes any
   * number of rows. `'returning id'` returns the new ids, drawn in the rows' order;
   * `'skip existing'` skips rows whose unique key is taken, and `'insert'` fails on them.
   * Left out where the dialect has no such form: rows then go as multi-row VALUES.
   */
  readonly insertColumns?: (
    table: string,
    columns: readonly { name: string; kind: 'integer' | 'double' | 'text' }[],
    mode: 'returning id' | 'skip existing' | 'insert',
  ) => string
  /**
   * Whether a multi-row `INSERT ... RETURNING id` returns the new ids (SQLite 3.35+,
   * PostgreSQL). Ids are drawn in VALUES order, so sorted they match the rows. Without it
   * (MySQL) new nodes are inserted one statement each.
   */
  readonly supportsInsertReturning: boolean
  /** The most bound parameters one statement may carry. */
  readonly maxParameters: number
  /** SQLite 3.34+ and MariaDB accept several recursive SELECTs in one CTE; PostgreSQL does not. */
  readonly supportsMultipleRecursiveTerms: boolean
  /**
   * Whether DDL runs inside a transaction (SQLite, PostgreSQL). Without it (MySQL) migrations
   * run statement by statement on one connection that holds the migration lock.
   */
  readonly supportsTransactionalDdl: boolean
  /**
   * Whether an index may cover only the rows a WHERE clause picks (SQLite, PostgreSQL); MySQL
   * indexes every row.
   */
  readonly supportsPartialIndexes: boolean
  /**
   * Take the lock that keeps two processes from migrating one database at once. With
   * transactional DDL it is taken inside the migration's transaction and ends with it;
   * otherwise it is held by the connection until {@link releaseMigrationLock}.
   */
  acquireMigrationLock(connection: Connection): Promise<void>
  /** Give the lock back; a no-op where the transaction's end releases it. */
  releaseMigrationLock(connection: Connection): Promise<void>
}

/** Defaults a dialect's adapter may override, so a new flag breaks no dialect. */
export const defaultAdapter: Omit<DialectAdapter, 'idColumn'> = {
  bigintColumn: 'BIGINT',
  doubleColumn: 'DOUBLE PRECISION',
  keyColumn: 'VARCHAR(1024)',
  textColumn: 'TEXT',
  indexedText: (column) => column,
  dropIndex: (index) => `DROP INDEX ${index}`,
  supportsMultipleRecursiveTerms: false,
  supportsTransactionalDdl: true,
  supportsPartialIndexes: true,
  supportsInsertReturning: false,
  maxParameters: 999,
  insertIgnore: (table, columns, rowCount) => {
    const row = `(${columns.map(() => '?').join(', ')})`
    const rows = Array.from({ length: rowCount }, () => row).join(', ')
    return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows} ON CONFLICT DO NOTHING`
  },
  // SQLite's write transaction is the lock: BEGIN IMMEDIATE lets one writer in at a time.
  acquireMigrationLock: async () => {},
  releaseMigrationLock: async () => {},
}
