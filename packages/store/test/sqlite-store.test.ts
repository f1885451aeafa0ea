import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LoreError, openStore, SqliteDialect, SqlStore } from '../src/index.js'
import { describeStoreConformance } from './store-conformance.js'

describeStoreConformance('SQLite file', () =>
  openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'lore-')), 'lore.db')}`),
)
describeStoreConformance('SQLite in memory', () => openStore('sqlite::memory:'))

describe('SQLite stores in one process', () => {
  it('write one file at once without waiting for the busy timeout', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lore-')), 'lore.db')
    // A lock wait in better-sqlite3 blocks the event loop; two stores opened and written
    // together must take turns instead, or the second would wait out the busy timeout.
    const stores = await Promise.all(
      [1, 2].map(() =>
        SqlStore.open(
          new SqliteDialect({ path, busyTimeoutMs: 60_000, maxRetries: 0 }),
          {
            location: path,
          },
        ),
      ),
    )
    try {
      await Promise.all(
        stores.map((store) => store.putExecutionType({ name: 'Step' })),
      )
      await Promise.all(
        stores.flatMap((store) =>
          Array.from({ length: 20 }, () =>
            store.putExecution({ execution: { type: 'Step' } }),
          ),
        ),
      )
      expect(
        (await stores[0]!.getExecutions({ limit: 100 })).items,
      ).toHaveLength(40)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})

describe('SQLite store transactions', () => {
  it('commits a step record and its metric points together, or neither', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lore-')), 'lore.db')
    const store = await openStore(`sqlite:${path}`)
    try {
      await store.putExecutionType({ name: 'Step' })
      // The database itself refuses one metric key, after the execution row is inserted.
      const raw = new Database(path)
      raw.exec(
        "CREATE TRIGGER refuse_metric BEFORE INSERT ON metric WHEN NEW.metric_key = 'refused' BEGIN SELECT RAISE(ABORT, 'metric refused'); END",
      )
      raw.close()
      await expect(
        store.putExecutionBatch([
          {
            execution: { type: 'Step', externalId: 'kept-out' },
            metrics: [
              { key: 'loss', value: 0.5 },
              { key: 'refused', value: 1 },
            ],
          },
        ]),
      ).rejects.toThrow(/metric refused/)
      const [written] = await store.putExecutionBatch([
        {
          execution: { type: 'Step', externalId: 'written' },
          metrics: [{ key: 'loss', value: 0.25 }],
        },
      ])
      const check = new Database(path, { readonly: true })
      const rows = check
        .prepare(
          'SELECT e.external_id AS execution, m.metric_key AS key, m.value FROM execution e LEFT JOIN metric m ON m.execution_id = e.id ORDER BY e.id',
        )
        .all()
      check.close()
      expect(rows).toEqual([{ execution: 'written', key: 'loss', value: 0.25 }])
      expect(written?.executionId).toBeGreaterThan(0)
    } finally {
      await store.close()
    }
  })
})

describe('SQLite store property values', () => {
  it('refuses an object that JSON cannot hold, naming its class', async () => {
    // Through the server a Date arrives as its ISO string; only the embedded store sees it.
    const store = await openStore('sqlite::memory:')
    try {
      await store.putArtifactType({ name: 'Dataset' })
      await expect(
        store.putArtifacts([
          { type: 'Dataset', customProperties: { when: new Date() as never } },
        ]),
      ).rejects.toThrow(/customProperties\.when.*Date.*not JSON/)
      expect((await store.getArtifacts()).items).toEqual([])
    } finally {
      await store.close()
    }
  })
})

describe('opening a SQLite store where there is none to open', () => {
  it('names the path when its folder is a file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lore-'))
    const notAFolder = join(directory, 'afile')
    writeFileSync(notAFolder, 'x')
    const error = await openStore(
      `sqlite:${join(notAFolder, 'lore.db')}`,
    ).catch((caught: unknown) => caught)
    expect(LoreError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ code: 'UNAVAILABLE' })
    expect((error as LoreError).message).toContain(notAFolder)
  })

  it('refuses a file that is not a database and leaves it as it was', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lore-')), 'notes.txt')
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200))
    const before = readFileSync(path)
    const error = await openStore(`sqlite:${path}`).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: 'UNAVAILABLE' })
    expect((error as LoreError).message).toMatch(/not a database/)
    expect(readFileSync(path).equals(before)).toBe(true)
  })
})
