import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, SqliteDialect } from '../src/index.js'
import type { Driver } from '../src/sql/dialect.js'
import { walkSql } from '../src/sql/lineage-query.js'

/**
 * The planner's word on the lineage walk: each step reads one index (no event row, no scan of
 * the event table), whichever way the walk goes. A downstream step from an artifact finds the
 * executions that read it in the covering event index of schema 7.
 */

let directory: string
let driver: Driver
let dialect: SqliteDialect

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'lore-lineage-plan-'))
  const path = join(directory, 'plan.db')
  const store = await openStore(`sqlite:${path}`)
  await store.putArtifactType({ name: 'Dataset' })
  await store.putExecutionType({ name: 'Train' })
  await store.putExecution({
    execution: { type: 'Train', name: 'train' },
    artifactEventPairs: [
      {
        artifact: { type: 'Dataset', uri: 's3://plan/in' },
        event: { type: 'INPUT' },
      },
      {
        artifact: { type: 'Dataset', uri: 's3://plan/out' },
        event: { type: 'OUTPUT' },
      },
    ],
  })
  await store.close()
  dialect = new SqliteDialect({ path })
  driver = await dialect.createDriver()
})

afterAll(async () => {
  await driver?.close()
  rmSync(directory, { recursive: true, force: true })
})

const planOf = (direction: 'upstream' | 'downstream' | 'both') =>
  driver.transaction(async (connection) => {
    const { sql, params } = walkSql(dialect.adapter, {
      artifactIds: [1],
      executionIds: [],
      direction,
      maxHops: 10,
    })
    const rows = await connection.query<{ detail: string }>(
      `EXPLAIN QUERY PLAN ${sql}`,
      params,
    )
    return rows.map((row) => row.detail.trim())
  })

describe('lineage walk plans on SQLite', () => {
  for (const direction of ['upstream', 'downstream', 'both'] as const) {
    it(`${direction}: every step reads a covering event index`, async () => {
      const plan = await planOf(direction)
      const eventReads = plan.filter((line) => /\bev\b/.test(line))
      expect(eventReads, plan.join('\n')).toHaveLength(2)
      for (const line of eventReads)
        expect(line, plan.join('\n')).toMatch(/^SEARCH ev USING COVERING INDEX/)
      expect(plan.join('\n')).toContain(
        'COVERING INDEX event_artifact_execution (artifact_id=?',
      )
    })
  }

  it('catches a step that reads event rows (the check can fail)', async () => {
    await driver
      .transaction(async (connection) => {
        await connection.execute(
          'CREATE INDEX event_artifact ON event (artifact_id, type)',
        )
        await connection.execute('DROP INDEX event_artifact_execution')
        const { sql, params } = walkSql(dialect.adapter, {
          artifactIds: [1],
          executionIds: [],
          direction: 'downstream',
          maxHops: 10,
        })
        const rows = await connection.query<{ detail: string }>(
          `EXPLAIN QUERY PLAN ${sql}`,
          params,
        )
        const plan = rows.map((row) => row.detail.trim())
        expect(
          plan.some((line) =>
            /^SEARCH ev USING INDEX event_artifact /.test(line),
          ),
          plan.join('\n'),
        ).toBe(true)
        throw new Error('roll back')
      })
      .catch((error: Error) => {
        if (error.message !== 'roll back') throw error
      })
  })
})
