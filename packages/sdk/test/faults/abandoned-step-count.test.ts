import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { finished, startTsx, waitForLine } from '../support/run-tsx.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { runExecutions } from './fault-support.js'

const pipelineScript = fileURLToPath(
  new URL('../fixtures/fault-pipeline.ts', import.meta.url),
)

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await temp.cleanup()
})

describe('a run whose process was killed', () => {
  it('is shown and stored as ABANDONED with the steps the store holds, not those of its last heartbeat', async () => {
    const child = startTsx(pipelineScript, ['1000000', '300'], {
      env: { LORE_STORE: temp.url, LORE_HEARTBEAT_MS: '60000' },
    })
    const ended = finished(child)
    const runLine = await waitForLine(child, 'run ')
    const runId = runLine.slice('run '.length).trim()
    await waitForLine(child, 'flushed 900')
    child.kill('SIGKILL')
    expect((await ended).signal).toBe('SIGKILL')

    const store = await temp.open()
    const before = await runExecutions(store, runId)
    expect(before.run.customProperties.status).toBe('RUNNING')
    // Its only heartbeat so far was at the start.
    expect(before.run.customProperties.stepCount).toBe(0)
    const written = before.executions.length
    expect(written).toBeGreaterThanOrEqual(900)

    const output: string[] = []
    const code = await runCli(['runs', '--json', '--store', temp.url], {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      interactive: false,
    })
    expect(code).toBe(0)
    const [listed] = JSON.parse(output.join('')) as {
      status: string
      steps: number
    }[]
    expect(listed).toMatchObject({ status: 'ABANDONED', steps: written })
    const after = await runExecutions(store, runId)
    expect(after.run.customProperties).toMatchObject({
      status: 'ABANDONED',
      stepCount: written,
      failedSteps: 0,
    })
  })
})
