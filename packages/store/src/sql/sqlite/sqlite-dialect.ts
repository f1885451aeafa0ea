import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { LoreError } from '../../lore-error.js'
import { latestSchemaVersion } from '../migrations.js'
import {
  defaultAdapter,
  type Connection,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Row,
} from '../dialect.js'
import { SerialQueue } from '../serial-queue.js'
import { SqliteReadPool } from './sqlite-read-pool.js'

/** The slice of better-sqlite3 Lore uses, typed here so the rest of the code does not depend on it. */
interface SqliteStatement {
  readonly reader: boolean
  readonly readonly: boolean
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): {
    changes: number
    lastInsertRowid: number | bigint
  }
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement
  pragma(source: string): unknown
  exec(sql: string): void
  close(): void
  readonly inTransaction: boolean
}

/** Options of {@link SqliteDialect}. */
export interface SqliteDialectOptions {
  /** A file path, or `:memory:`. Parent folders are created. */
  path: string
  /**
   * How long one statement waits for another process's write lock before SQLite gives up.
   * @default 10000
   */
  busyTimeoutMs?: number
  /**
   * How often a transaction that still lost a lock race is retried.
   * @default 20
   */
  maxRetries?: number
  /**
   * How many worker threads run a file database's reads outside a transaction, so that a
   * long query does not stall the event loop (0: read on the main thread). A `:memory:`
   * database is read on the main thread: a worker cannot open it.
   * @default min(4, max(2, availableParallelism()))
   */
  readWorkers?: number
}

const sqliteAdapter: DialectAdapter = {
  ...defaultAdapter,
  idColumn: 'INTEGER PRIMARY KEY',
  bigintColumn: 'INTEGER',
  doubleColumn: 'REAL',
  keyColumn: 'TEXT',
  supportsMultipleRecursiveTerms: true,
  // SQLite has had RETURNING since 3.35 (better-sqlite3 bundles a newer one): new nodes go in
  // many rows a statement, and SQLite 3.32+ binds up to 32,766 parameters.
  supportsInsertReturning: true,
  maxParameters: 32_766,
}

/**
 * The embedded dialect: one SQLite file (WAL mode, foreign keys on, a busy timeout) that
 * several processes may write at once.
 *
 * @example
 * const store = await SqlStore.open(new SqliteDialect({ path: '.lore/lore.db' }))
 */
export class SqliteDialect implements Dialect {
  readonly name = 'sqlite'
  readonly adapter = sqliteAdapter
  readonly #options: Required<Omit<SqliteDialectOptions, 'readWorkers'>> &
    Pick<SqliteDialectOptions, 'readWorkers'>

  constructor(options: SqliteDialectOptions) {
    this.#options = Object.freeze({
      busyTimeoutMs: 10_000,
      maxRetries: 20,
      ...options,
    })
  }

  async createDriver(): Promise<Driver> {
    const { path, busyTimeoutMs } = this.#options
    let database: SqliteDatabase | undefined
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
      database = new Database(path, {
        timeout: busyTimeoutMs,
      }) as unknown as SqliteDatabase
      // Switching to WAL rewrites the file header: a database from a newer Lore, which the
      // migration step refuses, must be left exactly as it was.
      if (
        path !== ':memory:' &&
        schemaVersionOf(database) <= latestSchemaVersion
      ) {
        database.pragma('journal_mode = WAL')
      }
      database.pragma('synchronous = NORMAL')
      database.pragma('foreign_keys = ON')
    } catch (error) {
      database?.close()
      throw new LoreError(
        'UNAVAILABLE',
        `cannot open SQLite database ${path}: ${(error as Error).message}; check that the path names a Lore database file in a folder you can write`,
        { cause: error, details: { path } },
      )
    }
    const { readWorkers } = this.#options
    const readPool =
      path === ':memory:' || readWorkers === 0
        ? undefined
        : new SqliteReadPool({
            path,
            busyTimeoutMs,
            ...(readWorkers === undefined ? {} : { size: readWorkers }),
          })
    return new SqliteDriver(database, path, this.#options.maxRetries, readPool)
  }
}

function schemaVersionOf(database: SqliteDatabase): number {
  try {
    const [row] = database.prepare('SELECT version FROM lore_schema').all() as {
      version: number
    }[]
    return Number(row?.version ?? 0)
  } catch {
    return 0 // a new database: no lore_schema table yet
  }
}

/**
 * One queue per database file for the whole process. better-sqlite3 waits for a lock
 * synchronously, so two stores on one file in one process must never hold a transaction
 * open across an `await` at the same time: the waiting one would block the event loop
 * that the holding one needs to commit.
 */
const fileQueues = new Map<string, { queue: SerialQueue; users: number }>()

function acquireQueue(path: string): SerialQueue {
  if (path === ':memory:') return new SerialQueue()
  const key = resolve(path)
  const entry = fileQueues.get(key) ?? { queue: new SerialQueue(), users: 0 }
  entry.users++
  fileQueues.set(key, entry)
  return entry.queue
}

function releaseQueue(path: string): void {
  const key = resolve(path)
  const entry = fileQueues.get(key)
  if (entry !== undefined && --entry.users === 0) fileQueues.delete(key)
}

/** Prepared statements kept per connection; ad-hoc SQL beyond this evicts the oldest. */
const maxCachedStatements = 500

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  )
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
}

// better-sqlite3 binds numbers, strings, bigints, buffers and null only.
function bindable(params: readonly unknown[]): unknown[] {
  const values: unknown[] = new Array(params.length)
  for (let index = 0; index < params.length; index++) {
    const value = params[index]
    values[index] =
      value === undefined
        ? null
        : typeof value === 'boolean'
          ? Number(value)
          : value
  }
  return values
}

/**
 * A statement with every list of placeholders (`?, ?, ?`) written as one `?`: statements that
 * differ only in how many values a list binds read or write alike.
 */
function statementShape(sql: string): string {
  return sql.replace(/\?(?:\s*,\s*\?)+/g, '?')
}

class SqliteDriver implements Driver {
  readonly #database: SqliteDatabase
  readonly #statements = new Map<string, SqliteStatement>()
  readonly #queue: SerialQueue
  readonly #path: string
  readonly #maxRetries: number
  readonly #readPool: SqliteReadPool | undefined
  /** Whether a statement only reads, by its {@link statementShape}. */
  readonly #reads = new Map<string, boolean>()
  #closed = false

  constructor(
    database: SqliteDatabase,
    path: string,
    maxRetries: number,
    readPool: SqliteReadPool | undefined,
  ) {
    this.#database = database
    this.#path = path
    this.#queue = acquireQueue(path)
    this.#maxRetries = maxRetries
    this.#readPool = readPool
  }

  /**
   * Whether `sql` only reads, so a read worker may run it. Asked of SQLite by preparing the
   * statement once per shape: a read of 5,000 ids by `IN (?, …)` is a new statement for every
   * count, and preparing each one on the main thread as well as on a worker took 6 ms of a
   * lineage read.
   */
  #isRead(sql: string): boolean {
    const shape = statementShape(sql)
    let isRead = this.#reads.get(shape)
    if (isRead === undefined) {
      const statement = this.#prepare(sql)
      isRead = statement.reader && statement.readonly
      if (this.#reads.size >= maxCachedStatements) {
        const oldest = this.#reads.keys().next().value
        if (oldest !== undefined) this.#reads.delete(oldest)
      }
      this.#reads.set(shape, isRead)
    } else if (this.#closed) {
      this.#prepare(sql) // throws the closed store's error
    }
    return isRead
  }

  #prepare(sql: string): SqliteStatement {
    if (this.#closed)
      throw new LoreError(
        'FAILED_PRECONDITION',
        'the store is closed; open it again with openStore()',
      )
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#database.prepare(sql)
      if (this.#statements.size >= maxCachedStatements) {
        const oldest = this.#statements.keys().next().value
        if (oldest !== undefined) this.#statements.delete(oldest)
      }
      this.#statements.set(sql, statement)
    }
    return statement
  }

  // One array argument rather than a spread: better-sqlite3 binds an array's items as the
  // anonymous parameters, and a batch's statements carry thousands of them.
  readonly #connection: Connection = {
    query: async <T extends object>(
      sql: string,
      params: readonly unknown[] = [],
    ) => this.#prepare(sql).all(bindable(params)) as T[],
    execute: async (sql: string, params: readonly unknown[] = []) => ({
      changes: this.#prepare(sql).run(bindable(params)).changes,
    }),
    insert: async (sql: string, params: readonly unknown[] = []) =>
      Number(this.#prepare(sql).run(bindable(params)).lastInsertRowid),
  }

  query<T extends object = Row>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    // A read outside a transaction needs neither the write queue nor the main thread: on a
    // worker, a slow one leaves the event loop free (see SqliteReadPool).
    if (this.#readPool !== undefined) {
      let isRead: boolean
      try {
        isRead = this.#isRead(sql)
      } catch (error) {
        return Promise.reject(error)
      }
      if (isRead) return this.#readPool.query<T>(sql, bindable(params ?? []))
    }
    return this.#queue.run(() => this.#connection.query<T>(sql, params))
  }

  execute(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ changes: number }> {
    return this.#queue.run(() => this.#connection.execute(sql, params))
  }

  insert(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.#queue.run(() => this.#connection.insert(sql, params))
  }

  connection<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.#queue.run(() => work(this.#connection))
  }

  transaction<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades
          // from read to write can fail with SQLITE_BUSY without waiting for the timeout.
          this.#prepare('BEGIN IMMEDIATE').run()
          const result = await work(this.#connection)
          this.#prepare('COMMIT').run()
          return result
        } catch (error) {
          if (this.#database.inTransaction) this.#database.exec('ROLLBACK')
          if (isUniqueViolation(error)) {
            // The store checks its keys before it writes; this is the index's last word.
            throw new LoreError(
              'ALREADY_EXISTS',
              `a unique key is taken in ${this.#path}: ${(error as Error).message}`,
              { cause: error },
            )
          }
          if (!isBusy(error) || attempt >= this.#maxRetries) throw error
          await sleep(Math.min(1000, 5 * 2 ** attempt) * (0.5 + Math.random()))
        }
      }
    })
  }

  async close(): Promise<void> {
    await this.#readPool?.close()
    await this.#queue.run(async () => {
      if (this.#closed) return
      this.#closed = true
      this.#statements.clear()
      this.#database.close()
      releaseQueue(this.#path)
    })
  }
}
