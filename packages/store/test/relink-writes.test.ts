import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import {
  openStore,
  type MetadataStore,
  type PutExecutionRequest,
} from '../src/index.js'
import {
  mysqlServer,
  postgresServer,
  requireDialects,
} from './fixtures/server-databases.js'

/** Where a store under test lives, and how to run SQL on its database beside the store. */
interface Target {
  name: string
  unreachable: string | undefined
  open(): Promise<{
    url: string
    run: (sql: string) => Promise<Record<string, unknown>[]>
  }>
  /** The statements that make `write_log` record every write to the artifact tables. */
  writeLog: string[]
  close(): Promise<void>
}

const sqliteLog = [
  'CREATE TABLE write_log (operation TEXT, owner INTEGER)',
  ...['INSERT', 'UPDATE', 'DELETE'].map(
    (operation) =>
      `CREATE TRIGGER log_property_${operation} AFTER ${operation} ON artifact_property BEGIN INSERT INTO write_log VALUES ('${operation} artifact_property', ${operation === 'DELETE' ? 'OLD' : 'NEW'}.artifact_id); END`,
  ),
  "CREATE TRIGGER log_artifact_update AFTER UPDATE ON artifact BEGIN INSERT INTO write_log VALUES ('UPDATE artifact', NEW.id); END",
]

const postgresLog = [
  'CREATE TABLE write_log (operation TEXT, owner BIGINT)',
  `CREATE FUNCTION log_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    INSERT INTO write_log VALUES (TG_OP || ' ' || TG_TABLE_NAME, (to_jsonb(COALESCE(NEW, OLD)) ->> TG_ARGV[0])::bigint);
    RETURN NULL;
  END $$`,
  "CREATE TRIGGER log_property AFTER INSERT OR UPDATE OR DELETE ON artifact_property FOR EACH ROW EXECUTE FUNCTION log_write('artifact_id')",
  "CREATE TRIGGER log_artifact AFTER UPDATE ON artifact FOR EACH ROW EXECUTE FUNCTION log_write('id')",
]

const mysqlLog = [
  'CREATE TABLE write_log (operation VARCHAR(64), owner BIGINT)',
  ...['INSERT', 'UPDATE', 'DELETE'].map(
    (operation) =>
      `CREATE TRIGGER log_property_${operation} AFTER ${operation} ON artifact_property FOR EACH ROW INSERT INTO write_log VALUES ('${operation} artifact_property', ${operation === 'DELETE' ? 'OLD' : 'NEW'}.artifact_id)`,
  ),
  "CREATE TRIGGER log_artifact_update AFTER UPDATE ON artifact FOR EACH ROW INSERT INTO write_log VALUES ('UPDATE artifact', NEW.id)",
]

async function targets(): Promise<Target[]> {
  const postgres = await postgresServer()
  const mysql = await mysqlServer()
  return [
    {
      name: 'SQLite file',
      unreachable: undefined,
      async open() {
        const path = join(
          mkdtempSync(join(tmpdir(), 'lore-relink-')),
          'lore.db',
        )
        return {
          url: `sqlite:${path}`,
          run: async (sql) => {
            const database = new Database(path)
            try {
              const statement = database.prepare(sql)
              if (statement.reader)
                return statement.all() as Record<string, unknown>[]
              statement.run()
              return []
            } finally {
              database.close()
            }
          },
        }
      },
      writeLog: sqliteLog,
      close: async () => {},
    },
    ...[
      { server: postgres, writeLog: postgresLog },
      { server: mysql, writeLog: mysqlLog },
    ].map(({ server, writeLog }): Target => ({
      name: server.name,
      unreachable: server.unreachable,
      async open() {
        const url = await server.fresh()
        return { url, run: (sql) => server.query(url, sql) }
      },
      writeLog,
      close: () => server.dropAll(),
    })),
  ]
}

/** A step record that reads the shared dataset and writes a model of its own. */
function stepRecord(index: number, sharedRows: number): PutExecutionRequest {
  return {
    execution: {
      type: 'Train',
      externalId: `step-${index}`,
      lastKnownState: 'COMPLETE',
    },
    artifactEventPairs: [
      {
        artifact: {
          type: 'Dataset',
          externalId: 'shared-dataset',
          uri: 's3://bench/shared',
          properties: { rows: sharedRows },
        },
        event: { type: 'INPUT', path: ['inputs', 0] },
      },
      {
        artifact: {
          type: 'Dataset',
          externalId: `model-${index}`,
          uri: `s3://bench/models/${index}`,
          properties: { rows: index },
        },
        event: { type: 'OUTPUT', path: ['outputs', 0] },
      },
    ],
    options: { reuseArtifactIfAlreadyExistByExternalId: true },
  }
}

const all = await targets()
afterAll(async () => {
  for (const target of all) await target.close()
})

for (const target of all) {
  const skip = target.unreachable !== undefined && !requireDialects
  describe.skipIf(skip)(`re-linking stored artifacts (${target.name})`, () => {
    it('writes nothing to an artifact named again by external id with the fields it has, and rewrites it once when they change', async () => {
      expect(target.unreachable).toBeUndefined()
      const { url, run } = await target.open()
      let store: MetadataStore | undefined = await openStore(url)
      try {
        await store.putArtifactType({
          name: 'Dataset',
          properties: { rows: 'INT' },
        })
        await store.putExecutionType({ name: 'Train' })
        const first = await store.putExecutionBatch(
          [0, 1, 2].map((index) => stepRecord(index, 100)),
        )
        const sharedId = first[0]!.artifactIds[0]!
        expect(first.map((result) => result.artifactIds[0])).toEqual([
          sharedId,
          sharedId,
          sharedId,
        ])
        for (const statement of target.writeLog) await run(statement)
        const log = async () =>
          (
            await run('SELECT operation, owner FROM write_log ORDER BY owner')
          ).map((row) => [String(row.operation), Number(row.owner)] as const)

        // Re-linking: three more records name the shared dataset with what it holds.
        const again = await store.putExecutionBatch(
          [3, 4, 5].map((index) => stepRecord(index, 100)),
        )
        expect(again.map((result) => result.artifactIds[0])).toEqual([
          sharedId,
          sharedId,
          sharedId,
        ])
        const written = await log()
        expect(written.filter(([, owner]) => owner === sharedId)).toEqual([])
        // The log sees writes: each new model's property row was inserted.
        expect(
          written.filter(([operation]) => operation.startsWith('INSERT')),
        ).toHaveLength(3)

        // A changed property is written once, and later records of the batch see it.
        await run('DELETE FROM write_log')
        await store.putExecutionBatch(
          [6, 7].map((index) => stepRecord(index, 101)),
        )
        const changed = (await log()).filter(([, owner]) => owner === sharedId)
        expect(changed.map(([operation]) => operation).sort()).toEqual([
          'DELETE artifact_property',
          'INSERT artifact_property',
          'UPDATE artifact',
        ])
        const [shared] = (
          await store.getArtifacts({ filter: `id = ${sharedId}` })
        ).items
        expect(shared?.properties).toEqual({ rows: 101 })
        await store.close()
        store = undefined
      } finally {
        await store?.close()
      }
    })
  })
}
