import { copyFile, readFile, rm, writeFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { readableNodeName, LoreError } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTsx } from '../../test/support/run-tsx.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { calls, counted, noisy } from '../../test/fixtures/replay-pipelines.js'
import { shutdown } from '../recorder/shutdown.js'
import { replay } from './replay.js'

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url))

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
  calls.length = 0
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

function runInChild(file: string, name: string, config: unknown) {
  const child = startTsx(`${fixtures}run-pipeline.ts`, [
    file,
    name,
    temp.url,
    JSON.stringify(config),
  ])
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  return new Promise<string>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`exit ${code}`)),
    ),
  )
}

describe('replay', () => {
  it('runs the recorded config with the recorded seed as a new linked run, and reproduces it', async () => {
    const { runId, result } = await counted.run(
      { size: 4, factor: 2 },
      { store: temp.url },
    )
    const replayed = await replay(runId, { store: temp.url })
    expect(replayed.plan.faithful).toBe(true)
    expect(replayed.comparison?.verdict).toBe('reproduced')
    const store = await temp.open()
    const [run] = (
      await store.getContexts({ externalIds: [replayed.runId ?? ''] })
    ).items
    expect(run?.properties.replay).toEqual({
      replayOf: runId,
      faithful: true,
      overrides: {},
    })
    expect(run?.properties.seed).toBe(
      (await store.getContexts({ externalIds: [runId] })).items[0]?.properties
        .seed,
    )
    expect(result.drawn).toBeGreaterThanOrEqual(0)
  })

  it('reports a step that uses Math.random() as nondeterministic', async () => {
    const { runId } = await noisy.run(undefined, { store: temp.url })
    const { comparison } = await replay(runId, { store: temp.url })
    expect(comparison?.verdict).toBe('diverged')
    expect(comparison?.firstDivergence).toEqual({
      step: 'sample',
      cause: 'nondeterminism',
    })
  })

  it('marks a replay with --set overrides as not faithful and records them', async () => {
    const { runId } = await counted.run(
      { size: 4, factor: 2 },
      { store: temp.url },
    )
    const replayed = await replay(runId, {
      store: temp.url,
      set: { factor: 3 },
    })
    expect(replayed.plan.faithful).toBe(false)
    expect(replayed.comparison?.firstDivergence).toEqual({
      step: 'scale',
      cause: 'parameters changed',
    })
    expect(
      replayed.comparison?.steps.find((step) => step.key === 'total')?.cause,
    ).toBe('propagated')
    const [run] = (
      await (
        await temp.open()
      ).getContexts({
        externalIds: [replayed.runId ?? ''],
      })
    ).items
    expect(run?.properties.replay).toMatchObject({
      faithful: false,
      overrides: { factor: 3 },
    })
  })

  it('lists what no longer fits an incompatible config, and runs nothing', async () => {
    const { runId } = await counted.run(
      { size: 4, factor: 2 },
      { store: temp.url },
    )
    calls.length = 0
    // A config recorded before the schema asked for a positive size.
    const store = await temp.open()
    const [context] = (await store.getContexts({ externalIds: [runId] })).items
    await store.putContexts([
      {
        id: context?.id ?? 0,
        properties: { ...context?.properties, config: { size: -1, factor: 2 } },
      },
    ])
    const error = await replay(runId, { store: temp.url }).catch(
      (thrown: unknown) => thrown,
    )
    expect(LoreError.isInstance(error) && error.code).toBe(
      'FAILED_PRECONDITION',
    )
    expect((error as LoreError).message).toContain('config.size')
    expect((error as LoreError).message).toContain('nothing was run')
    // A --set value that does not fit is blamed itself, not the recorded config.
    const flagged = await replay(runId, {
      store: temp.url,
      set: { size: 2, factor: 'lots' },
    }).catch((thrown: unknown) => thrown)
    expect(LoreError.isInstance(flagged) && flagged.code).toBe(
      'INVALID_ARGUMENT',
    )
    expect((flagged as LoreError).message).toBe(
      '--set factor=lots: expected a number; nothing was run',
    )
    expect(calls).toEqual([])
    const runs = await (await temp.open()).getContexts({ type: 'PipelineRun' })
    expect(runs.items).toHaveLength(1)
  })

  it('--from reruns exactly the named step and those after it', async () => {
    const { runId } = await counted.run(
      { size: 4, factor: 2 },
      { store: temp.url },
    )
    expect(calls).toEqual(['prepare', 'scale', 'total'])
    calls.length = 0
    const replayed = await replay(runId, { store: temp.url, from: 'scale' })
    expect(calls).toEqual(['scale', 'total'])
    expect(replayed.comparison?.verdict).toBe('reproduced')
    const store = await temp.open()
    const [run] = (
      await store.getContexts({ externalIds: [replayed.runId ?? ''] })
    ).items
    const states = Object.fromEntries(
      (await store.getExecutions({ contextId: run?.id ?? 0 })).items.map(
        (execution) => [
          readableNodeName(execution.name),
          execution.lastKnownState,
        ],
      ),
    )
    expect(states).toEqual({
      prepare: 'CACHED',
      scale: 'COMPLETE',
      total: 'COMPLETE',
      draw: 'CACHED', // drawn before scale, so reused too
    })
  })

  it('says which step --from cannot name', async () => {
    const { runId } = await counted.run(
      { size: 4, factor: 2 },
      { store: temp.url },
    )
    const error = await replay(runId, { store: temp.url, from: 'fit' }).catch(
      (thrown: unknown) => thrown,
    )
    expect((error as LoreError).message).toBe(
      `--from fit: run ${runId} has no step 'fit'; its steps are draw, prepare, scale, total`,
    )
  })

  it('reports an edited step source file as code changed, before running and in its verdict', async () => {
    const file = `${fixtures}edited-${randomUUID()}.ts`
    await copyFile(`${fixtures}replay-pipelines.ts`, file)
    try {
      const runId = await runInChild(file, 'counted', { size: 4, factor: 2 })
      const source = await readFile(file, 'utf8')
      await writeFile(
        file,
        source.replace(
          'values.map((value) => value * factor)',
          'values.map((value) => value * factor + 1)',
        ),
      )
      const replayed = await replay(runId, { store: temp.url })
      expect(
        replayed.plan.differences.some(
          (difference) =>
            difference.what === 'source file' &&
            file.endsWith(difference.file ?? '-'),
        ),
      ).toBe(true)
      expect(replayed.comparison?.verdict).toBe('code changed')
      expect(replayed.comparison?.firstDivergence).toEqual({
        step: 'scale',
        cause: 'code changed',
      })
    } finally {
      await rm(file, { force: true })
    }
  })
})
