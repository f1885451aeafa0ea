import { readableNodeName } from '@lore/store'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/run-cli.js'
import { stepFacts } from '../src/query/step-facts.js'
import { readRun } from './support/read-run.js'
import { finished, runTsx, startTsx, waitForLine } from './support/run-tsx.js'
import { createTempStore, type TempStore } from './support/temp-store.js'

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await temp.cleanup()
})

/** The only run in the store. */
async function onlyRun() {
  const store = await temp.open()
  const runs = (await store.getContexts({ type: 'PipelineRun' })).items
  expect(runs).toHaveLength(1)
  return readRun(store, runs[0]?.externalId ?? '')
}

function startInterrupted(args: string[] = []) {
  return startTsx(fixture('interrupted-run.ts'), args, {
    env: { LORE_STORE: temp.url, LORE_HEARTBEAT_MS: '30' },
  })
}

describe('the recorder in a real process', () => {
  it('flushes at beforeExit, so a script that never flushes is recorded and ends by itself', async () => {
    const child = await runTsx(fixture('adhoc-steps.ts'), [], {
      env: { LORE_STORE: temp.url },
    })
    expect(child.stderr).toBe('')
    expect(child.stdout).toBe('total 6\n')
    expect(child.code).toBe(0)
    const recorded = await onlyRun()
    expect(recorded.run.properties).toMatchObject({
      adhoc: true,
      pipeline: '(ad hoc) adhoc-steps.ts',
    })
    expect(recorded.run.customProperties.status).toBe('COMPLETE')
    expect(
      recorded.executions.map((execution) => readableNodeName(execution.name)),
    ).toEqual(['parse', 'total'])
    expect(
      readableNodeName(
        recorded.inputs(recorded.execution('total')).values?.name,
      ),
    ).toBe('parse')
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}, records the run and its running step as CANCELED, then ends by the signal`, async () => {
      const child = startInterrupted()
      const result = finished(child)
      await waitForLine(child, 'waiting')
      child.kill(signal)
      const { code, signal: endedBy, stderr } = await result
      expect(stderr).toBe('')
      expect(endedBy).toBe(signal)
      expect(code).toBeNull()
      const recorded = await onlyRun()
      expect(recorded.run.customProperties).toMatchObject({
        status: 'CANCELED',
        error: {
          name: 'Interrupted',
          message: `the process received ${signal}`,
        },
      })
      expect(recorded.execution('prepare').lastKnownState).toBe('COMPLETE')
      expect(recorded.execution('wait').lastKnownState).toBe('CANCELED')
    })
  }

  it('says on stderr what process.exit() kept it from writing, and keeps the exit code', async () => {
    const child = await runTsx(fixture('exit-early.ts'), [], {
      env: { LORE_STORE: temp.url },
    })
    expect(child.code).toBe(0)
    expect(child.stdout).toBe('42\n')
    expect(child.stderr).toBe(
      `lore: 1 step record(s) were not written to ${temp.url}: the process exited before they were flushed (await flush() before process.exit())\n`,
    )
  })

  it('ends the execution of an async generator that was dropped unfinished, once it is collected', async () => {
    const child = await runTsx(fixture('dropped-iterator.ts'), [], {
      env: { LORE_STORE: temp.url },
      nodeFlags: ['--expose-gc'],
    })
    expect(child.stderr).toBe('')
    expect(child.stdout).toBe('done\n')
    const recorded = await onlyRun()
    const generator = recorded.execution('readRows')
    expect(generator.lastKnownState).toBe('COMPLETE')
    expect(stepFacts(generator)).toMatchObject({ yielded: 1, abandoned: true })
  })

  it("leaves the process to the program's own SIGINT handler after flushing", async () => {
    const child = startInterrupted(['--own-handler'])
    const result = finished(child)
    await waitForLine(child, 'waiting')
    child.kill('SIGINT')
    const { code, signal, stdout } = await result
    expect(signal).toBeNull()
    expect(code).toBe(0)
    expect(stdout).toContain('own handler')
    expect(stdout).toMatch(/finished [0-9a-f-]{36}/)
  })

  it('writes a run told to stop before the event loop turns again: CANCELED, with its steps', async () => {
    const child = startTsx(fixture('exit-next-turn.ts'), [], {
      env: { LORE_STORE: temp.url },
    })
    const result = finished(child)
    await waitForLine(child, 'waiting')
    child.kill('SIGTERM')
    // The program's own listener exits at setImmediate, before any file read or timer.
    expect((await result).code).toBe(0)
    const recorded = await onlyRun()
    expect(recorded.run.customProperties).toMatchObject({
      status: 'CANCELED',
      stepCount: 2,
    })
    expect(recorded.execution('prepare').lastKnownState).toBe('COMPLETE')
    expect(recorded.execution('wait').lastKnownState).toBe('CANCELED')
  })

  it('shows and stores a run whose process was killed as ABANDONED, with its running step', async () => {
    const child = startInterrupted()
    const result = finished(child)
    await waitForLine(child, 'waiting')
    child.kill('SIGKILL')
    expect((await result).signal).toBe('SIGKILL')
    const before = await onlyRun()
    expect(before.run.customProperties.status).toBe('RUNNING')
    expect(before.execution('wait').lastKnownState).toBe('RUNNING')

    const output: string[] = []
    const code = await runCli(['runs', '--json', '--store', temp.url], {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      interactive: false,
    })
    expect(code).toBe(0)
    const [listed] = JSON.parse(output.join('')) as {
      status: string
      pipeline: string
    }[]
    expect(listed).toMatchObject({
      status: 'ABANDONED',
      pipeline: 'interrupted',
    })
    const after = await onlyRun()
    expect(after.run.customProperties.status).toBe('ABANDONED')
    expect(after.execution('wait').lastKnownState).toBe('ABANDONED')
    expect(after.execution('prepare').lastKnownState).toBe('COMPLETE')
  })
})
