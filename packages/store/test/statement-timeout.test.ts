import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxFilterTerms } from '../src/filter/filter-limits.js'
import { LoreError, SqlStore, type MetadataStore } from '../src/index.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'
import {
  mysqlServer,
  postgresServer,
  requireDialects,
  type TestServer,
} from './fixtures/server-databases.js'

/*
 * On PostgreSQL and MySQL/MariaDB every statement runs under the store's statementTimeoutMs.
 * A filter that costs more is cancelled by the database, and the client gets a 400 that says
 * so, never a 500 with a stack. The rows are written with SQL, which is quicker than the
 * store's own writes and makes no difference to the query.
 */

const rows = 10_000

/** A filter with as many conditions as one may have, each a LIKE no index can answer. */
const costliest = Array.from(
  { length: maxFilterTerms },
  (_, index) => `custom_properties.owner LIKE '%team-${index}x'`,
).join(' OR ')

/** `INSERT … SELECT` of `rows` numbered rows, in each server's own way of counting. */
function numbers(server: TestServer): string {
  return server.name === 'PostgreSQL'
    ? `SELECT n FROM generate_series(1, ${rows}) AS g(n)`
    : `SELECT seq AS n FROM seq_1_to_${rows}`
}

async function fill(server: TestServer, url: string): Promise<void> {
  const [type] = await server.query(
    url,
    "SELECT id FROM lore_type WHERE kind = 'ARTIFACT' AND name = 'Dataset'",
  )
  const concat = (text: string, expression: string) =>
    server.name === 'PostgreSQL'
      ? `'${text}' || ${expression}`
      : `CONCAT('${text}', ${expression})`
  await server.query(
    url,
    `INSERT INTO artifact (type_id, uri, state, create_time_since_epoch, last_update_time_since_epoch) SELECT ${Number(type?.id)}, ${concat('s3://bucket/', 'n')}, 'LIVE', n, n FROM (${numbers(server)}) AS numbers`,
  )
  await server.query(
    url,
    `INSERT INTO artifact_property (artifact_id, name, is_custom, kind, number_value, string_value) SELECT id, 'owner', 1, 'STRING', NULL, ${concat('team-', 'MOD(id, 97)')} FROM artifact`,
  )
}

for (const server of [await postgresServer(), await mysqlServer()]) {
  const skip = server.unreachable !== undefined && !requireDialects
  describe.skipIf(skip)(
    `statement timeout on ${server.name}${skip ? ` — skipped, unreachable (${server.unreachable})` : ''}`,
    () => {
      let strict: MetadataStore
      let patient: MetadataStore
      let served: ServedStore

      beforeAll(async () => {
        const url = await server.fresh()
        patient = await SqlStore.open(
          server.dialect(url, { statementTimeoutMs: 600_000 }),
          { location: server.name },
        )
        await patient.putArtifactType({ name: 'Dataset' })
        await fill(server, url)
        strict = await SqlStore.open(
          server.dialect(url, { statementTimeoutMs: 10 }),
          { location: server.name },
        )
        served = await serveStore({}, strict)
      }, 120_000)
      afterAll(async () => {
        await served?.close()
        await patient?.close()
        await server.dropAll()
      })

      it('runs the costliest filter when the timeout allows it', async () => {
        const page = await patient.getArtifacts({
          filter: costliest,
          limit: 10,
        })
        expect(page.items).toEqual([])
        expect((await patient.getArtifacts({ limit: 3 })).items).toHaveLength(3)
      })

      it('cancels a query past the timeout with INVALID_ARGUMENT that says what to do', async () => {
        const error = await strict
          .getArtifacts({ filter: costliest, limit: 10 })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          )
        expect(LoreError.isInstance(error), String(error)).toBe(true)
        expect(error).toMatchObject({
          code: 'INVALID_ARGUMENT',
          details: { reason: 'statement_timeout' },
        })
        expect((error as Error).message).toMatch(
          /ran past the statement timeout.*narrow the filter/,
        )
      })

      it('answers such a request over HTTP with a 400 without a stack, and keeps serving', async () => {
        const { status, json } = await served.post('/v1/getArtifacts', {
          query: { filter: costliest, limit: 10 },
        })
        expect(status).toBe(400)
        expect(json.error.code).toBe('INVALID_ARGUMENT')
        expect(json.error.message).toMatch(/statement timeout/)
        expect(JSON.stringify(json)).not.toMatch(/\n\s+at /)
        const health = await fetch(`${served.url}/health`)
        expect(health.status).toBe(200)
        const cheap = await served.post('/v1/getArtifacts', {
          query: { ids: [1] },
        })
        expect(cheap.status).toBe(200)
        expect(cheap.json.result.items).toHaveLength(1)
      })
    },
  )
}
