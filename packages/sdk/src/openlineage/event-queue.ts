import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'

/** The slice of better-sqlite3 used here. */
interface QueueStatement {
  all(...params: unknown[]): unknown[]
  get(...params: unknown[]): unknown
  run(...params: unknown[]): { changes: number }
}
interface QueueDatabase {
  prepare(sql: string): QueueStatement
  pragma(source: string): unknown
  exec(sql: string): void
  transaction<A extends unknown[]>(
    fn: (...args: A) => void,
  ): (...args: A) => void
  close(): void
}
type OpenDatabase = new (
  path: string,
  options: { timeout: number },
) => QueueDatabase

const openDatabase = createRequire(import.meta.url)(
  'better-sqlite3',
) as OpenDatabase

/** One event waiting to be sent, in the order it was queued. */
export interface QueuedEvent {
  seq: number
  event: OpenLineageRunEvent
}

/** Where events wait that their transport could not take; see {@link SqliteEventQueue}. */
export interface EventQueue {
  /** Append events for `target`, all or none. */
  push(target: string, events: readonly OpenLineageRunEvent[]): void
  /** The oldest `limit` events for `target`, oldest first. */
  peek(target: string, limit: number): QueuedEvent[]
  /** Forget events once sent (or refused for good). */
  remove(seqs: readonly number[]): void
  /** How many events wait for `target`. */
  count(target: string): number
  close(): void
}

const schema = `
CREATE TABLE IF NOT EXISTS lore_openlineage_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  event TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lore_openlineage_queue_target
  ON lore_openlineage_queue (target, seq);
`

/**
 * A durable, ordered queue of OpenLineage events in an SQLite file (mode 0600: events carry
 * parameters), filed by target (the transport's description) so that events meant for one
 * receiver never go to another. Several processes may share the file (SQLite's locking, a
 * busy timeout); `AUTOINCREMENT` keeps the order of arrival across them.
 *
 * @example
 * const queue = new SqliteEventQueue('.lore/openlineage-queue.db')
 * queue.push('http http://marquez:5000/api/v1/lineage', events)
 */
export class SqliteEventQueue implements EventQueue {
  readonly path: string
  readonly #db: QueueDatabase
  #closed = false

  constructor(path: string) {
    this.path = path
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    // Made 0600 before SQLite writes anything into it; SQLite gives its -wal and -shm files
    // the database file's permissions.
    closeSync(openSync(path, 'a', 0o600))
    chmodSync(path, 0o600)
    this.#db = new openDatabase(path, { timeout: 5000 })
    this.#db.pragma('journal_mode = WAL')
    this.#db.exec(schema)
  }

  push(target: string, events: readonly OpenLineageRunEvent[]): void {
    if (events.length === 0) return
    const insert = this.#db.prepare(
      'INSERT INTO lore_openlineage_queue (target, event, create_time) VALUES (?, ?, ?)',
    )
    const now = Date.now()
    this.#db.transaction(() => {
      for (const event of events) insert.run(target, JSON.stringify(event), now)
    })()
  }

  peek(target: string, limit: number): QueuedEvent[] {
    const rows = this.#db
      .prepare(
        'SELECT seq, event FROM lore_openlineage_queue WHERE target = ? ORDER BY seq LIMIT ?',
      )
      .all(target, limit) as { seq: number; event: string }[]
    return rows.map((row) => ({
      seq: row.seq,
      event: JSON.parse(row.event) as OpenLineageRunEvent,
    }))
  }

  remove(seqs: readonly number[]): void {
    const remove = this.#db.prepare(
      'DELETE FROM lore_openlineage_queue WHERE seq = ?',
    )
    this.#db.transaction(() => {
      for (const seq of seqs) remove.run(seq)
    })()
  }

  count(target: string): number {
    const row = this.#db
      .prepare(
        'SELECT COUNT(*) AS count FROM lore_openlineage_queue WHERE target = ?',
      )
      .get(target) as { count: number }
    return row.count
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#db.close()
  }
}

/**
 * The queue of last resort when the SQLite file cannot be opened: in memory, bounded (the
 * oldest events go first when full), so that emission still never blocks or throws.
 */
export class MemoryEventQueue implements EventQueue {
  readonly #events: (QueuedEvent & { target: string })[] = []
  readonly #limit: number
  #seq = 0
  dropped = 0

  constructor(limit = 10_000) {
    this.#limit = limit
  }

  push(target: string, events: readonly OpenLineageRunEvent[]): void {
    for (const event of events)
      this.#events.push({ seq: ++this.#seq, target, event })
    while (this.#events.length > this.#limit) {
      this.#events.shift()
      this.dropped++
    }
  }

  peek(target: string, limit: number): QueuedEvent[] {
    return this.#events
      .filter((entry) => entry.target === target)
      .slice(0, limit)
      .map(({ seq, event }) => ({ seq, event }))
  }

  remove(seqs: readonly number[]): void {
    const gone = new Set(seqs)
    for (let index = this.#events.length - 1; index >= 0; index--)
      if (gone.has(this.#events[index]!.seq)) this.#events.splice(index, 1)
  }

  count(target: string): number {
    return this.#events.filter((entry) => entry.target === target).length
  }

  close(): void {}
}
