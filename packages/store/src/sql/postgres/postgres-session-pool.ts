import { LoreError } from '../../lore-error.js'
import type { Connection, Row } from '../dialect.js'
import type { PooledSession, SessionPool } from '../pooled-driver.js'
import { numberedPlaceholders } from './numbered-placeholders.js'

/** The slice of `pg` Lore uses, typed here so the rest of the code does not depend on it. */
interface PgResult {
  rows: Row[]
  rowCount: number | null
}
interface PgQueryable {
  query(config: {
    text: string
    values: unknown[]
    name?: string
  }): Promise<PgResult>
}
interface PgPoolClient extends PgQueryable {
  release(destroy: boolean): void
  on(event: 'error', listener: (error: Error) => void): unknown
  removeListener(event: 'error', listener: (error: Error) => void): unknown
}
interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
}
type TypeParser = (text: string) => unknown
/** What `new Pool()` is given. */
export interface PgPoolConfig {
  connectionString: string
  max: number
  connectionTimeoutMillis: number
  application_name: string
  /** Milliseconds; 0 is none. */
  statement_timeout: number
  options?: string
  types?: { getTypeParser(oid: number, format?: string): TypeParser }
}
/** The `pg` module: its pool and its type parsers. */
export interface PgModule {
  Pool: new (config: PgPoolConfig) => PgPool
  types: { getTypeParser(oid: number, format?: string): TypeParser }
}

const int8Oid = 20

// BIGINT comes back as text from pg, to keep precision. Lore's ids, times and counts fit in
// a double, so they become numbers; a value that does not fit stays text rather than lose digits.
function parseInt8(text: string): unknown {
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : text
}

// SQLSTATEs of a transaction that lost a lock race: serialization failure, deadlock. A
// unique key another transaction took between our check and our insert is 23505.
const lockStates = new Set(['40001', '40P01'])
// Class 08 is a connection exception; 57P01-57P03 are a server shutting down or starting.
const unavailableStates = /^(08|57P0[123]|53300)/
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
])

function translate(error: unknown, location: string): unknown {
  const code = (error as { code?: unknown } | null)?.code
  const message = (error as Error | null)?.message ?? String(error)
  if (typeof code !== 'string') {
    // pg reports a dropped connection and a connect timeout without a code.
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
      ? new LoreError(
          'UNAVAILABLE',
          `lost the connection to PostgreSQL at ${location} (${message}); check that the server is up and try again`,
          { cause: error },
        )
      : error
  }
  if (networkCodes.has(code) || unavailableStates.test(code)) {
    return new LoreError(
      'UNAVAILABLE',
      `cannot reach PostgreSQL at ${location} (${message}); check that the server is up and the url is right`,
      { cause: error, details: { code } },
    )
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new LoreError(
      'UNAVAILABLE',
      `PostgreSQL at ${location} refused the connection: ${message}; check the user, password and database in the url (create a missing database with CREATE DATABASE)`,
      { cause: error, details: { code } },
    )
  }
  if (code === '22001' || code === '54000') {
    return new LoreError(
      'INVALID_ARGUMENT',
      `a value is too long for ${location}: ${message}; names, uris, external ids and other indexed strings hold at most 1024 characters on PostgreSQL`,
      { cause: error, details: { code } },
    )
  }
  if (code.startsWith('22') || code === '54001') {
    // Class 22 is a data exception (a NUL byte, a number out of a column's range, text where
    // a number belongs); 54001 a statement too deep. The boundary's schemas refuse such values
    // first; this keeps a value they miss a client error, not a server failure.
    return new LoreError(
      'INVALID_ARGUMENT',
      `PostgreSQL at ${location} refused a value: ${message}; check the request's strings (no NUL characters) and numbers (integers within 2^53)`,
      { cause: error, details: { code } },
    )
  }
  if (code === '57014') {
    // The request asked for more work than one statement may do: a client error, so that
    // retries (which would cost as much again) do not follow.
    return new LoreError(
      'INVALID_ARGUMENT',
      `a query on PostgreSQL at ${location} ran past the statement timeout and was cancelled (${message}); narrow the filter or ask for a smaller page (the store's statementTimeoutMs sets the limit)`,
      { cause: error, details: { code, reason: 'statement_timeout' } },
    )
  }
  return error
}

// pg sends booleans as 'true'/'false', which a BIGINT column refuses; Lore stores them as 0/1.
function bindable(params: readonly unknown[]): unknown[] {
  return params.map((value) =>
    value === undefined
      ? null
      : typeof value === 'boolean'
        ? Number(value)
        : value,
  )
}

// Named statements are parsed and planned once per connection instead of on every run: a
// step record's few INSERT shapes then cost half as much. Left unnamed: statements without
// parameters (DDL, BEGIN), long ones (IN lists of every length would pile up on the server),
// and those with `*`, whose prepared result shape would break when a migration adds a column.
const statementNames = new Map<string, string>()
const maxNamedStatements = 500

function statementName(
  text: string,
  parameterCount: number,
): string | undefined {
  const known = statementNames.get(text)
  if (known !== undefined) return known
  if (
    parameterCount === 0 ||
    text.length > 1000 ||
    text.includes('*') ||
    statementNames.size >= maxNamedStatements
  )
    return undefined
  const name = `lore_${statementNames.size + 1}`
  statementNames.set(text, name)
  return name
}

function connectionOver(target: PgQueryable, location: string): Connection {
  const run = async (sql: string, params: readonly unknown[] = []) => {
    try {
      const text = numberedPlaceholders(sql)
      const name = statementName(text, params.length)
      return await target.query(
        name === undefined
          ? { text, values: bindable(params) }
          : { text, values: bindable(params), name },
      )
    } catch (error) {
      throw translate(error, location)
    }
  }
  return {
    query: async <T extends object = Row>(
      sql: string,
      params?: readonly unknown[],
    ) => (await run(sql, params)).rows as T[],
    execute: async (sql, params) => ({
      changes: (await run(sql, params)).rowCount ?? 0,
    }),
    insert: async (sql, params) => {
      const [row] = (await run(`${sql} RETURNING id`, params)).rows
      return Number(row?.id)
    },
  }
}

/**
 * A `pg` pool as {@link PooledDriver} uses it: `?` placeholders, numbers for BIGINT, driver
 * errors turned into LoreErrors where Lore knows what they mean.
 *
 * @example
 * const pool = new PostgresSessionPool(pg, config, 'postgres://lore@db/lore')
 * const rows = await pool.any.query('SELECT id FROM artifact WHERE uri = ?', [uri])
 */
export class PostgresSessionPool implements SessionPool {
  readonly #pool: PgPool
  readonly #location: string
  readonly any: Connection

  constructor(pg: PgModule, config: PgPoolConfig, location: string) {
    this.#pool = new pg.Pool({
      ...config,
      types: {
        getTypeParser: (oid, format) =>
          oid === int8Oid && format !== 'binary'
            ? parseInt8
            : pg.types.getTypeParser(oid, format),
      },
    })
    // An idle connection that the server drops is removed from the pool; without a listener
    // the 'error' event would end the process.
    this.#pool.on('error', () => {})
    this.#location = location
    this.any = connectionOver(this.#pool, location)
  }

  async acquire(): Promise<PooledSession> {
    let client: PgPoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw translate(error, this.#location)
    }
    // A connection that breaks while checked out fails the query that was running; the
    // 'error' event that follows must not end the process.
    const ignore = () => {}
    client.on('error', ignore)
    return {
      ...connectionOver(client, this.#location),
      release: (broken) => {
        client.removeListener('error', ignore)
        client.release(broken)
      },
    }
  }

  lostRace(error: unknown): 'lock' | 'duplicate' | undefined {
    const code = (error as { code?: unknown } | null)?.code
    return code === '23505'
      ? 'duplicate'
      : typeof code === 'string' && lockStates.has(code)
        ? 'lock'
        : undefined
  }

  end(): Promise<void> {
    return this.#pool.end()
  }
}
