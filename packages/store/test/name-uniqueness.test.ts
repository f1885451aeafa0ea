import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import {
  latestSchemaVersion,
  LoreError,
  openStore,
  SqliteDialect,
  SqlStore,
  type MetadataStore,
} from '../src/index.js'
import { readableNodeName } from '../src/readable-node-name.js'
import {
  mysqlServer,
  postgresServer,
  requireDialects,
} from './fixtures/server-databases.js'

/** Where a backend's databases come from: a new database's url and its dialect. */
interface Backend {
  name: string
  skip: string | undefined
  fresh(): Promise<{
    url: string
    open(schemaVersion?: number): Promise<MetadataStore>
    /** Run SQL in the database behind the store's back. */
    run(sql: string): Promise<void>
  }>
  cleanUp(): Promise<void>
}

const directory = mkdtempSync(join(tmpdir(), 'lore-names-'))
let files = 0

const sqlite: Backend = {
  name: 'SQLite file',
  skip: undefined,
  async fresh() {
    const path = join(directory, `names-${files++}.db`)
    return {
      url: `sqlite:${path}`,
      open: (schemaVersion) =>
        schemaVersion === undefined
          ? openStore(`sqlite:${path}`)
          : SqlStore.open(new SqliteDialect({ path }), {
              location: path,
              schemaVersion,
            }),
      async run(sql) {
        const database = new Database(path)
        try {
          database.exec(sql)
        } finally {
          database.close()
        }
      },
    }
  },
  async cleanUp() {
    rmSync(directory, { recursive: true, force: true })
  },
}

async function serverBackend(
  server: Awaited<ReturnType<typeof postgresServer>>,
): Promise<Backend> {
  return {
    name: server.name,
    skip:
      server.unreachable !== undefined && !requireDialects
        ? server.unreachable
        : undefined,
    async fresh() {
      const url = await server.fresh()
      return {
        url,
        open: (schemaVersion) =>
          schemaVersion === undefined
            ? openStore(url)
            : SqlStore.open(server.dialect(url), {
                location: server.name,
                schemaVersion,
              }),
        run: async (sql) => {
          await server.query(url, sql)
        },
      }
    },
    cleanUp: () => server.dropAll(),
  }
}

const backends = [
  sqlite,
  await serverBackend(await postgresServer()),
  await serverBackend(await mysqlServer()),
]

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (error === undefined) return undefined
  expect(LoreError.isInstance(error), String(error)).toBe(true)
  return (error as LoreError).code
}

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(
    `names unique within a type: ${backend.name}${backend.skip === undefined ? '' : ` — skipped, unreachable (${backend.skip})`}`,
    () => {
      afterAll(() => backend.cleanUp())

      it('renames the duplicate names of a schema 4 database when it migrates, keeping the oldest', async () => {
        const database = await backend.fresh()
        const old = await database.open(4)
        try {
          await old.putArtifactType({ name: 'Dataset' })
          await old.putExecutionType({ name: 'Train' })
          await old.putExecutionType({ name: 'Evaluate' })
          await old.putExecutions([
            { type: 'Train', name: 'train', externalId: 'call-1' },
            { type: 'Train', name: 'train-2', externalId: 'call-2' },
            { type: 'Train', name: 'train-3' },
            { type: 'Evaluate', name: 'train' },
          ])
          await old.putArtifacts([
            { type: 'Dataset', name: 'iris.csv', uri: 's3://1' },
            { type: 'Dataset', name: 'iris-2.csv', uri: 's3://2' },
          ])
        } finally {
          await old.close()
        }
        // What Lore wrote before schema 5, when its own checks did not look at names.
        await database.run(
          "UPDATE execution SET name = 'train' WHERE name LIKE 'train-%'",
        )
        await database.run(
          "UPDATE artifact SET name = 'iris.csv' WHERE name = 'iris-2.csv'",
        )
        const store = await database.open()
        try {
          const executions = (await store.getExecutions()).items
          const names = executions.map((execution) => execution.name)
          expect(names[0]).toBe('train')
          expect(names[3]).toBe('train')
          expect(new Set(names.slice(0, 3)).size).toBe(3)
          expect(names.map((name) => readableNodeName(name))).toEqual([
            'train',
            'train',
            'train',
            'train',
          ])
          const artifacts = (await store.getArtifacts()).items
          expect(artifacts[0]?.name).toBe('iris.csv')
          expect(artifacts[1]?.name).not.toBe('iris.csv')
          expect(readableNodeName(artifacts[1]?.name)).toBe('iris.csv')
          expect(
            await codeOf(
              store.putExecutions([{ type: 'Train', name: 'train' }]),
            ),
          ).toBe('ALREADY_EXISTS')
          expect(
            await codeOf(
              store.putArtifacts([{ type: 'Dataset', name: 'iris.csv' }]),
            ),
          ).toBe('ALREADY_EXISTS')
        } finally {
          await store.close()
        }
      })

      it('stores a name once when two stores race to take it', async () => {
        const database = await backend.fresh()
        const stores = [await database.open(), await database.open()]
        try {
          await stores[0]!.putExecutionType({ name: 'Train' })
          const outcomes = await Promise.all(
            Array.from({ length: 8 }, (_, index) =>
              codeOf(
                stores[index % 2]!.putExecution({
                  execution: { type: 'Train', name: `step-${index >> 1}` },
                }),
              ),
            ),
          )
          for (let index = 0; index < outcomes.length; index += 2) {
            expect(
              [outcomes[index], outcomes[index + 1]].sort(),
              `step-${index >> 1}`,
            ).toEqual(['ALREADY_EXISTS', undefined])
          }
          const names = (await stores[1]!.getExecutions()).items
            .map((execution) => execution.name)
            .sort()
          expect(names).toEqual(['step-0', 'step-1', 'step-2', 'step-3'])
        } finally {
          await Promise.all(stores.map((store) => store.close()))
        }
      })

      it('is at the latest schema version', async () => {
        expect(latestSchemaVersion).toBeGreaterThanOrEqual(5)
      })
    },
  )
}
