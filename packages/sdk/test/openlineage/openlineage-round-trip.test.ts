import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openStore, readableNodeName, type MetadataStore } from '@lore/store'
import {
  createOpenLineageValidator,
  type OpenLineageRunEvent,
} from '@lore/store/openlineage'
import { createStoreServer, type StoreServer } from '@lore/store/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { shutdown } from '../../src/index.js'
import { HttpTransport } from '../../src/openlineage/http-transport.js'
import { loreMetricsFacetSchema } from '../../src/openlineage/openlineage-facets.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { foreignEvents } from './foreign-events.js'
import { importedGraph, loreRunGraph } from './lineage-graph.js'
import { ordersPipeline } from './orders-pipeline.js'

let temp: TempStore
let served:
  { server: StoreServer; store: MetadataStore; url: string } | undefined
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  if (served !== undefined) {
    await served.server.close()
    await served.store.close()
    served = undefined
  }
  await temp.cleanup()
})

async function serveEmptyStore(): Promise<{
  store: MetadataStore
  url: string
}> {
  const store = await openStore('sqlite::memory:')
  const server = createStoreServer(store, { host: '127.0.0.1', port: 0 })
  const url = await server.listen()
  served = { server, store, url }
  return served
}

async function exportEvents(...args: string[]): Promise<OpenLineageRunEvent[]> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(
    ['export', 'openlineage', ...args, '--store', temp.url],
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      interactive: false,
    },
  )
  expect(stderr).toBe('')
  expect(code).toBe(0)
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OpenLineageRunEvent)
}

const orders =
  'id,customer,amount\n1,ada,30\n2,ada,50\n3,bob,20\n4,cy,70\n5,bob,25\n'

async function runOrders(input: string): Promise<string> {
  await writeFile(input, orders)
  const { runId } = await ordersPipeline.run(
    { input, smoothing: 0.5, apiKey: 'sk-proj-RoundTripSecretValue123456' },
    { store: temp.url },
  )
  await shutdown()
  return runId
}

async function postAll(url: string, events: readonly OpenLineageRunEvent[]) {
  // Through the real endpoint, with the transport pipelines use.
  const transport = new HttpTransport({ url, retries: 0 })
  for (const event of events) await transport.emit(event)
  await transport.close()
}

describe('lore export openlineage', () => {
  it('exports a run whose events, imported into an empty store through POST /api/v1/lineage, give the same graph of datasets and jobs', async () => {
    const runId = await runOrders(join(temp.dir, 'orders.csv'))
    const events = await exportEvents('--run', runId)
    const validator = createOpenLineageValidator({
      facetSchemas: [loreMetricsFacetSchema()],
      requireKnownFacets: true,
    })
    for (const event of events)
      expect(validator.validate(event).issues).toEqual([])

    // What the events say, facet by facet.
    const byJob = (name: string, type: string) =>
      events.find(
        (event) => event.job.name === name && event.eventType === type,
      )
    const fit = byJob('orders-model.fitModel', 'COMPLETE')
    expect(fit?.job.facets?.jobType).toMatchObject({
      jobType: 'MODEL',
      integration: 'LORE',
    })
    expect(byJob('orders-model', 'START')?.job.facets?.jobType).toMatchObject({
      jobType: 'DAG',
    })
    expect(
      byJob('orders-model.loadOrders', 'START')?.job.facets?.jobType,
    ).toMatchObject({
      jobType: 'TASK',
    })
    expect(fit?.run.facets?.processing_engine).toMatchObject({
      name: 'Lore',
      version: '0.1.0',
    })
    expect(fit?.run.facets?.parent).toMatchObject({
      run: { runId },
      job: { namespace: 'lore', name: 'orders-model' },
      root: { run: { runId }, job: { name: 'orders-model' } },
    })
    const nested = byJob('orders-model.meanOf', 'COMPLETE')
    expect(nested?.run.facets?.parent).toMatchObject({
      run: { runId: fit?.run.runId },
      job: { name: 'orders-model.fitModel' },
      root: { run: { runId } },
    })
    expect(fit?.run.facets?.lore_metrics).toMatchObject({
      _schemaURL:
        'https://lore.dev/spec/facets/1-0-0/LoreMetricsRunFacet.json#/$defs/LoreMetricsRunFacet',
      metrics: [
        { key: 'loss', value: 1 / 3, step: 2, count: 3, min: 1 / 3, max: 1 },
      ],
    })
    expect(
      byJob('orders-model', 'COMPLETE')?.run.facets?.lore_metrics,
    ).toMatchObject({
      metrics: [{ key: 'rows', value: 5 }],
    })
    const model = fit?.outputs?.[0]
    expect(model?.facets?.datasetType).toMatchObject({ datasetType: 'MODEL' })
    const load = byJob('orders-model.loadOrders', 'COMPLETE')
    const sha = createHash('sha256').update(orders).digest('hex')
    expect(load?.inputs?.[0]).toMatchObject({
      namespace: 'file',
      name: join(temp.dir, 'orders.csv'),
      facets: {
        version: { datasetVersion: sha },
        dataSource: { name: 'file' },
      },
    })
    expect(load?.outputs?.[0]?.facets?.schema).toMatchObject({
      fields: [
        { name: 'id', type: 'number' },
        { name: 'customer', type: 'string' },
        { name: 'amount', type: 'number' },
      ],
    })
    expect(fit?.run.facets?.executionParameters).toBeDefined()
    expect(JSON.stringify(events)).not.toContain('RoundTripSecretValue')

    const target = await serveEmptyStore()
    await postAll(target.url, events)
    const original = await openStore(temp.url)
    const expected = await loreRunGraph(original, runId)
    await original.close()
    expect(expected.length).toBeGreaterThan(10)
    expect(await importedGraph(target.store)).toEqual(expected)
  })

  it('exports every run, or only those started since --since', async () => {
    const first = await runOrders(join(temp.dir, 'orders.csv'))
    const second = await runOrders(join(temp.dir, 'orders-2.csv'))
    const runIds = (events: OpenLineageRunEvent[]) =>
      new Set(
        events
          .filter((event) => event.job.name === 'orders-model')
          .map((event) => event.run.runId),
      )
    expect(runIds(await exportEvents())).toEqual(new Set([first, second]))
    expect(runIds(await exportEvents('--since', '1h'))).toEqual(
      new Set([first, second]),
    )
    expect(await exportEvents('--since', '2999-01-01')).toEqual([])
  })

  it.each([
    ['with', true],
    ['without', false],
  ])(
    'takes a hand-written Airflow and Spark stream (the file %s a version) next to a Lore run, and joins them through the file they share',
    async (_label, versioned) => {
      const input = join(temp.dir, 'orders.csv')
      const runId = await runOrders(input)
      const lore = await exportEvents('--run', runId)
      const sha = createHash('sha256')
        .update(await readFile(input))
        .digest('hex')
      const foreign = foreignEvents(input, versioned ? sha : undefined)
      const validator = createOpenLineageValidator({ requireKnownFacets: true })
      for (const event of foreign.events)
        expect(validator.validate(event).issues).toEqual([])

      const target = await serveEmptyStore()
      // Airflow exported the file before the Lore run read it; events arrive in that order.
      await postAll(target.url, [...foreign.events, ...lore])
      const store = target.store
      const shared = (await store.getArtifacts({ uri: `file://${input}` }))
        .items
      expect(shared).toHaveLength(1)
      const events = await store.getEvents({ artifactIds: [shared[0]!.id] })
      const executions = (
        await store.getExecutions({
          ids: events.map((event) => event.executionId),
        })
      ).items
      const uses = events
        .map((event) => {
          const execution = executions.find(
            (candidate) => candidate.id === event.executionId,
          )
          return `${event.type} ${readableNodeName(execution?.name ?? '')}`
        })
        .sort()
      expect(uses).toEqual([
        'INPUT orders-model.loadOrders',
        'INPUT orders_enrich.read_csv',
        'OUTPUT orders_daily.export_orders',
      ])
      // The Lore model's lineage now reaches back, through the file, to the Postgres table.
      const fit = lore.find(
        (event) =>
          event.job.name === 'orders-model.fitModel' &&
          event.eventType === 'COMPLETE',
      )
      const modelUri = `lore:${fit?.outputs?.[0]?.name}`
      const [modelArtifact] = (await store.getArtifacts({ uri: modelUri }))
        .items
      expect(modelArtifact).toBeDefined()
      const upstream = await store.getLineageSubgraph({
        artifactIds: [modelArtifact!.id],
        direction: 'upstream',
      })
      expect(upstream.artifacts.map((artifact) => artifact.uri)).toContain(
        'postgres://db.internal:5432/shop.public.orders',
      )
    },
  )
})
