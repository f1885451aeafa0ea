// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from '../capture/time-ordered-id.js'
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { LoreError, maskUrlPassword } from '@lore/store'
import { messageOf } from '../capture/text-of.js'
import { redactText } from '../capture/redact-text.js'
import type { OutboxEntry } from './outbox-entry.js'

/** The slice of better-sqlite3 used here. */
interface OutboxStatement {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
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
CREATE TABLE IF NOT EXISTS lore_outbox_dead (
  seq INTEGER PRIMARY KEY,
  store TEXT NOT NULL,
  entry TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  dead_time INTEGER NOT NULL
);
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
  // A file store's url is its key; a database's password is never written to the outbox.
  if (!/^https?:/i.test(store)) return maskUrlPassword(store)
  try {
    const url = new URL(store)
    const path = url.pathname.replace(/\/+$/, '')
    return `${url.protocol}//${url.host}${path}`
  } catch {
    return maskUrlPassword(store)
  }
}

/**
 * What an outbox keeps: a recorder's write for a store ({@link OutboxEntry}), or another
 * kind filed under its own key (an OpenLineage event under its receiver's url).
 */
export interface KeptEntry {
  /** Shown by `lore outbox list`. */
  operation: string
}

/** What {@link Outbox.drain} did. */
export interface DrainResult {
  /** Entries sent and removed. */
  sent: number
  /** True when another drainer (in this or another process) holds the store's entries. */
  busy: boolean
  /** Entries the store refused as invalid, moved to the dead-letter table. */
  deadLettered?: number
}

/** Options of {@link Outbox.drain}. */
export interface DrainOptions {
  /**
   * True for an error that says the entry itself is wrong and will never be taken (a 400):
   * the entry moves to the dead-letter table and the next one is sent. Any other error
   * keeps the entry (and those after it) where it is, with the error as its reason.
   * @default every error keeps the entry
   */
  isInvalid?: (error: unknown) => boolean
  /** Told about each entry moved to the dead-letter table. */
  onDeadLetter?: (entry: OutboxRecord, error: unknown) => void
}

/** One entry of the outbox, as `lore outbox list` shows it. */
export interface OutboxRecord {
  /** Unique in the file across waiting and dead-letter entries. */
  id: number
  /** The normalised store url the entry is for. */
  store: string
  /** The recorder's write (`putExecutionBatch`, `runStart`…). */
  operation: string
  /** When it was first kept (ms since the epoch). */
  createTime: number
  /** Times a send was tried and refused or failed. */
  attempts: number
  /** `waiting` to be sent, or `dead` (refused as invalid; sent only after `retry`). */
  state: 'waiting' | 'dead'
  /** The store's code of the last refusal (`UNAVAILABLE`, `INVALID_ARGUMENT`…), if any. */
  code?: string
  /** The last refusal's message, if any. */
  reason?: string
  /** When it was last tried (waiting) or moved to the dead-letter table (dead). */
  lastTime?: number
}

interface EntryRow {
  seq: number
  store: string
  entry: string
  create_time: number
  attempts: number
  code: string | null
  reason: string | null
  last_time: number | null
}

function operationOf(entry: string): string {
  try {
    const parsed = JSON.parse(entry) as { operation?: unknown }
    return typeof parsed.operation === 'string' ? parsed.operation : '(unknown)'
  } catch {
    return '(unreadable)'
  }
}

function recordOf(row: EntryRow, state: 'waiting' | 'dead'): OutboxRecord {
  const record: OutboxRecord = {
    id: row.seq,
    store: row.store,
    operation: operationOf(row.entry),
    createTime: row.create_time,
    attempts: row.attempts,
    state,
  }
  if (row.code !== null) record.code = row.code
  if (row.reason !== null) record.reason = row.reason
  if (row.last_time !== null) record.lastTime = row.last_time
  return record
}

function codeOf(error: unknown): string {
  return LoreError.isInstance(error) ? error.code : 'ERROR'
}

function reasonOf(error: unknown): string {
  // What the outbox file keeps about a refusal, masked like every other line Lore writes.
  return redactText(messageOf(error)).slice(0, 2000)
}

/** A file made before entries kept their attempts gains the columns (SQLite's ADD COLUMN). */
function addRetryColumns(database: OutboxDatabase): void {
  const columns = new Set(
    (
      database
        .prepare('SELECT name FROM pragma_table_info(?)')
        .all('lore_outbox') as { name: string }[]
    ).map((column) => column.name),
  )
  const wanted: [string, string][] = [
    ['attempts', 'INTEGER NOT NULL DEFAULT 0'],
    ['code', 'TEXT'],
    ['reason', 'TEXT'],
    ['last_time', 'INTEGER'],
  ]
  for (const [name, definition] of wanted)
    if (!columns.has(name))
      database.exec(`ALTER TABLE lore_outbox ADD COLUMN ${name} ${definition}`)
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
  readonly #owner = timeOrderedId()
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
      addRetryColumns(database)
    } catch (error) {
      database.close()
      throw error
    }
    this.#database = database
    return database
  }

  /**
   * Keep `entry` for `store`, after every entry kept before it; `error`, when given, is why
   * the store could not take it (its first attempt).
   */
  append<E extends KeptEntry = OutboxEntry>(
    store: string,
    entry: E,
    error?: unknown,
  ): void {
    store = outboxKey(store)
    const tried = error !== undefined
    this.#open()
      .prepare(
        'INSERT INTO lore_outbox (store, entry, create_time, attempts, code, reason, last_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        store,
        JSON.stringify(entry),
        Date.now(),
        tried ? 1 : 0,
        tried ? codeOf(error) : null,
        tried ? reasonOf(error) : null,
        tried ? Date.now() : null,
      )
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
   * left. Resolves with `busy: true` (sending nothing) while another drainer holds them. An
   * entry `options.isInvalid` blames moves to the dead-letter table and the next is sent;
   * any other error is kept as the entry's reason and rejects the drain, keeping that entry
   * and those after it. Nothing is removed but what the store took or refused as invalid.
   */
  async drain<E extends KeptEntry = OutboxEntry>(
    store: string,
    send: (entry: E) => Promise<unknown>,
    options: DrainOptions = {},
  ): Promise<DrainResult> {
    store = outboxKey(store)
    if (this.pending(store) === 0) return { sent: 0, busy: false }
    if (!this.#takeLease(store)) return { sent: 0, busy: true }
    let sent = 0
    let deadLettered = 0
    const result = (busy: boolean): DrainResult =>
      deadLettered > 0 ? { sent, busy, deadLettered } : { sent, busy }
    try {
      for (;;) {
        const database = this.#open()
        const row = database
          .prepare(
            'SELECT seq, store, entry, create_time, attempts, code, reason, last_time FROM lore_outbox WHERE store = ? ORDER BY seq LIMIT 1',
          )
          .get(store) as EntryRow | undefined
        if (row === undefined) return result(false)
        let entry: E | undefined
        let failure: unknown
        try {
          entry = JSON.parse(row.entry) as E
        } catch (error) {
          failure = new LoreError(
            'INVALID_ARGUMENT',
            `outbox entry ${row.seq} is not readable JSON: ${messageOf(error)}`,
          )
        }
        if (entry !== undefined) {
          try {
            await send(entry)
          } catch (error) {
            failure = error
          }
        }
        if (failure === undefined) {
          database.prepare('DELETE FROM lore_outbox WHERE seq = ?').run(row.seq)
          sent++
        } else if (entry === undefined || options.isInvalid?.(failure)) {
          this.#bury(row, failure)
          deadLettered++
          options.onDeadLetter?.(
            recordOf(
              {
                ...row,
                attempts: row.attempts + 1,
                code: codeOf(failure),
                reason: reasonOf(failure),
                last_time: Date.now(),
              },
              'dead',
            ),
            failure,
          )
        } else {
          database
            .prepare(
              'UPDATE lore_outbox SET attempts = attempts + 1, code = ?, reason = ?, last_time = ? WHERE seq = ?',
            )
            .run(codeOf(failure), reasonOf(failure), Date.now(), row.seq)
          throw failure
        }
        // Renew: a drainer still sending keeps the store's entries.
        if (!this.#takeLease(store)) return result(true)
      }
    } finally {
      this.#releaseLease(store)
    }
  }

  /** Move an entry the store refused as invalid to the dead-letter table, in one transaction. */
  #bury(row: EntryRow, error: unknown): void {
    const database = this.#open()
    database
      .transaction(() => {
        database
          .prepare(
            'INSERT INTO lore_outbox_dead (seq, store, entry, create_time, attempts, code, reason, dead_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            row.seq,
            row.store,
            row.entry,
            row.create_time,
            row.attempts + 1,
            codeOf(error),
            reasonOf(error),
            Date.now(),
          )
        database.prepare('DELETE FROM lore_outbox WHERE seq = ?').run(row.seq)
      })
      .immediate()
  }

  /**
   * Every entry in the file, waiting ones first (in the order they will be sent), then the
   * dead-letter table; only `store`'s when given. Creates no file.
   */
  list(store?: string): OutboxRecord[] {
    if (this.#database === undefined && !existsSync(this.path)) return []
    const database = this.#open()
    const where = store === undefined ? '' : ' WHERE store = ?'
    const parameters = store === undefined ? [] : [outboxKey(store)]
    const waiting = database
      .prepare(
        `SELECT seq, store, entry, create_time, attempts, code, reason, last_time FROM lore_outbox${where} ORDER BY seq`,
      )
      .all(...parameters) as EntryRow[]
    const dead = database
      .prepare(
        `SELECT seq, store, entry, create_time, attempts, code, reason, dead_time AS last_time FROM lore_outbox_dead${where} ORDER BY seq`,
      )
      .all(...parameters) as EntryRow[]
    return [
      ...waiting.map((row) => recordOf(row, 'waiting')),
      ...dead.map((row) => recordOf(row, 'dead')),
    ]
  }

  /**
   * Move dead-letter entries back to be sent again, after the entries waiting now; `ids`
   * names them, or every dead entry (of `store`, when given) when left out. Returns the ids
   * moved (each gets a new id, shown by {@link list}).
   */
  retry(ids?: readonly number[], store?: string): number[] {
    if (this.#database === undefined && !existsSync(this.path)) return []
    const database = this.#open()
    return database
      .transaction(() => {
        const rows = this.#deadRows(ids, store)
        for (const row of rows) {
          database
            .prepare(
              'INSERT INTO lore_outbox (store, entry, create_time, attempts, code, reason, last_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              row.store,
              row.entry,
              row.create_time,
              row.attempts,
              row.code,
              row.reason,
              row.last_time,
            )
          database
            .prepare('DELETE FROM lore_outbox_dead WHERE seq = ?')
            .run(row.seq)
        }
        return rows.map((row) => row.seq)
      })
      .immediate()
  }

  /**
   * Delete entries for good: dead-letter entries, or waiting ones named by id (an entry a
   * store will never take holds back those after it). Without `ids`, every dead-letter
   * entry (of `store`, when given). Returns the ids deleted.
   */
  drop(ids?: readonly number[], store?: string): number[] {
    if (this.#database === undefined && !existsSync(this.path)) return []
    const database = this.#open()
    return database
      .transaction(() => {
        const dropped = this.#deadRows(ids, store).map((row) => row.seq)
        for (const id of dropped)
          database.prepare('DELETE FROM lore_outbox_dead WHERE seq = ?').run(id)
        for (const id of ids ?? []) {
          if (dropped.includes(id)) continue
          const where = store === undefined ? '' : ' AND store = ?'
          const changes = database
            .prepare(`DELETE FROM lore_outbox WHERE seq = ?${where}`)
            .run(id, ...(store === undefined ? [] : [outboxKey(store)])).changes
          if (changes > 0) dropped.push(id)
        }
        return dropped
      })
      .immediate()
  }

  #deadRows(ids: readonly number[] | undefined, store: string | undefined) {
    const database = this.#open()
    const where = store === undefined ? '' : ' AND store = ?'
    const parameters = store === undefined ? [] : [outboxKey(store)]
    const select = `SELECT seq, store, entry, create_time, attempts, code, reason, dead_time AS last_time FROM lore_outbox_dead`
    if (ids === undefined)
      return database
        .prepare(`${select} WHERE 1 = 1${where} ORDER BY seq`)
        .all(...parameters) as EntryRow[]
    return ids.flatMap(
      (id) =>
        (database
          .prepare(`${select} WHERE seq = ?${where}`)
          .get(id, ...parameters) as EntryRow | undefined) ?? [],
    )
  }

  /** Close the file. Calling it twice is harmless. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#database?.close()
    this.#database = undefined
  }
}
