import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { artifact, pipeline, shutdown, step } from '../../src/index.js'
import { runCli } from '../../src/cli/index.js'
import {
  closeOpenLineage,
  configureOpenLineage,
} from '../../src/openlineage/openlineage-registry.js'
import { openLineageTestEnv } from './lineage-test-env.js'
import { loadOrders } from './orders-pipeline.js'

const env = openLineageTestEnv()
const temp = env.temp

describe("a step's OpenLineage START", () => {
  it('reaches the receiver while the step still runs, with its inputs, parent and redacted parameters, as the export has it', async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    // The step returns only once the receiver has its START: were START sent at the step's
    // end (or once its record is written), the run would never end.
    const target = await env.receiver((event) => {
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
      outboxPath: join(temp().dir, 'outbox.db'),
    })
    const input = join(temp().dir, 'orders.csv')
    await writeFile(input, 'id,customer,amount\n1,ada,30\n2,bob,20\n')
    const { status, runId } = await gated.run({ input }, { store: temp().url })
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
      ['export', 'openlineage', '--store', temp().url, '--run', runId],
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
    const target = await env.receiver((event) => {
      if (event.job.name === 'idle.longStep' && event.eventType === 'START')
        started()
    })
    const store = await temp().open()
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
      outboxPath: join(temp().dir, 'outbox.db'),
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
