import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { drainOutbox } from '../../src/recorder/drain-outbox.js'
import { finished, startTsx } from '../support/run-tsx.js'
import {
  killHard,
  startServer,
  type ServerProcess,
} from '../support/store-server-process.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { printedRunId, runExecutions, watchLines } from './fault-support.js'

const pipelineScript = fileURLToPath(
  new URL('../fixtures/fault-pipeline.ts', import.meta.url),
)
const steps = 20_000

let temp: TempStore
let server: ServerProcess | undefined
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  if (server !== undefined) await killHard(server)
  server = undefined
  await temp.cleanup()
})

describe('a store server killed with kill -9 three times during a run', () => {
  it(`records each of ${steps} step calls exactly once`, async () => {
    server = await startServer(temp.url, 0)
    const { port } = server
    // Flushing every 1000 calls ties the calls to the writes, so the kills below land while
    // batches are being written.
    const child = startTsx(pipelineScript, [String(steps), '1000'], {
      env: { LORE_STORE: server.url, LORE_OUTBOX: `${temp.dir}/outbox.db` },
    })
    const lines = watchLines(child)
    const ended = finished(child)
    for (const progress of [4500, 9500, 14500]) {
      await lines.waitFor(`progress ${progress}`)
      await killHard(server)
      server = await startServer(temp.url, port)
    }
    const result = await ended
    expect(result.stdout).toMatch(/^done \S+ COMPLETE$/m)
    expect(result.code).toBe(0)
    // The run does not wait for the server to come back (its client retries briefly and the
    // outbox backs off): what the last restart kept from it is sent by a later drain.
    await drainOutbox({ store: server.url, outbox: `${temp.dir}/outbox.db` })

    const store = await temp.open()
    const { run, executions } = await runExecutions(
      store,
      printedRunId(result.stdout),
    )
    expect(run.customProperties.status).toBe('COMPLETE')
    expect(executions).toHaveLength(steps)
    const indexes = new Set(
      executions.map(
        (execution) =>
          (execution.customProperties.params as { index?: number }).index,
      ),
    )
    expect(indexes.size).toBe(steps)
    expect(
      executions.every((execution) => execution.lastKnownState === 'COMPLETE'),
    ).toBe(true)
  })
})
