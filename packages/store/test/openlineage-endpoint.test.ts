import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createOpenLineageValidator,
  openLineagePath,
} from '../src/openlineage/index.js'
import { SqliteTokenStore } from '../src/server/index.js'
import { type MetadataStore } from '../src/index.js'
import { foreignStream } from './fixtures/foreign-openlineage-events.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'

let served: ServedStore | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

const written = { namespace: 'file', name: '/data/exports/orders.csv' }

async function postAll(
  target: ServedStore,
  events: readonly object[],
): Promise<number[]> {
  const statuses: number[] = []
  for (const event of events)
    statuses.push((await target.post(openLineagePath, event)).status)
  return statuses
}

async function executionOf(store: MetadataStore, runId: string) {
  const [execution] = (
    await store.getExecutions({ externalIds: [`openlineage:run:${runId}`] })
  ).items
  if (execution === undefined) throw new Error(`run ${runId} was not imported`)
  return execution
}

describe('POST /api/v1/lineage', () => {
  it('takes an Airflow and Spark event stream and joins their runs through the dataset they share', async () => {
    served = await serveStore()
    const stream = foreignStream(written)
    const validator = createOpenLineageValidator()
    for (const event of stream.events)
      expect(validator.validate(event).issues).toEqual([])
    expect(await postAll(served, stream.events)).toEqual(
      stream.events.map(() => 201),
    )

    const store = served.store
    const shared = (
      await store.getArtifacts({ uri: 'file:///data/exports/orders.csv' })
    ).items
    expect(shared).toHaveLength(1)
    const task = await executionOf(store, stream.taskRunId)
    const spark = await executionOf(store, stream.sparkRunId)
    expect(task).toMatchObject({
      type: 'airflow-prod/orders_daily.extract_orders',
      name: expect.stringMatching(
        /^orders_daily\.extract_orders#[0-9a-f]{16}$/,
      ),
      lastKnownState: 'COMPLETE',
      startTimeSinceEpoch: Date.parse('2026-12-01T02:00:01.000Z'),
      endTimeSinceEpoch: Date.parse('2026-12-01T02:00:30.000Z'),
    })
    expect(spark.lastKnownState).toBe('COMPLETE')

    // Upstream of the Parquet table: Spark, the CSV the Airflow task wrote, the task, Postgres.
    const [table] = (
      await store.getArtifacts({ uri: 's3://warehouse/orders_clean' })
    ).items
    const lineage = await store.getLineageSubgraph({
      artifactIds: [table!.id],
      direction: 'upstream',
    })
    expect(lineage.executions.map((execution) => execution.id).sort()).toEqual(
      [task.id, spark.id].sort(),
    )
    expect(lineage.artifacts.map((artifact) => artifact.uri).sort()).toEqual([
      'file:///data/exports/orders.csv',
      'postgres://db.internal:5432/shop.public.orders',
      's3://warehouse/orders_clean',
    ])
    expect(table!.customProperties.openlineage).toMatchObject({
      namespace: 's3://warehouse',
      name: 'orders_clean',
      facets: {
        symlinks: { identifiers: [{ name: 'analytics.orders_clean' }] },
      },
    })
    // The facets of a run accumulate over its events: START's sql stays after COMPLETE.
    expect(task.customProperties.openlineage).toMatchObject({
      job: { namespace: 'airflow-prod', name: 'orders_daily.extract_orders' },
      jobFacets: {
        sql: { query: expect.stringContaining('FROM public.orders') },
      },
      runFacets: { airflow: { taskInstance: { try_number: 1 } } },
    })

    // Parent facets: spark run ⊂ task run ⊂ DAG run.
    const [sparkContext] = (
      await store.getContexts({
        externalIds: [`openlineage:run:${stream.sparkRunId}`],
      })
    ).items
    const [taskContext] = await store.getParentContexts(sparkContext!.id)
    expect(taskContext?.externalId).toBe(`openlineage:run:${stream.taskRunId}`)
    const [dagContext] = await store.getParentContexts(taskContext!.id)
    expect(dagContext?.externalId).toBe(`openlineage:run:${stream.dagRunId}`)
    expect(dagContext?.name).toBe(
      `airflow-prod/orders_daily/${stream.dagRunId}`,
    )
  })

  it('joins an artifact another writer recorded at the same uri, instead of making a second node', async () => {
    served = await serveStore()
    const store = served.store
    await store.putArtifactType({ name: 'Dataset', baseType: 'Dataset' })
    await store.putExecutionType({ name: 'Transform', baseType: 'Transform' })
    const { artifactIds } = await store.putExecution({
      execution: { type: 'Transform', lastKnownState: 'COMPLETE' },
      artifactEventPairs: [
        {
          artifact: {
            type: 'Dataset',
            uri: 'file:///data/exports/orders.csv',
            fingerprint: 'a'.repeat(64),
          },
          event: { type: 'INPUT' },
        },
      ],
    })
    await postAll(served, foreignStream(written).events)
    const atUri = (
      await store.getArtifacts({ uri: 'file:///data/exports/orders.csv' })
    ).items
    expect(atUri.map((artifact) => artifact.id)).toEqual(artifactIds)
    const events = await store.getEvents({ artifactIds })
    expect(events.map((event) => event.type).sort()).toEqual([
      'INPUT',
      'INPUT',
      'OUTPUT',
    ])
  })

  it('writes nothing new when the same stream arrives twice', async () => {
    served = await serveStore()
    const { events } = foreignStream(written)
    await postAll(served, events)
    const count = async () => ({
      artifacts: (await served!.store.getArtifacts({})).items.length,
      executions: (await served!.store.getExecutions({})).items.length,
      contexts: (await served!.store.getContexts({})).items.length,
      events: (
        await served!.store.getEvents({
          executionIds: (await served!.store.getExecutions({})).items.map(
            (execution) => execution.id,
          ),
        })
      ).length,
    })
    const first = await count()
    await postAll(served, events)
    expect(await count()).toEqual(first)
  })

  it('refuses an invalid event with a 400 that lists every issue, and writes nothing', async () => {
    served = await serveStore()
    const [, task] = foreignStream(written).events
    const broken = structuredClone(task!) as any
    broken.run.runId = 'not-a-uuid'
    broken.eventTime = 'yesterday'
    broken.job.facets.sql.query = 42
    delete broken.job.name
    const answer = await served.post(openLineagePath, broken)
    expect(answer.status).toBe(400)
    expect(answer.json.error.code).toBe('INVALID_ARGUMENT')
    const messages = answer.json.error.issues.map((issue: any) => issue.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('run.runId: must match format "uuid"'),
        expect.stringContaining('eventTime: must match format "date-time"'),
        expect.stringContaining("job: must have required property 'name'"),
      ]),
    )
    // A facet is checked against its own schema once the event itself is valid.
    const badFacet = structuredClone(task!) as any
    badFacet.job.facets.sql.query = 42
    const facetAnswer = await served.post(openLineagePath, badFacet)
    expect(facetAnswer.status).toBe(400)
    expect(facetAnswer.json.error.issues).toEqual([
      expect.objectContaining({
        path: ['job', 'facets', 'sql', 'query'],
        message: expect.stringContaining('SQLJobFacet.json'),
      }),
    ])
    const ownParent = structuredClone(task!) as any
    ownParent.run.facets.parent.run.runId = ownParent.run.runId
    expect((await served.post(openLineagePath, ownParent)).status).toBe(400)
    expect((await served.store.getExecutions({})).items).toEqual([])
  })

  it('records a FAIL with its error message and stack, and an ABORT as canceled', async () => {
    served = await serveStore()
    const [dagStart] = foreignStream(written).events
    const failed = structuredClone(dagStart!) as any
    failed.eventType = 'FAIL'
    failed.eventTime = '2026-12-01T02:05:00.000Z'
    failed.run.facets = {
      errorMessage: {
        _producer: 'https://example.com/producer',
        _schemaURL:
          'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
        message: 'relation "orders" does not exist',
        programmingLanguage: 'PYTHON',
        stackTrace:
          'Traceback (most recent call last):\n  File "dag.py", line 3',
      },
    }
    expect(await postAll(served, [dagStart!, failed])).toEqual([201, 201])
    const execution = (await served.store.getExecutions({})).items[0]!
    expect(execution).toMatchObject({
      lastKnownState: 'FAILED',
      endTimeSinceEpoch: Date.parse('2026-12-01T02:05:00.000Z'),
      error: {
        name: 'PYTHON error',
        message: 'relation "orders" does not exist',
        stack: expect.stringContaining('Traceback'),
      },
    })
    // A START that arrives after the end does not reopen the run.
    await postAll(served, [dagStart!])
    expect(
      (await served.store.getExecutions({})).items[0]?.lastKnownState,
    ).toBe('FAILED')
    const aborted = structuredClone(dagStart!) as any
    aborted.run.runId = '01936b2e-2a3c-7d7e-8f90-0000000000ff'
    aborted.eventType = 'ABORT'
    await postAll(served, [aborted])
    const [canceled] = (
      await served.store.getExecutions({
        externalIds: ['openlineage:run:01936b2e-2a3c-7d7e-8f90-0000000000ff'],
      })
    ).items
    expect(canceled?.lastKnownState).toBe('CANCELED')
  })

  it('accepts a gzip body, as the OpenLineage clients send with compression on', async () => {
    served = await serveStore()
    const [dagStart] = foreignStream(written).events
    const response = await fetch(`${served.url}${openLineagePath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify(dagStart)),
    })
    expect(response.status).toBe(201)
    expect((await served.store.getExecutions({})).items).toHaveLength(1)
    const garbage = await fetch(`${served.url}${openLineagePath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: 'not gzip at all',
    })
    expect(garbage.status).toBe(400)
  })

  it('needs a write token when auth is on', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    try {
      served = await serveStore({ tokens })
      const reader = await tokens.create({ name: 'reader', scope: 'read' })
      const writer = await tokens.create({ name: 'writer', scope: 'write' })
      const [dagStart] = foreignStream(written).events
      expect((await served.post(openLineagePath, dagStart!)).status).toBe(401)
      const denied = await served.post(openLineagePath, dagStart!, {
        authorization: `Bearer ${reader.token}`,
      })
      expect(denied.status).toBe(403)
      expect(denied.json.error.message).toContain("needs 'write'")
      const accepted = await served.post(openLineagePath, dagStart!, {
        authorization: `Bearer ${writer.token}`,
      })
      expect(accepted.status).toBe(201)
    } finally {
      await served?.close()
      served = undefined
      await tokens.close()
    }
  })
})
