import { LoreError } from '../../lore-error.js'
import {
  defaultAdapter,
  type Connection,
  type Dialect,
  type DialectAdapter,
  type Driver,
} from '../dialect.js'
import { PooledDriver } from '../pooled-driver.js'
import { parseServerUrl } from '../server-url.js'
import { MysqlSessionPool, type MysqlModule } from './mysql-session-pool.js'
import { statementTimeoutSetting } from './statement-timeout-setting.js'

/** Options of {@link MysqlDialect}. */
export interface MysqlDialectOptions {
  /** `mysql://user:password@host:3306/database` (MariaDB too); the database must exist. */
  url: string
  /**
   * Connections the pool keeps open at most. A transaction holds one from BEGIN to COMMIT.
   * @default 10
   */
  maxConnections?: number
  /**
   * How often a transaction that lost a race (deadlock, lock wait timeout) is run again.
   * @default 20
   */
  maxRetries?: number
  /**
   * How long to wait for a connection to the server.
   * @default 10000
   */
  connectTimeoutMs?: number
  /**
   * How long a store that opens waits for another one's migration to finish.
   * @default 60
   */
  migrationLockTimeoutSeconds?: number
  /**
   * The longest one statement may run before the server cancels it (MariaDB's
   * `max_statement_time`, MySQL's `max_execution_time` for SELECTs); the request then fails
   * with INVALID_ARGUMENT. Bounds what one hostile or careless filter can cost the server.
   * Migrations run without it. 0 turns it off.
   * @default 30000
   */
  statementTimeoutMs?: number
}

// Binary collation compares code points, as SQLite does: case-sensitive equality, unique keys
// and LIKE, and the same order on every dialect.
const utf8Binary = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
// GET_LOCK names are server-wide; the database's hash keeps stores of two databases apart.
const lockName = "CONCAT('lore_migrate_', MD5(DATABASE()))"

// The migration's connection runs without the statement timeout: DDL on a large table, or a
// wait for another server's migration, may take longer than one request should.
async function setStatementTimeout(
  connection: Connection,
  milliseconds: number,
): Promise<void> {
  const [row] = await connection.query<{ version: string }>(
    'SELECT VERSION() AS version',
  )
  await connection.execute(
    `SET SESSION ${statementTimeoutSetting(row?.version ?? '', milliseconds)}`,
  )
}

function mysqlAdapter(
  lockTimeoutSeconds: number,
  statementTimeoutMs: number,
): DialectAdapter {
  return {
    ...defaultAdapter,
    idColumn: 'BIGINT AUTO_INCREMENT PRIMARY KEY',
    doubleColumn: 'DOUBLE',
    // InnoDB keys hold 3072 bytes, 768 utf8mb4 characters, for all columns of one index
    // together: 255 lets (kind, name, version) and (name, is_custom, string_value) fit, as
    // MLMD's MySQL schema does.
    keyColumn: `VARCHAR(255) ${utf8Binary}`,
    textColumn: `LONGTEXT ${utf8Binary}`,
    indexedText: (column, prefix = 255) => `${column}(${prefix})`,
    dropIndex: (index, table) => `DROP INDEX ${index} ON ${table}`,
    // Not INSERT IGNORE: it also turns a too-long value or a missing row into a warning.
    insertIgnore: (table, columns, rowCount) => {
      const row = `(${columns.map(() => '?').join(', ')})`
      const rows = Array.from({ length: rowCount }, () => row).join(', ')
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows} ON DUPLICATE KEY UPDATE ${columns[0]} = ${columns[0]}`
    },
    // MariaDB and MySQL 8 both run several recursive SELECTs in one CTE.
    supportsMultipleRecursiveTerms: true,
    // DDL commits on its own in MySQL, so a lock held by the session, not a transaction.
    supportsTransactionalDdl: false,
    supportsPartialIndexes: false,
    // mysql2 formats values into the text on the client (see MysqlSessionPool), so only
    // max_allowed_packet (16 MiB by default) bounds a statement: 10,000 values stay far below.
    maxParameters: 10_000,
    acquireMigrationLock: async (connection: Connection) => {
      await setStatementTimeout(connection, 0)
      const [row] = await connection.query<{ locked: unknown }>(
        `SELECT GET_LOCK(${lockName}, ?) AS locked`,
        [lockTimeoutSeconds],
      )
      if (Number(row?.locked) !== 1) {
        throw new LoreError(
          'UNAVAILABLE',
          `waited ${lockTimeoutSeconds} s for another process to finish migrating this MySQL database; try again, or look for a stuck Lore server`,
        )
      }
    },
    releaseMigrationLock: async (connection: Connection) => {
      await connection.query(`SELECT RELEASE_LOCK(${lockName})`)
      await setStatementTimeout(connection, statementTimeoutMs)
    },
  }
}

/** Whether a server of this `VERSION()` has `INSERT … RETURNING`: MariaDB from 10.5. */
export function returnsInsertedIds(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.\d+.*MariaDB/i.exec(version)
  if (match === null) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 10 || (major === 10 && minor >= 5)
}

/**
 * MySQL or MariaDB through a pool of `mysql2` connections: a dialect for a team store behind
 * `lore serve`. MySQL's DDL is not transactional, so migrations run under a named lock
 * (GET_LOCK) that servers starting together take in turn.
 *
 * Indexed strings (names, uris, external ids, property names) hold at most 255 characters
 * here; a longer one is refused with INVALID_ARGUMENT.
 *
 * @example
 * const store = await SqlStore.open(
 *   new MysqlDialect({ url: 'mysql://lore@db:3306/lore' }),
 *   { location: 'mysql://lore@db:3306/lore' },
 * )
 */
export class MysqlDialect implements Dialect {
  readonly name = 'mysql'
  #adapter: DialectAdapter
  readonly #options: Readonly<MysqlDialectOptions>

  constructor(options: MysqlDialectOptions) {
    this.#options = Object.freeze({ ...options })
    this.#adapter = mysqlAdapter(
      options.migrationLockTimeoutSeconds ?? 60,
      options.statementTimeoutMs ?? 30_000,
    )
  }

  /**
   * The adapter; once a driver is made it knows whether the server is MariaDB 10.5+, whose
   * multi-row `INSERT … RETURNING` inserts a batch's nodes in one statement (MySQL has none).
   */
  get adapter(): DialectAdapter {
    return this.#adapter
  }

  async createDriver(): Promise<Driver> {
    const server = parseServerUrl(this.#options.url, [])
    if (new URL(server.driverUrl).pathname.length <= 1) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `store url ${server.location} names no database; add it as mysql://user@host:3306/database`,
      )
    }
    // Loaded here, not at the top: SQLite users never pay for the MySQL driver.
    const mysql = (await import('mysql2/promise'))
      .default as unknown as MysqlModule
    const pool = new MysqlSessionPool(
      mysql,
      {
        // mysql2 reads the same url whatever its scheme; mariadb:// is ours.
        uri: server.driverUrl.replace(/^mariadb:/, 'mysql:'),
        connectionLimit: this.#options.maxConnections ?? 10,
        connectTimeout: this.#options.connectTimeoutMs ?? 10_000,
        charset: 'utf8mb4',
        supportBigNumbers: true,
        decimalNumbers: true,
        multipleStatements: false,
      },
      server.location,
      { statementTimeoutMs: this.#options.statementTimeoutMs ?? 30_000 },
    )
    try {
      const [row] = await pool.any.query<{ version: string }>(
        'SELECT VERSION() AS version',
      )
      this.#adapter = {
        ...this.#adapter,
        supportsInsertReturning: returnsInsertedIds(String(row?.version)),
      }
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PooledDriver(pool, {
      location: server.location,
      maxRetries: this.#options.maxRetries ?? 20,
    })
  }
}
