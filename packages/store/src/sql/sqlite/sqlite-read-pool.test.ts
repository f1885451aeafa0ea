import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqliteReadPool } from './sqlite-read-pool.js'

let directory: string
let path: string
let direct: Database.Database
let pool: SqliteReadPool

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'lore-read-pool-'))
  path = join(directory, 'pool.db')
  direct = new Database(path)
  direct.pragma('journal_mode = WAL')
  direct.exec(
    'CREATE TABLE value (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB)',
  )
  const insert = direct.prepare(
    'INSERT INTO value (id, i, r, t, b) VALUES (?, ?, ?, ?, ?)',
  )
  const texts = ['plain', 'quote " and \\ backslash', 'é😀', '\u0000nul', '']
  direct.transaction(() => {
    for (let id = 1; id <= 3000; id++)
      insert.run(
        id,
        id % 7 === 0 ? null : id * 1_000_003 - 9_007_199_254,
        id % 5 === 0 ? null : Math.sin(id) * 10 ** ((id % 40) - 20),
        texts[id % texts.length],
        null,
      )
    insert.run(3001, 9_223_372_036_854_775_807n, 1e308, 'big', null)
    insert.run(3002, -1, Number.POSITIVE_INFINITY, 'infinite', null)
  })()
  pool = new SqliteReadPool({ path, busyTimeoutMs: 1000, size: 2 })
})

afterAll(async () => {
  await pool?.close()
  direct?.close()
  rmSync(directory, { recursive: true, force: true })
})

/** What better-sqlite3 answers on the main thread: the rows the pool must give. */
const expected = (sql: string, params: unknown[] = []) =>
  direct.prepare(sql).all(...params)

describe('SqliteReadPool', () => {
  it('answers every value as better-sqlite3 does, in the order of the statement', async () => {
    for (const sql of [
      'SELECT id, i, r, t FROM value ORDER BY id',
      'SELECT id, i, r, t FROM value ORDER BY t DESC, r, id DESC',
      'SELECT t, COUNT(*) AS n, SUM(r) AS total FROM value GROUP BY t ORDER BY n DESC, t',
    ]) {
      expect(await pool.query(sql, []), sql).toEqual(expected(sql))
    }
  })

  it('keeps the order of a recursive walk and of a page of ids bound as a list', async () => {
    const walk =
      'WITH RECURSIVE up(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM up WHERE n < 500) SELECT n, n * 2 AS twice FROM up ORDER BY n DESC'
    expect(await pool.query(walk, [])).toEqual(expected(walk))
    const ids = [2999, 17, 1500, 3, 3001, 42]
    const page = `SELECT * FROM value WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY r`
    expect(await pool.query(page, ids)).toEqual(expected(page, ids))
  })

  it('names columns as the statement does, the last of a repeated name winning', async () => {
    const sql =
      'SELECT id, t AS id, i AS "odd name" FROM value WHERE id < 4 ORDER BY 1'
    const rows = await pool.query(sql, [])
    expect(rows).toEqual(expected(sql))
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'odd name'])
  })

  it('answers no rows with an empty list, and a BLOB as better-sqlite3 does', async () => {
    expect(await pool.query('SELECT id FROM value WHERE id < 0', [])).toEqual(
      [],
    )
    direct
      .prepare('UPDATE value SET b = ? WHERE id = 2')
      .run(Buffer.from([0, 1, 2, 255]))
    const sql = 'SELECT id, b FROM value WHERE id IN (1, 2) ORDER BY id'
    const rows = await pool.query<{ id: number; b: unknown }>(sql, [])
    expect(rows.map((row) => row.id)).toEqual([1, 2])
    expect(rows[0]?.b).toBeNull()
    expect(Buffer.from(rows[1]?.b as Uint8Array)).toEqual(
      Buffer.from([0, 1, 2, 255]),
    )
    // The same statement keeps answering once it has fallen back.
    expect(
      (await pool.query<{ id: number }>(sql, [])).map((row) => row.id),
    ).toEqual([1, 2])
  })

  it('reads in a process whose eval code is a module (node --input-type=module --eval)', async () => {
    const script = `
      import { SqliteReadPool } from ${JSON.stringify(fileURLToPath(new URL('./sqlite-read-pool.ts', import.meta.url)))}
      const pool = new SqliteReadPool({ path: ${JSON.stringify(path)}, busyTimeoutMs: 1000, size: 1 })
      console.log(JSON.stringify(await pool.query('SELECT t FROM value WHERE id = ?', [1])))
      await pool.close()
    `
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
    )
    expect(JSON.parse(stdout)).toEqual(
      expected('SELECT t FROM value WHERE id = ?', [1]),
    )
  })

  it('reports a failing statement with its SQLite error', async () => {
    await expect(
      pool.query('SELECT no_such_column FROM value', []),
    ).rejects.toThrow(/no such column/)
  })
})
