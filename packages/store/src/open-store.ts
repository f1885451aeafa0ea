import { resolve } from 'node:path'
import { LoreError } from './lore-error.js'
import type { MetadataStore } from './metadata-store.js'
import type { RemoteStoreOptions } from './remote/remote-store.js'
import { MysqlDialect } from './sql/mysql/mysql-dialect.js'
import { PostgresDialect } from './sql/postgres/postgres-dialect.js'
import { parseServerUrl, positiveIntegerParameter } from './sql/server-url.js'
import { SqliteDialect } from './sql/sqlite/sqlite-dialect.js'
import { SqlStore } from './sql/sql-store.js'

/** The store a bare `openStore()` opens: `LORE_STORE`, else `.lore/lore.db` here. */
export function defaultStoreUrl(
  environment: NodeJS.ProcessEnv = process.env,
): string {
  return environment.LORE_STORE || `sqlite:${resolve('.lore', 'lore.db')}`
}

/** Options of {@link openStore}; those beyond `token` apply to a store server only. */
export interface OpenStoreOptions extends RemoteStoreOptions {
  /**
   * The bearer token for a store server.
   * @default process.env.LORE_TOKEN
   */
  token?: string
}

/**
 * Open a metadata store by url.
 *
 * - `sqlite:./path/lore.db` — an embedded SQLite file (created with its folder on demand);
 * - `sqlite::memory:` — an in-memory database that ends with the store;
 * - `postgres://user:password@host:5432/database` (or `postgresql://`) — PostgreSQL; add
 *   `?schema=name` to keep Lore's tables in their own schema (created on first open);
 * - `mysql://user:password@host:3306/database` (or `mariadb://`) — MySQL or MariaDB; the
 *   database must exist;
 * - on both servers, `max_connections=n` sizes the connection pool (default 10);
 * - `http://host:4700` (or https) — a store server (`lore serve`), with `options.token` or
 *   `LORE_TOKEN`; nothing is sent until the first call;
 * - nothing — `LORE_STORE`, or else `.lore/lore.db` under the current directory.
 *
 * @example
 * const store = await openStore('sqlite:.lore/lore.db')
 * const page = await store.getArtifacts({ filter: "type = 'Model'" })
 * const shared = await openStore('http://127.0.0.1:4700', { token })
 */
export async function openStore(
  url: string = defaultStoreUrl(),
  options: OpenStoreOptions = {},
): Promise<MetadataStore> {
  const [scheme] = url.split(':', 1)
  if (scheme === 'http' || scheme === 'https') {
    const token = options.token ?? (process.env.LORE_TOKEN || undefined)
    const { token: _given, ...rest } = options
    // Loaded on demand: a pipeline on an embedded store never loads the HTTP client.
    const { RemoteStore } = await import('./remote/remote-store.js')
    return new RemoteStore(url, token === undefined ? rest : { ...rest, token })
  }
  if (scheme === 'sqlite') {
    const path = url.slice('sqlite:'.length)
    if (path === '') {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `store url '${url}' names no file; use sqlite:./path/lore.db or sqlite::memory:`,
      )
    }
    return SqlStore.open(new SqliteDialect({ path }), { location: url })
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const server = parseServerUrl(url, ['schema', 'max_connections'])
    const schema = server.parameters.get('schema')
    const maxConnections = positiveIntegerParameter(server, 'max_connections')
    const dialect = new PostgresDialect({
      url: server.driverUrl,
      ...(schema === undefined ? {} : { schema }),
      ...(maxConnections === undefined ? {} : { maxConnections }),
    })
    return SqlStore.open(dialect, { location: server.location })
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    const server = parseServerUrl(url, ['max_connections'])
    const maxConnections = positiveIntegerParameter(server, 'max_connections')
    const dialect = new MysqlDialect({
      url: server.driverUrl,
      ...(maxConnections === undefined ? {} : { maxConnections }),
    })
    return SqlStore.open(dialect, { location: server.location })
  }
  // The url is left out of the message: it may carry a password.
  throw new LoreError(
    'INVALID_ARGUMENT',
    `store url has an unknown scheme '${scheme}'; use sqlite:./path/lore.db, sqlite::memory:, postgres://user@host:5432/database, mysql://user@host:3306/database or http://host:4700`,
    { details: { scheme } },
  )
}
