import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  openStore,
  SqliteDialect,
  type Dialect,
  type MetadataStore,
} from '../src/index.js'
import { listQuerySchema } from '../src/request-schemas.js'
import type { Connection, Driver } from '../src/sql/dialect.js'
import { listPageQuery } from '../src/sql/node-reader.js'
import { nodeTables } from '../src/sql/node-tables.js'
import {
  postgresServer,
  requireDialects,
  type TestServer,
} from './fixtures/server-databases.js'

/**
 * The planner's word on property filters: whatever form a filter takes (few matches: read them
 * from the property index first; many: walk nodes in page order and probe each), no plan reads
 * a property table whole, and a selective filter does not read the node table whole either.
 */

const nodes = 6000

/** A store with `nodes` Model artifacts: accuracy uniform in [0, 1), framework in four values. */
async function fill(store: MetadataStore): Promise<void> {
  await store.putArtifactType({
    name: 'Model',
    properties: { accuracy: 'DOUBLE', framework: 'STRING', epochs: 'INT' },
  })
  const frameworks = ['torch', 'jax', 'sklearn', 'xgboost']
  for (let first = 0; first < nodes; first += 500) {
    await store.putArtifacts(
      Array.from({ length: 500 }, (_, offset) => {
        const index = first + offset
        return {
          type: 'Model',
          uri: `s3://plan/${index}`,
          properties: {
            accuracy: ((index * 7919) % nodes) / nodes,
            framework: frameworks[index % 4]!,
            epochs: index % 50,
          },
        }
      }),
    )
  }
}

interface Planner {
  /** The lines of the plan of `sql`. */
  explain(
    connection: Connection,
    sql: string,
    params: unknown[],
  ): Promise<string[]>
  /** The plan lines that read `table` (aliased `alias` in the query) whole. */
  scans(plan: string[], table: string, alias: string): string[]
}

const sqlitePlanner: Planner = {
  async explain(connection, sql, params) {
    const rows = await connection.query<{ detail: string }>(
      `EXPLAIN QUERY PLAN ${sql}`,
      params,
    )
    return rows.map((row) => row.detail)
  },
  // "SCAN artifact_property" (or its alias) is a full read; "SEARCH … USING INDEX" is not.
  scans: (plan, table, alias) =>
    plan.filter((line) =>
      new RegExp(`^SCAN (${table}|${alias})\\b`).test(line.trim()),
    ),
}

interface PostgresPlanNode {
  'Node Type': string
  'Relation Name'?: string
  Alias?: string
  'Index Name'?: string
  'Index Cond'?: string
  Plans?: PostgresPlanNode[]
}

const postgresPlanner: Planner = {
  async explain(connection, sql, params) {
    // On a few thousand rows a sequential scan is honestly cheapest; switched off, the planner
    // still picks one (marked disabled) only where no index can answer.
    await connection.execute('SET LOCAL enable_seqscan = off')
    const [row] = await connection.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    )
    const document = row?.['QUERY PLAN']
    const [top] = (
      typeof document === 'string' ? JSON.parse(document) : document
    ) as { Plan: PostgresPlanNode }[]
    // One line a node that reads a table: its type, table, alias and index condition.
    const lines: string[] = []
    const visit = (node: PostgresPlanNode) => {
      if (node['Relation Name'] !== undefined)
        lines.push(
          `${node['Node Type']} on ${node['Relation Name']} ${node.Alias ?? ''}${node['Index Name'] === undefined ? '' : ` using ${node['Index Name']}`}${node['Index Cond'] === undefined ? '' : ` (${node['Index Cond']})`}`,
        )
      for (const child of node.Plans ?? []) visit(child)
    }
    if (top !== undefined) visit(top.Plan)
    return lines
  },
  // A sequential scan reads it whole; so does an index walked end to end: one without an
  // index condition, or the property table's primary key (led by the node id) searched on
  // its later columns only.
  scans: (plan, table) =>
    plan.filter((line) => {
      if (!new RegExp(`^[A-Za-z ]*Scan on ${table} `).test(line)) return false
      if (line.startsWith('Seq Scan')) return true
      if (!line.includes(' (')) return true
      if (!table.endsWith('_property')) return false
      const owner = table.replace(/_property$/, '_id')
      return (
        line.includes(`using ${table}_pkey`) &&
        !new RegExp(`\\b${owner} =`).test(line)
      )
    }),
}

const filters: { filter: string; selective: boolean }[] = [
  { filter: 'properties.accuracy > 0.999', selective: true },
  { filter: 'properties.accuracy > 0.01', selective: false },
  { filter: "properties.framework = 'jax'", selective: false },
  { filter: "properties.framework = 'none-such'", selective: true },
  { filter: 'properties.epochs = 7', selective: true },
  {
    filter: "properties.framework = 'jax' AND properties.accuracy > 0.99",
    selective: true,
  },
  {
    filter: "properties.framework = 'jax' AND properties.accuracy > 0.2",
    selective: false,
  },
  {
    filter: "properties.framework = 'torch' OR properties.accuracy < 0.001",
    selective: false,
  },
]

function describePlans(
  name: string,
  open: () => Promise<{ url: string; dialect: Dialect; done?: () => void }>,
  planner: Planner,
  skip = false,
): void {
  describe.skipIf(skip)(`property filter plans on ${name}`, () => {
    let driver: Driver
    let cleanUp: (() => void) | undefined
    beforeAll(async () => {
      const { url, dialect, done } = await open()
      cleanUp = done
      const store = await openStore(url)
      await fill(store)
      await store.close()
      driver = await dialect.createDriver()
    })
    afterAll(async () => {
      await driver?.close()
      cleanUp?.()
    })

    const planOf = (filter: string) =>
      driver.transaction(async (connection) => {
        const query = listQuerySchema.parse({ filter, limit: 10 })
        const { sql, params } = await listPageQuery(
          connection,
          nodeTables.artifact,
          { ...query, limit: 10 },
        )
        return { sql, plan: await planner.explain(connection, sql, params) }
      })

    for (const { filter, selective } of filters) {
      it(`${filter}: no full read of artifact_property${selective ? ' nor of artifact' : ''}`, async () => {
        const { sql, plan } = await planOf(filter)
        expect(
          planner.scans(plan, 'artifact_property', 'fp'),
          plan.join('\n'),
        ).toEqual([])
        if (selective) {
          // The few matches are read first, so the page needs no walk over the nodes.
          expect(sql).toContain('t.id IN (SELECT')
          expect(planner.scans(plan, 'artifact', 't'), plan.join('\n')).toEqual(
            [],
          )
        } else {
          expect(sql).toContain('EXISTS')
        }
      })
    }

    it('reads few matches from the property index when a page skips its probing window', async () => {
      const { sql, plan } = await driver.transaction(async (connection) => {
        const query = listQuerySchema.parse({
          filter:
            "properties.accuracy > 0.999 AND properties.framework = 'jax'",
        })
        const { sql, params } = await listPageQuery(
          connection,
          nodeTables.artifact,
          { ...query, limit: 10 },
          { readMatchesFirst: true },
        )
        return { sql, plan: await planner.explain(connection, sql, params) }
      })
      expect(sql).not.toContain('EXISTS')
      expect(
        planner.scans(plan, 'artifact_property', 'fp'),
        plan.join('\n'),
      ).toEqual([])
      expect(planner.scans(plan, 'artifact', 't'), plan.join('\n')).toEqual([])
    })

    it('catches a plan that reads the property table whole (the check can fail)', async () => {
      await driver
        .transaction(async (connection) => {
          await connection.execute('DROP INDEX artifact_property_number')
          await connection.execute('DROP INDEX artifact_property_string')
          const query = listQuerySchema.parse({
            filter: 'properties.accuracy > 0.999',
          })
          const { sql, params } = await listPageQuery(
            connection,
            nodeTables.artifact,
            { ...query, limit: 10 },
          )
          const plan = await planner.explain(connection, sql, params)
          expect(
            planner.scans(plan, 'artifact_property', 'fp').length,
            plan.join('\n'),
          ).toBeGreaterThan(0)
          throw new Error('roll back')
        })
        .catch((error: Error) => {
          if (error.message !== 'roll back') throw error
        })
    })
  })
}

describePlans(
  'SQLite',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lore-plan-'))
    const path = join(directory, 'plan.db')
    return {
      url: `sqlite:${path}`,
      dialect: new SqliteDialect({ path }),
      done: () => rmSync(directory, { recursive: true, force: true }),
    }
  },
  sqlitePlanner,
)

const postgres: TestServer = await postgresServer()
const postgresSkip = postgres.unreachable !== undefined && !requireDialects
if (postgresSkip)
  console.warn(
    `Skipping the PostgreSQL plan tests: ${postgres.url} is unreachable (${postgres.unreachable}); LORE_REQUIRE_DIALECTS=1 makes this a failure.`,
  )
describePlans(
  'PostgreSQL',
  async () => {
    const url = await postgres.fresh()
    return {
      url,
      dialect: postgres.dialect(url),
      done: () => void postgres.dropAll(),
    }
  },
  postgresPlanner,
  postgresSkip,
)
if (postgresSkip) await postgres.dropAll()
