import { fileURLToPath } from 'node:url'
import { openStore } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { markAbandoned } from '../../src/query/mark-abandoned-runs.js'
import { finished, startTsx, waitForLine } from '../support/run-tsx.js'
import {
  killHard,
  startServer,
  type ServerProcess,
} from '../support/store-server-process.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { runExecutions } from './fault-support.js'

const pipelineScript = fileURLToPath(
  new URL('../fixtures/fault-pipeline.ts', import.meta.url),
)

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

describe('a pipeline process killed with kill -9 mid-run', () => {
  it('leaves everything it flushed intact, and its run becomes ABANDONED', async () => {
    server = await startServer(temp.url, 0)
    const child = startTsx(pipelineScript, ['1000000', '500'], {
      env: { LORE_STORE: server.url, LORE_OUTBOX: `${temp.dir}/outbox.db` },
    })
    const ended = finished(child)
    const runLine = await waitForLine(child, 'run ')
    const runId = runLine.slice('run '.length).trim()
    await waitForLine(child, 'flushed 2000')
    child.kill('SIGKILL')
    expect((await ended).signal).toBe('SIGKILL')

    const store = await openStore(server.url)
    try {
      const { run, executions } = await runExecutions(store, runId)
      expect(run.customProperties.status).toBe('RUNNING')
      const complete = executions.filter(
        (execution) => execution.lastKnownState === 'COMPLETE',
      )
      expect(complete.length).toBeGreaterThanOrEqual(2000)
      expect(
        new Set(executions.map((execution) => execution.externalId)).size,
      ).toBe(executions.length)
      // The first 2000 calls' records are all there, with their values.
      const indexes = new Set(
        complete.map((execution) => {
          const params = execution.customProperties.params as {
            index?: number
          }
          return params.index
        }),
      )
      for (let index = 0; index < 2000; index++)
        expect(indexes.has(index)).toBe(true)

      const summary = await markAbandoned(store, run)
      expect(summary.status).toBe('ABANDONED')
      const [stored] = (await store.getContexts({ externalIds: [runId] })).items
      expect(stored?.customProperties.status).toBe('ABANDONED')
    } finally {
      await store.close()
    }
  })
})
