import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { LoreError } from '../../lore-error.js'
import type { Row } from '../dialect.js'

/**
 * The worker's code, run with `eval`: it needs no file of its own next to the sources, so it
 * runs the same from `src` (tsx, vitest) and from a build. It opens the database read-only
 * and answers `{ id, sql, params }` with `{ id, columns, rows }` or `{ id, error }`, one at a
 * time. Rows travel as one JSON text, made by SQLite (`json_group_array` over the statement, in
 * its order), with the column names beside it: building JS values row by row in better-sqlite3
 * and copying them between threads cost more than the lookups. For 2,400 artifact rows SQLite
 * took 1.5 ms to find them, better-sqlite3 13 ms to build them as objects (7.5 ms as arrays),
 * SQLite 3.3 ms to write them as JSON and JSON.parse 1.4 ms; a downstream lineage read of
 * ~4,900 nodes went from 105 ms to 77 ms. JSON keeps every value SQLite stores but a BLOB (such
 * a statement falls back to arrays of values) and the sign of a REAL -0.0, which reads as 0.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const database = new Database(workerData.path, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs })
for (const pragma of workerData.pragmas) database.pragma(pragma)
const statements = new Map()
parentPort.on('message', (message) => {
  if (message === 'close') { database.close(); parentPort.close(); return }
  try {
    let entry = statements.get(message.sql)
    if (entry === undefined) {
      const statement = database.prepare(message.sql)
      entry = { statement, columns: [], json: undefined }
      if (statement.reader) {
        statement.raw(true)
        entry.columns = statement.columns().map((column) => column.name)
        const names = entry.columns.map((_, index) => 'c' + index)
        try {
          entry.json = database.prepare('WITH q(' + names.join(', ') + ') AS (' + message.sql + ') SELECT json_group_array(json_array(' + names.join(', ') + ')) FROM q').pluck()
        } catch {}
      }
      if (statements.size >= 500) statements.delete(statements.keys().next().value)
      statements.set(message.sql, entry)
    }
    if (entry.json !== undefined) {
      let json
      try { json = entry.json.get(...message.params) } catch {}
      if (json !== undefined) {
        parentPort.postMessage({ id: message.id, columns: entry.columns, json })
        return
      }
    }
    const rows = entry.statement.all(...message.params)
    // The plain statement answered where its JSON form failed: the rows hold what JSON cannot
    // (a BLOB) or too much for one string, so this statement goes on without it.
    entry.json = undefined
    parentPort.postMessage({ id: message.id, columns: entry.columns, rows })
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message || error), code: error && error.code } })
  }
})
`

/**
 * Pragmas of every read connection. SQLite's default page cache is 2 MB a connection, and a
 * lineage walk or a page of nodes reads rows scattered over the whole file: mapping the file
 * (1 GiB of address space, not memory; pages stay the operating system's) saves a copy per
 * page read, and a 64 MB cache keeps the index pages a walk goes back to.
 */
const readPragmas = ['cache_size = -65536', 'mmap_size = 1073741824']

/** Rows as better-sqlite3 gives objects: one property a column, in the columns' order. */
function rowObjects(columns: string[], rows: unknown[][]): Row[] {
  const objects: Row[] = new Array(rows.length)
  for (let index = 0; index < rows.length; index++) {
    const values = rows[index]!
    const object: Row = {}
    for (let column = 0; column < columns.length; column++)
      object[columns[column]!] = values[column]
    objects[index] = object
  }
  return objects
}

interface Pending {
  resolve(rows: Row[]): void
  reject(error: Error): void
}

interface ReadWorker {
  worker: Worker
  pending: Map<number, Pending>
}

/** Options of {@link SqliteReadPool}. */
export interface SqliteReadPoolOptions {
  /** The database file; it must exist (the store has opened and migrated it). */
  path: string
  /** How long a read waits for a lock (a checkpoint, a recovery) before it fails. */
  busyTimeoutMs: number
  /**
   * How many worker threads read side by side.
   * @default min(4, max(2, availableParallelism()))
   */
  size?: number
}

/**
 * Read-only connections to one SQLite file, each on a worker thread, so that a long query
 * (a costly filter, a deep lineage walk) runs beside the event loop instead of on it: the
 * server keeps answering other requests, `/health` included, while it runs. better-sqlite3
 * is synchronous, so on the main thread one slow SELECT would stall every request.
 *
 * Workers start on the first read and are unreferenced while idle, so an open store never
 * keeps a process alive. In WAL mode a reader sees every transaction committed before its
 * statement began, so a read that follows a write of this process sees that write.
 *
 * @example
 * const pool = new SqliteReadPool({ path: '.lore/lore.db', busyTimeoutMs: 10_000 })
 * const rows = await pool.query('SELECT id FROM artifact WHERE uri LIKE ?', ['s3://%'])
 * await pool.close()
 */
export class SqliteReadPool {
  readonly #options: Required<SqliteReadPoolOptions>
  readonly #workers: ReadWorker[] = []
  #nextId = 0
  #closed = false

  constructor(options: SqliteReadPoolOptions) {
    this.#options = Object.freeze({
      size: Math.min(4, Math.max(2, availableParallelism())),
      ...options,
    })
  }

  /** Run a read-only statement on the least busy worker and return its rows. */
  query<T extends object = Row>(
    sql: string,
    params: readonly unknown[],
  ): Promise<T[]> {
    if (this.#closed) {
      return Promise.reject(
        new LoreError(
          'FAILED_PRECONDITION',
          'the store is closed; open it again with openStore()',
        ),
      )
    }
    const reader = this.#leastBusy()
    const id = this.#nextId++
    return new Promise<T[]>((resolve, reject) => {
      reader.pending.set(id, {
        resolve: resolve as (rows: Row[]) => void,
        reject,
      })
      if (reader.pending.size === 1) reader.worker.ref()
      reader.worker.postMessage({ id, sql, params })
    })
  }

  #leastBusy(): ReadWorker {
    let best: ReadWorker | undefined
    for (const reader of this.#workers) {
      if (best === undefined || reader.pending.size < best.pending.size)
        best = reader
    }
    if (
      best !== undefined &&
      (best.pending.size === 0 || this.#workers.length >= this.#options.size)
    )
      return best
    return this.#start()
  }

  #start(): ReadWorker {
    const worker = new Worker(workerSource, {
      eval: true,
      // Not this process's flags: under --input-type=module (node --eval of a module, say) the
      // worker's code would be read as a module and find no `require`. It needs none of them.
      execArgv: [],
      workerData: {
        modulePath: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.#options.path,
        busyTimeoutMs: this.#options.busyTimeoutMs,
        pragmas: readPragmas,
      },
    })
    const reader: ReadWorker = { worker, pending: new Map() }
    worker.unref()
    worker.on(
      'message',
      (message: {
        id: number
        columns?: string[]
        rows?: unknown[][]
        json?: string
        error?: { message: string; code?: string }
      }) => {
        const pending = reader.pending.get(message.id)
        if (pending === undefined) return
        reader.pending.delete(message.id)
        if (reader.pending.size === 0) worker.unref()
        if (message.error === undefined)
          pending.resolve(
            rowObjects(
              message.columns ?? [],
              message.json === undefined
                ? (message.rows ?? [])
                : (JSON.parse(message.json) as unknown[][]),
            ),
          )
        else
          pending.reject(
            Object.assign(new Error(message.error.message), {
              code: message.error.code,
            }),
          )
      },
    )
    const fail = (error: Error) => {
      const index = this.#workers.indexOf(reader)
      if (index >= 0) this.#workers.splice(index, 1)
      for (const pending of reader.pending.values()) {
        pending.reject(
          new LoreError(
            'UNAVAILABLE',
            `a SQLite read worker for ${this.#options.path} stopped (${error.message}); try again`,
            { cause: error },
          ),
        )
      }
      reader.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (reader.pending.size > 0) fail(new Error(`exit code ${code}`))
    })
    this.#workers.push(reader)
    return reader
  }

  /** Let running reads finish, then stop every worker. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const workers = this.#workers.splice(0)
    await Promise.all(
      workers.map(async (reader) => {
        await Promise.all(
          [...reader.pending.values()].map(
            (pending) =>
              new Promise<void>((resolve) => {
                const { resolve: done, reject } = pending
                pending.resolve = (rows) => {
                  done(rows)
                  resolve()
                }
                pending.reject = (error) => {
                  reject(error)
                  resolve()
                }
              }),
          ),
        )
        const exited = new Promise((resolve) =>
          reader.worker.once('exit', resolve),
        )
        // Held until it has gone, so a process that closes its store waits for that.
        reader.worker.ref()
        reader.worker.postMessage('close')
        await exited
      }),
    )
  }
}
