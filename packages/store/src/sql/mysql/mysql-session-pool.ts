import { LoreError } from '../../lore-error.js'
import type { Connection, Row } from '../dialect.js'
import type { PooledSession, SessionPool } from '../pooled-driver.js'
import { statementTimeoutSetting } from './statement-timeout-setting.js'

/** The slice of `mysql2/promise` Lore uses, typed here so the rest of the code does not depend on it. */
interface MysqlQueryable {
  query(sql: string, values: unknown[]): Promise<[unknown, unknown]>
}
interface MysqlPoolConnection extends MysqlQueryable {
  release(): void
  destroy(): void
}
/**
 * The callback-style connection a pool's 'connection' event hands over. mysql2's typings say a
 * promise connection, but the promise pool passes on its core pool's event unchanged.
 */
interface MysqlCoreConnection {
  query(
    sql: string,
    callback: (error: Error | null, rows?: unknown) => void,
  ): unknown
  destroy(): void
}
interface MysqlPool extends MysqlQueryable {
  getConnection(): Promise<MysqlPoolConnection>
  end(): Promise<void>
  on(
    event: 'connection',
    listener: (connection: MysqlCoreConnection) => void,
  ): unknown
}
/** What `createPool()` is given. */
export interface MysqlPoolConfig {
  uri: string
  connectionLimit: number
  connectTimeout: number
  charset: string
  supportBigNumbers: boolean
  decimalNumbers: boolean
  multipleStatements: false
}
/** Lore's own settings of {@link MysqlSessionPool}, beside mysql2's. */
export interface MysqlSessionOptions {
  /** Cancel a statement after this long; 0 is never. */
  statementTimeoutMs: number
}
/** The `mysql2/promise` module. */
export interface MysqlModule {
  createPool(config: MysqlPoolConfig): MysqlPool
}

// Values are escaped by mysql2 on the client (see below), and its escaping assumes backslash
// escapes: NO_BACKSLASH_ESCAPES must be off, whatever the server's default mode. Strict mode
// makes a too-long value an error instead of a silently cut one.
const sqlMode =
  "sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'"

// A deadlock, a lock wait timeout, a row changed since read (MariaDB's snapshot isolation).
// A unique key another transaction took between our check and our insert is 1062.
const lockErrors = new Set([1213, 1205, 1020])
// A value the column cannot hold: bad UTF-8, out of range, not a number, too deep a JSON.
const refusedValueErrors = new Set([1366, 1264, 1292, 1690, 1367, 3140, 1300])
// MariaDB's ER_STATEMENT_TIMEOUT, MySQL's ER_QUERY_TIMEOUT.
const timeoutErrors = new Set([1969, 3024])
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
])
const refusedCodes = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
])

function translate(error: unknown, location: string): unknown {
  const { code, errno, fatal, message } = (error ?? {}) as {
    code?: unknown
    errno?: unknown
    fatal?: unknown
    message?: string
  }
  if ((typeof code === 'string' && unavailableCodes.has(code)) || fatal) {
    return new LoreError(
      'UNAVAILABLE',
      `cannot reach MySQL at ${location} (${message}); check that the server is up and the url is right`,
      { cause: error, details: { code } },
    )
  }
  if (typeof code === 'string' && refusedCodes.has(code)) {
    return new LoreError(
      'UNAVAILABLE',
      `MySQL at ${location} refused the connection: ${message}; check the user, password and database in the url (create a missing database with CREATE DATABASE)`,
      { cause: error, details: { code } },
    )
  }
  if (errno === 1406) {
    return new LoreError(
      'INVALID_ARGUMENT',
      `a value is too long for ${location}: ${message}; names, uris, external ids and other indexed strings hold at most 255 characters on MySQL`,
      { cause: error, details: { code } },
    )
  }
  if (typeof errno === 'number' && refusedValueErrors.has(errno)) {
    return new LoreError(
      'INVALID_ARGUMENT',
      `MySQL at ${location} refused a value: ${message}; check the request's strings (well-formed UTF-8) and numbers (integers within 2^53)`,
      { cause: error, details: { code } },
    )
  }
  if (typeof errno === 'number' && timeoutErrors.has(errno)) {
    // The request asked for more work than one statement may do: a client error, so that
    // retries (which would cost as much again) do not follow.
    return new LoreError(
      'INVALID_ARGUMENT',
      `a query on MySQL at ${location} ran past the statement timeout and was cancelled (${message}); narrow the filter or ask for a smaller page (the store's statementTimeoutMs sets the limit)`,
      { cause: error, details: { code, reason: 'statement_timeout' } },
    )
  }
  return error
}

function connectionOver(target: MysqlQueryable, location: string): Connection {
  // query() lets mysql2 format the values into the statement on the client. Server-side
  // prepared statements would be one per SQL text per connection, and IN lists of every
  // length would exhaust the server's max_prepared_stmt_count.
  const run = async (sql: string, params: readonly unknown[] = []) => {
    try {
      const [result] = await target.query(sql, [...params])
      return result
    } catch (error) {
      throw translate(error, location)
    }
  }
  return {
    query: async <T extends object = Row>(
      sql: string,
      params?: readonly unknown[],
    ) => (await run(sql, params)) as T[],
    execute: async (sql, params) => ({
      changes: ((await run(sql, params)) as { affectedRows: number })
        .affectedRows,
    }),
    insert: async (sql, params) =>
      Number(((await run(sql, params)) as { insertId: number }).insertId),
  }
}

/**
 * A `mysql2` pool as {@link PooledDriver} uses it: each session in a known SQL mode, driver
 * errors turned into LoreErrors where Lore knows what they mean.
 *
 * @example
 * const pool = new MysqlSessionPool(mysql, config, 'mysql://root@127.0.0.1:3306/lore')
 * const rows = await pool.any.query('SELECT id FROM artifact WHERE uri = ?', [uri])
 */
export class MysqlSessionPool implements SessionPool {
  readonly #pool: MysqlPool
  readonly #location: string
  readonly any: Connection

  constructor(
    mysql: MysqlModule,
    config: MysqlPoolConfig,
    location: string,
    options: MysqlSessionOptions,
  ) {
    this.#pool = mysql.createPool(config)
    // mysql2 runs a connection's commands in order, so these run before any of Lore's.
    this.#pool.on('connection', (connection) => {
      connection.query('SELECT VERSION() AS version', (error, rows) => {
        if (error) return connection.destroy()
        const [row] = rows as { version: string }[]
        const timeout = statementTimeoutSetting(
          row?.version ?? '',
          options.statementTimeoutMs,
        )
        connection.query(`SET SESSION ${sqlMode}, ${timeout}`, (setError) => {
          if (setError) connection.destroy()
        })
      })
    })
    this.#location = location
    this.any = connectionOver(this.#pool, location)
  }

  async acquire(): Promise<PooledSession> {
    let connection: MysqlPoolConnection
    try {
      connection = await this.#pool.getConnection()
    } catch (error) {
      throw translate(error, this.#location)
    }
    return {
      ...connectionOver(connection, this.#location),
      release: (broken) =>
        broken ? connection.destroy() : connection.release(),
    }
  }

  lostRace(error: unknown): 'lock' | 'duplicate' | undefined {
    const errno = (error as { errno?: unknown } | null)?.errno
    return errno === 1062
      ? 'duplicate'
      : typeof errno === 'number' && lockErrors.has(errno)
        ? 'lock'
        : undefined
  }

  end(): Promise<void> {
    return this.#pool.end()
  }
}
