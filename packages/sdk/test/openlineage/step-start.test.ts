import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { artifact, pipeline, shutdown, step } from '../../src/index.js'
import { runCli } from '../../src/cli/index.js'
import {
  closeOpenLineage,
  configureOpenLineage,
} from '../../src/openlineage/openlineage-registry.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { loadOrders } from './orders-pipeline.js'

let temp: TempStore
let server: Server | undefined
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  await closeOpenLineage(0)
  await configureOpenLineage({})
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
  await temp.cleanup()
})

/** A receiver on 127.0.0.1 that takes every event and tells `onEvent` of each. */
async function receiver(
  onEvent: (event: OpenLineageRunEvent) => void,
): Promise<{ url: string; taken: OpenLineageRunEvent[] }> {
  const taken: OpenLineageRunEvent[] = []
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const event = JSON.parse(
        gunzipSync(Buffer.concat(chunks)).toString(),
      ) as OpenLineageRunEvent
      taken.push(event)
      response.writeHead(201).end()
      onEvent(event)
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    taken,
  }
}

describe("a step's OpenLineage START", () => {
  it('reaches the receiver while the step still runs, with its inputs, parent and redacted parameters, as the export has it', async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    // The step returns only once the receiver has its START: were START sent at the step's
    // end (or once its record is written), the run would never end.
    const target = await receiver((event) => {
      if (
        event.job.name === 'gated.waitForStart' &&
        event.eventType === 'START'
      )
        release()
    })
    const waitForStart = step(async function waitForStart(
      rows: { amount: number }[],
      options: { apiKey: string; factor: number },
    ) {
      await released
      return rows.length * options.factor
    })
    const gated = pipeline(
      'gated',
      { config: z.object({ input: z.string() }) },
      async (config) => {
        const rows = await loadOrders(
          artifact.file(config.input, { type: 'Dataset' }),
        )
        return waitForStart(rows, {
          apiKey: 'sk-proj-GatedSecretValue1234567890',
          factor: 2,
        })
      },
    )
    await configureOpenLineage({
      url: target.url,
      outboxPath: join(temp.dir, 'outbox.db'),
    })
    const input = join(temp.dir, 'orders.csv')
    await writeFile(input, 'id,customer,amount\n1,ada,30\n2,bob,20\n')
    const { status, runId } = await gated.run({ input }, { store: temp.url })
    expect(status).toBe('COMPLETE')
    await shutdown()
    await closeOpenLineage(60_000)

    const names = target.taken.map(
      (event) => `${event.job.name} ${event.eventType}`,
    )
    expect(names.indexOf('gated.waitForStart START')).toBeLessThan(
      names.indexOf('gated.waitForStart COMPLETE'),
    )
    expect(names[0]).toBe('gated START')
    const start = target.taken.find(
      (event) =>
        event.job.name === 'gated.waitForStart' && event.eventType === 'START',
    )!
    // The rows loadOrders returned, known when the step started.
    expect(start.inputs).toHaveLength(1)
    expect(start.inputs?.[0]?.facets?.version).toBeDefined()
    expect(start.run.facets?.parent).toMatchObject({ job: { name: 'gated' } })
    expect(JSON.stringify(start)).not.toContain('GatedSecretValue')
    expect(JSON.stringify(start.run.facets?.executionParameters)).toContain(
      'factor',
    )

    let stdout = ''
    const code = await runCli(
      ['export', 'openlineage', '--store', temp.url, '--run', runId],
      {
        stdout: (text) => (stdout += text),
        stderr: () => undefined,
        interactive: false,
      },
    )
    expect(code).toBe(0)
    const exported = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as OpenLineageRunEvent)
    expect(
      exported.find(
        (event) =>
          event.run.runId === start.run.runId && event.eventType === 'START',
      ),
    ).toEqual(start)
  })

  it('reads the store again only once the recorder queued something: a long step costs no reads', async () => {
    let started: () => void = () => undefined
    const startSeen = new Promise<void>((resolve) => (started = resolve))
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    const target = await receiver((event) => {
      if (event.job.name === 'idle.longStep' && event.eventType === 'START')
        started()
    })
    const store = await temp.open()
    let reads = 0
    const getExecutions = store.getExecutions.bind(store)
    store.getExecutions = (query) => {
      reads++
      return getExecutions(query)
    }
    const longStep = step(async function longStep(value: number) {
      await released
      return value + 1
    })
    await configureOpenLineage({
      url: target.url,
      outboxPath: join(temp.dir, 'outbox.db'),
      intervalMs: 5,
    })
    const running = pipeline('idle', {}, async () => longStep(1)).run(
      undefined,
      { store },
    )
    await startSeen
    // Many intervals of the sink pass while the step runs and nothing new is recorded.
    await new Promise((resolve) => setTimeout(resolve, 30))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const before = reads
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(reads).toBe(before)
    release()
    expect((await running).status).toBe('COMPLETE')
    await shutdown()
    await closeOpenLineage(60_000)
    expect(
      target.taken.map((event) => `${event.job.name} ${event.eventType}`),
    ).toEqual([
      'idle START',
      'idle.longStep START',
      'idle.longStep COMPLETE',
      'idle COMPLETE',
    ])
  })
})
