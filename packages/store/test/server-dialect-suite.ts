import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import {
  latestSchemaVersion,
  LoreError,
  openStore,
  type MetadataStore,
} from '../src/index.js'
import {
  requireDialects,
  type TestServer,
} from './fixtures/server-databases.js'
import { describeStoreConformance } from './store-conformance.js'

/** What differs between the server dialects and shows in their behaviour. */
export interface ServerDialectLimits {
  /** The most characters an indexed string (a name, a uri) holds. */
  keyLength: number
}

/**
 * The tests of a database-server dialect: the shared conformance suite, each test on a new
 * empty database, and what only a server shows — several stores migrating and writing one
 * database at once. Skipped, saying why, when the server cannot be reached and
 * LORE_REQUIRE_DIALECTS is unset; with it set, an unreachable server fails.
 */
export function describeServerDialect(
  server: TestServer,
  limits: ServerDialectLimits,
): void {
  const skip = server.unreachable !== undefined && !requireDialects
  const where = `${server.name} at ${server.url}`
  if (skip) {
    console.warn(
      `Skipping the ${server.name} tests: ${server.url} is unreachable (${server.unreachable}). Start the server, or set LORE_REQUIRE_DIALECTS=1 to make this a failure.`,
    )
  }
  const title = skip
    ? `${where} — skipped, unreachable (${server.unreachable}); LORE_REQUIRE_DIALECTS=1 makes this a failure`
    : where

  describe.skipIf(skip)(title, () => {
    afterAll(() => server.dropAll())

    it('reaches the server', () => {
      expect(
        server.unreachable,
        `${where} is unreachable and LORE_REQUIRE_DIALECTS is set; start the server (.ci/run does)`,
      ).toBeUndefined()
    })

    // A closed store's database is emptied and handed to the next test, which then opens
    // a migrated database: each test still starts from no rows, without paying for DDL.
    const closedDatabases: string[] = []
    describeStoreConformance(server.name, async () => {
      const reused = closedDatabases.pop()
      if (reused !== undefined) await server.empty(reused)
      const url = reused ?? (await server.fresh())
      return recycledOnClose(await openStore(url), () =>
        closedDatabases.push(url),
      )
    })

    describe('several stores on one database', () => {
      it('migrates a new database once when stores open it at the same time', async () => {
        const url = await server.fresh()
        const stores = await Promise.all(
          Array.from({ length: 4 }, () => openStore(url)),
        )
        try {
          const rows = await server.query(
            url,
            'SELECT COUNT(*) AS count, MAX(version) AS version FROM lore_schema',
          )
          expect(
            rows.map((row) => [Number(row.count), Number(row.version)]),
          ).toEqual([[1, latestSchemaVersion]])
          const [first, second] = stores as [MetadataStore, MetadataStore]
          const typeId = await first.putArtifactType({ name: 'Dataset' })
          expect((await second.getArtifactType('Dataset')).id).toBe(typeId)
        } finally {
          await Promise.all(stores.map((store) => store.close()))
        }
      })

      it('writes each external id and context once when two stores race to write them', async () => {
        const url = await server.fresh()
        const stores = [await openStore(url), await openStore(url)]
        try {
          await stores[0]!.putArtifactType({ name: 'Model' })
          await stores[0]!.putExecutionType({ name: 'Train' })
          await stores[0]!.putContextType({ name: 'Pipeline' })
          // Every record is sent by both stores at once, as a client retrying through a
          // second server would.
          const results = await Promise.all(
            Array.from({ length: 16 }, (_, index) =>
              stores[index % 2]!.putExecution({
                execution: {
                  type: 'Train',
                  externalId: `train-${index >> 1}`,
                  lastKnownState: 'COMPLETE',
                },
                artifactEventPairs: [
                  {
                    artifact: {
                      type: 'Model',
                      externalId: `model-${index >> 1}`,
                    },
                    event: { type: 'OUTPUT', path: ['model'] },
                  },
                ],
                contexts: [{ type: 'Pipeline', name: 'shared' }],
                options: {
                  reuseContextIfAlreadyExist: true,
                  reuseArtifactIfAlreadyExistByExternalId: true,
                  reuseExecutionIfAlreadyExistByExternalId: true,
                },
              }),
            ),
          )
          for (let index = 0; index < results.length; index += 2)
            expect(results[index + 1]).toEqual(results[index])
          const store = stores[0]!
          expect((await store.getContexts()).items).toHaveLength(1)
          const executions = (await store.getExecutions()).items
          expect(executions).toHaveLength(8)
          expect(
            await store.getEvents({
              executionIds: executions.map((execution) => execution.id),
            }),
          ).toHaveLength(8)
        } finally {
          await Promise.all(stores.map((store) => store.close()))
        }
      })
    })

    describe('transactions', () => {
      it('runs again a transaction that lost a deadlock, so both writers succeed', async () => {
        const url = await server.fresh()
        await (await openStore(url)).close()
        const driver = await server.dialect(url).createDriver()
        try {
          await driver.execute(
            'CREATE TABLE counter (id BIGINT PRIMARY KEY, hits BIGINT NOT NULL)',
          )
          await driver.execute(
            'INSERT INTO counter (id, hits) VALUES (1, 0), (2, 0)',
          )
          let attempts = 0
          let release = () => {}
          const bothHoldOneRow = new Promise<void>((resolve) => {
            release = resolve
          })
          // Each takes one row, waits until the other has taken the other row, then asks
          // for it: a deadlock, which the server breaks by failing one of them.
          const writer = (first: number, second: number) =>
            driver.transaction(async (connection) => {
              await connection.execute(
                'UPDATE counter SET hits = hits + 1 WHERE id = ?',
                [first],
              )
              if (++attempts === 2) release()
              await bothHoldOneRow
              await connection.execute(
                'UPDATE counter SET hits = hits + 1 WHERE id = ?',
                [second],
              )
            })
          await Promise.all([writer(1, 2), writer(2, 1)])
          expect(attempts).toBeGreaterThan(2)
          const rows = await driver.query<{ hits: number }>(
            'SELECT hits FROM counter ORDER BY id',
          )
          expect(rows.map((row) => row.hits)).toEqual([2, 2])
        } finally {
          await driver.close()
        }
      })
    })

    describe('strings', () => {
      it('stores a long string property and finds it by value', async () => {
        const store = await openStore(await server.fresh())
        try {
          await store.putArtifactType({ name: 'Prompt' })
          // Random text does not compress: PostgreSQL could not keep it whole in an index.
          const long = randomBytes(15_000).toString('base64')
          const [id] = await store.putArtifacts([
            { type: 'Prompt', customProperties: { text: long } },
          ])
          const { items } = await store.getArtifacts({
            filter: `custom_properties.text = '${long}'`,
          })
          expect(items.map((artifact) => artifact.id)).toEqual([id])
          expect(items[0]?.customProperties?.text).toBe(long)
        } finally {
          await store.close()
        }
      })

      it('keeps backslashes, quotes and SQL in values as data', async () => {
        const store = await openStore(await server.fresh())
        try {
          await store.putArtifactType({ name: 'Dataset' })
          const name = "a\\' OR 1=1; -- \\\\'' ?"
          const [id] = await store.putArtifacts([{ type: 'Dataset', name }])
          const found = async (query: { name?: string; filter?: string }) =>
            (await store.getArtifacts(query)).items.map((artifact) => [
              artifact.id,
              artifact.name,
            ])
          expect(await found({ name })).toEqual([[id, name]])
          expect(
            await found({ filter: `name = '${name.replaceAll("'", "''")}'` }),
          ).toEqual([[id, name]])
          expect(await found({ name: 'a' })).toEqual([])
        } finally {
          await store.close()
        }
      })

      it(`refuses an indexed string over ${limits.keyLength} characters with INVALID_ARGUMENT`, async () => {
        const store = await openStore(await server.fresh())
        try {
          await store.putArtifactType({ name: 'Dataset' })
          const error = await store
            .putArtifacts([
              { type: 'Dataset', uri: `s3://${'x'.repeat(limits.keyLength)}` },
            ])
            .catch((caught: unknown) => caught)
          expect(LoreError.isInstance(error)).toBe(true)
          expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
          expect((error as Error).message).toMatch(
            new RegExp(`${limits.keyLength} characters`),
          )
          const uri = `s3://${'y'.repeat(limits.keyLength - 5)}`
          const [id] = await store.putArtifacts([{ type: 'Dataset', uri }])
          expect(
            (await store.getArtifacts({ uri })).items.map(
              (artifact) => artifact.id,
            ),
          ).toEqual([id])
        } finally {
          await store.close()
        }
      })
    })
  })
}

/** `store`, with `onClose` called after its first close. */
function recycledOnClose(
  store: MetadataStore,
  onClose: () => void,
): MetadataStore {
  let closed = false
  const close = async () => {
    await store.close()
    if (!closed) onClose()
    closed = true
  }
  return new Proxy(store, {
    get(target, key) {
      if (key === 'close') return close
      const value: unknown = Reflect.get(target, key, target)
      // Methods run on the store itself: its private fields are not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
