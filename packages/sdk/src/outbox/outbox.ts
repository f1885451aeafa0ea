// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { v7 as uuidv7 } from 'uuid'
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { LoreError } from '@lore/store'
import type { OutboxEntry } from './outbox-entry.js'

/** The slice of better-sqlite3 used here. */
interface OutboxStatement {
  get(...params: unknown[]): unknown
  run(...params: unknown[]): { changes: number }
}
interface OutboxDatabase {
  prepare(sql: string): OutboxStatement
  pragma(source: string): unknown
  exec(sql: string): void
  transaction<T>(fn: () => T): { immediate(): T }
  close(): void
}
type OpenDatabase = new (
  path: string,
  options: { timeout: number },
) => OutboxDatabase

const openDatabase = createRequire(import.meta.url)(
  'better-sqlite3',
) as OpenDatabase

const schema = `
CREATE TABLE IF NOT EXISTS lore_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  store TEXT NOT NULL,
  entry TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lore_outbox_store ON lore_outbox (store, seq);
CREATE TABLE IF NOT EXISTS lore_outbox_lease (
  store TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires INTEGER NOT NULL
);
`

interface LeaseRow {
  owner: string
  host: string
  pid: number
  expires: number
}

/**
 * The key an outbox files a store's entries under: its url with the default port, a
 * trailing slash and the letter case of the host taken out, so `http://Lore:80/` and
 * `http://lore` are one store. A url that does not parse is its own key.
 *
 * @example
 * outboxKey('http://127.0.0.1:80/') // 'http://127.0.0.1'
 */
export function outboxKey(store: string): string {
  try {
    const url = new URL(store)
    const path = url.pathname.replace(/\/+$/, '')
    return `${url.protocol}//${url.host}${path}`
  } catch {
    return store
  }
}

/** What {@link Outbox.drain} did. */
export interface DrainResult {
  /** Entries sent and removed. */
  sent: number
  /** True when another drainer (in this or another process) holds the store's entries. */
  busy: boolean
}

function processIsGone(lease: LeaseRow): boolean {
  if (lease.host !== hostname()) return false
  try {
    process.kill(lease.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * A SQLite file of writes a store server could not take yet, per store url, in the order they
 * were made. Any process may append; one at a time sends a store's entries, oldest first,
 * holding a lease (taken in a transaction, renewed per entry, taken over when it expires or
 * its process is gone), so entries are never sent out of order or by two processes at once.
 * An entry is removed only after the store took it; one sent twice (its sender died in
 * between) is harmless, since entries name their nodes by external id.
 *
 * @example
 * const outbox = new Outbox('.lore/outbox.db')
 * outbox.append('http://127.0.0.1:4700', entry)
 * await outbox.drain('http://127.0.0.1:4700', (entry) => sendOutboxEntry(store, entry))
 */
export class Outbox {
  readonly path: string
  readonly #leaseMs: number
  readonly #owner = uuidv7()
  #database: OutboxDatabase | undefined
  #closed = false

  /** `leaseMs`: how long a drainer that stopped renewing keeps others out. */
  constructor(path: string, options: { leaseMs?: number } = {}) {
    this.path = path
    this.#leaseMs = options.leaseMs ?? 60_000
  }

  #open(): OutboxDatabase {
    if (this.#closed)
      throw new LoreError(
        'FAILED_PRECONDITION',
        `the outbox ${this.path} is closed; make a new Outbox to use it again`,
      )
    if (this.#database !== undefined) return this.#database
    mkdirSync(dirname(this.path), { recursive: true })
    const database = new openDatabase(this.path, { timeout: 30_000 })
    try {
      // Kept writes may hold parameters and tokens' effects: only the owner reads them.
      for (const file of [this.path, `${this.path}-wal`, `${this.path}-shm`])
        if (existsSync(file)) chmodSync(file, 0o600)
      database.pragma('journal_mode = WAL')
      database.exec(schema)
    } catch (error) {
      database.close()
      throw error
    }
    this.#database = database
    return database
  }

  /** Keep `entry` for `store`, after every entry kept before it. */
  append(store: string, entry: OutboxEntry): void {
    store = outboxKey(store)
    this.#open()
      .prepare(
        'INSERT INTO lore_outbox (store, entry, create_time) VALUES (?, ?, ?)',
      )
      .run(store, JSON.stringify(entry), Date.now())
  }

  /** How many entries wait for `store`. Creates no file. */
  pending(store: string): number {
    store = outboxKey(store)
    if (this.#database === undefined && !existsSync(this.path)) return 0
    const row = this.#open()
      .prepare('SELECT count(*) AS count FROM lore_outbox WHERE store = ?')
      .get(store) as { count: number }
    return row.count
  }

  #takeLease(store: string): boolean {
    const database = this.#open()
    return database
      .transaction(() => {
        const now = Date.now()
        const lease = database
          .prepare(
            'SELECT owner, host, pid, expires FROM lore_outbox_lease WHERE store = ?',
          )
          .get(store) as LeaseRow | undefined
        if (
          lease !== undefined &&
          lease.owner !== this.#owner &&
          lease.expires > now &&
          !processIsGone(lease)
        )
          return false
        database
          .prepare(
            'INSERT INTO lore_outbox_lease (store, owner, host, pid, expires) VALUES (?, ?, ?, ?, ?) ON CONFLICT (store) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, expires = excluded.expires',
          )
          .run(store, this.#owner, hostname(), process.pid, now + this.#leaseMs)
        return true
      })
      .immediate()
  }

  #releaseLease(store: string): void {
    this.#database
      ?.prepare('DELETE FROM lore_outbox_lease WHERE store = ? AND owner = ?')
      .run(store, this.#owner)
  }

  /**
   * Send `store`'s entries with `send`, oldest first, removing each once sent, until none is
   * left. Resolves with `busy: true` (sending nothing) while another drainer holds them; rejects
   * with `send`'s error, keeping that entry and those after it.
   */
  async drain(
    store: string,
    send: (entry: OutboxEntry) => Promise<unknown>,
  ): Promise<DrainResult> {
    store = outboxKey(store)
    if (this.pending(store) === 0) return { sent: 0, busy: false }
    if (!this.#takeLease(store)) return { sent: 0, busy: true }
    let sent = 0
    try {
      for (;;) {
        const database = this.#open()
        const row = database
          .prepare(
            'SELECT seq, entry FROM lore_outbox WHERE store = ? ORDER BY seq LIMIT 1',
          )
          .get(store) as { seq: number; entry: string } | undefined
        if (row === undefined) return { sent, busy: false }
        await send(JSON.parse(row.entry) as OutboxEntry)
        database.prepare('DELETE FROM lore_outbox WHERE seq = ?').run(row.seq)
        sent++
        // Renew: a drainer still sending keeps the store's entries.
        if (!this.#takeLease(store)) return { sent, busy: true }
      }
    } finally {
      this.#releaseLease(store)
    }
  }

  /** Close the file. Calling it twice is harmless. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#database?.close()
    this.#database = undefined
  }
}
