import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openStore } from '@lore/store'
import { createOpenLineageValidator } from '@lore/store/openlineage'
import { createStoreServer, SqliteTokenStore } from '@lore/store/server'
import { describe, expect, it } from 'vitest'
import { flush, shutdown } from '../../src/index.js'
import { Outbox } from '../../src/outbox/outbox.js'
import { loreMetricsFacetSchema } from '../../src/openlineage/openlineage-facets.js'
import {
  closeOpenLineage,
  configureOpenLineage,
} from '../../src/openlineage/openlineage-registry.js'
import { openLineageTestEnv } from './lineage-test-env.js'
import { importedGraph, loreRunGraph } from './lineage-graph.js'
import { ordersPipeline } from './orders-pipeline.js'

const env = openLineageTestEnv()
const temp = env.temp

describe('live OpenLineage emission from the recorder', () => {
  it('lets a pipeline finish while the receiver is down, keeps its events in the outbox, and sends them in order once it answers', async () => {
    const target = await env.receiver()
    target.up = false
    const outboxPath = join(temp().dir, 'outbox.db')
    const warnings: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((text: string) => {
      warnings.push(String(text))
      return true
    }) as typeof process.stderr.write
    try {
      await configureOpenLineage({
        url: target.url,
        outboxPath,
        namespace: 'live-test',
        apiKey: 'ol-live-key',
      })
      const input = join(temp().dir, 'orders.csv')
      await writeFile(input, 'id,customer,amount\n1,ada,30\n2,bob,20\n')
      const { status } = await ordersPipeline.run(
        { input, smoothing: 0, apiKey: 'sk-proj-LiveSecretValue1234567890' },
        { store: temp().url },
      )
      expect(status).toBe('COMPLETE')
      await flush()
    } finally {
      process.stderr.write = write
    }
    expect(target.tries).toBeGreaterThan(0)
    expect(target.taken).toEqual([])
    expect(warnings.join('')).toMatch(
      /lore: OpenLineage: http http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage did not take the event after 4 tries/,
    )
    const outbox = new Outbox(outboxPath)
    const waiting = outbox.list(`${target.url}/api/v1/lineage`)
    outbox.close()
    // The pipeline START, 5 step calls (meanOf once per customer) × START and COMPLETE,
    // and the pipeline COMPLETE.
    expect(waiting).toHaveLength(12)

    target.up = true
    await closeOpenLineage(60_000)
    const names = target.taken.map(
      (event) => `${event.job.name} ${event.eventType}`,
    )
    expect(
      names.map((name) => `openlineage ${name.split(' ').reverse().join(' ')}`),
    ).toEqual(waiting.map((record) => record.operation))
    expect(names[0]).toBe('orders-model START')
    expect(names.at(-1)).toBe('orders-model COMPLETE')
    for (const event of target.taken) {
      expect(event.job.namespace).toBe('live-test')
      const starts = names.indexOf(`${event.job.name} START`)
      expect(starts).toBeGreaterThanOrEqual(0)
      expect(starts).toBeLessThanOrEqual(
        names.indexOf(`${event.job.name} ${event.eventType}`),
      )
    }
    const validator = createOpenLineageValidator({
      facetSchemas: [loreMetricsFacetSchema()],
      requireKnownFacets: true,
    })
    for (const event of target.taken)
      expect(validator.validate(event).issues).toEqual([])
    expect(JSON.stringify(target.taken)).not.toContain('LiveSecretValue')
    const reopened = new Outbox(outboxPath)
    expect(reopened.list()).toEqual([])
    reopened.close()
  })

  it('emits live into a Lore server with a write token, whose graph is then the recorded run’s', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    const target = await openStore('sqlite::memory:')
    const lore = createStoreServer(target, {
      host: '127.0.0.1',
      port: 0,
      tokens,
    })
    try {
      const url = await lore.listen()
      const writer = await tokens.create({ name: 'lineage', scope: 'write' })
      await configureOpenLineage({
        url,
        apiKey: writer.token,
        outboxPath: join(temp().dir, 'outbox.db'),
      })
      const input = join(temp().dir, 'orders.csv')
      await writeFile(
        input,
        'id,customer,amount\n1,ada,30\n2,bob,20\n3,ada,10\n',
      )
      const { runId } = await ordersPipeline.run(
        { input, smoothing: 1, apiKey: 'sk-proj-LiveSecretValue1234567890' },
        { store: temp().url },
      )
      await shutdown()
      await closeOpenLineage(60_000)
      const recorded = await temp().open()
      expect(await importedGraph(target)).toEqual(
        await loreRunGraph(recorded, runId),
      )
    } finally {
      await lore.close()
      await target.close()
      await tokens.close()
    }
  })
})
