import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, SqliteDialect } from '../src/index.js'
import type { Driver } from '../src/sql/dialect.js'
import { eventsBetween, eventsBetweenSql } from '../src/sql/lineage-query.js'
import { idList } from '../src/sql/node-reader.js'

/**
 * The events of a lineage subgraph are read with both ends in the reached nodes, in SQL, and
 * id lists are padded so that a few statement texts serve every count of ids.
 */

let directory: string
let driver: Driver
let dialect: SqliteDialect
let ids: { a1: number; a2: number; a3: number; e1: number }

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'lore-lineage-events-'))
  const path = join(directory, 'events.db')
  const store = await openStore(`sqlite:${path}`)
  await store.putArtifactType({ name: 'Dataset' })
  await store.putExecutionType({ name: 'Train' })
  await store.putExecution({
    execution: { type: 'Train', name: 'train' },
    artifactEventPairs: [
      {
        artifact: { type: 'Dataset', uri: 's3://events/a1' },
        event: { type: 'INPUT' },
      },
      {
        artifact: { type: 'Dataset', uri: 's3://events/a2' },
        event: { type: 'INPUT' },
      },
      {
        artifact: { type: 'Dataset', uri: 's3://events/a3' },
        event: { type: 'OUTPUT' },
      },
    ],
  })
  const artifacts = (await store.getArtifacts()).items
  const byUri = (uri: string) =>
    artifacts.find((artifact) => artifact.uri === uri)?.id ?? 0
  ids = {
    a1: byUri('s3://events/a1'),
    a2: byUri('s3://events/a2'),
    a3: byUri('s3://events/a3'),
    e1: (await store.getExecutions()).items[0]?.id ?? 0,
  }
  await store.close()
  dialect = new SqliteDialect({ path })
  driver = await dialect.createDriver()
})

afterAll(async () => {
  await driver?.close()
  rmSync(directory, { recursive: true, force: true })
})

describe('idList', () => {
  it('pads to a power of two, then to multiples of 4,096, with the last id', () => {
    expect(idList([])).toEqual({ sql: 'NULL', params: [] })
    expect(idList([7])).toEqual({ sql: '?', params: [7] })
    expect(idList([5, 6, 7])).toEqual({
      sql: '?, ?, ?, ?',
      params: [5, 6, 7, 7],
    })
    expect(
      idList(Array.from({ length: 2400 }, (_, i) => i)).params,
    ).toHaveLength(4096)
    const long = idList(Array.from({ length: 4097 }, (_, i) => i))
    expect(long.params).toHaveLength(8192)
    expect(long.params.at(-1)).toBe(4096)
    expect(long.sql.split('?')).toHaveLength(8193)
  })
})

describe('eventsBetween on SQLite', () => {
  const read = (maxParameters: number) =>
    driver.transaction((connection) =>
      eventsBetween(
        connection,
        { ...dialect.adapter, maxParameters },
        [ids.e1],
        [ids.a1, ids.a3],
      ),
    )

  for (const [label, maxParameters] of [
    ['with both lists in SQL', dialect?.adapter.maxParameters ?? 32_766],
    ['with the artifacts matched in JS', 10],
  ] as const) {
    it(`${label}: only events whose both ends are listed, by id`, async () => {
      const events = await read(maxParameters)
      expect(
        events.map((event) => [
          event.artifactId,
          event.executionId,
          event.type,
        ]),
      ).toEqual([
        [ids.a1, ids.e1, 'INPUT'],
        [ids.a3, ids.e1, 'OUTPUT'],
      ])
      expect(events.some((event) => event.artifactId === ids.a2)).toBe(false)
    })
  }

  it('seeks executions on the index, never every pair of the two lists', async () => {
    const executions = idList([ids.e1])
    const artifacts = idList([ids.a1, ids.a3])
    const plan = await driver.transaction(async (connection) => {
      const rows = await connection.query<{ detail: string }>(
        `EXPLAIN QUERY PLAN ${eventsBetweenSql(executions.sql, artifacts.sql)}`,
        [...executions.params, ...artifacts.params],
      )
      return rows.map((row) => row.detail).join('\n')
    })
    expect(plan).toContain('(execution_id=?)')
    expect(plan).not.toContain('artifact_id=?')
  })
})
