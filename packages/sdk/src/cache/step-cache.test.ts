import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { artifact } from '../artifact/artifact.js'
import type { FileArtifact } from '../artifact/file-artifact.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { explainExecution } from './explain-execution.js'

let temp: TempStore
let calls: string[]
beforeEach(async () => {
  temp = await createTempStore()
  calls = []
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

const double = step(
  { cache: true },
  function double(values: number[], factor: number) {
    calls.push('double')
    return values.map((value) => value * factor)
  },
)

const write = step(
  { cache: true },
  async function write(folder: string, rows: number) {
    calls.push('write')
    const path = join(folder, 'table.csv')
    await writeFile(
      path,
      `n\n${Array.from({ length: rows }, (_, i) => i).join('\n')}\n`,
    )
    return { table: artifact.file(path, { type: 'Dataset' }), rows }
  },
)

const doubling = pipeline('doubling', {}, (config: unknown) => {
  const { factor } = config as { factor: number }
  return double([1, 2, 3], factor)
})

const writing = pipeline('writing', {}, async (config: unknown) => {
  const { folder } = config as { folder: string }
  const { table } = await write(folder, 3)
  return (table as FileArtifact).path
})

async function executionsOf(runId: string) {
  const store = await temp.open()
  const [run] = (await store.getContexts({ externalIds: [runId] })).items
  return (await store.getExecutions({ contextId: run?.id ?? 0 })).items
}

describe('the step cache', () => {
  it('serves a call with the same key as a CACHED execution linked to the one it reused', async () => {
    const first = await doubling.run({ factor: 2 }, { store: temp.url })
    const second = await doubling.run({ factor: 2 }, { store: temp.url })
    expect(second.result).toEqual([2, 4, 6])
    expect(calls).toEqual(['double'])
    const [original] = await executionsOf(first.runId)
    const [hit] = await executionsOf(second.runId)
    expect(hit?.lastKnownState).toBe('CACHED')
    expect(hit?.cacheKey).toBe(original?.cacheKey)
    const explanation = await explainExecution(
      await temp.open(),
      String(hit?.id),
    )
    expect(explanation.outcome).toBe('hit')
    expect(explanation.reused?.id).toBe(original?.id)
  })

  it('misses when a parameter changes, and explain names the part that changed', async () => {
    await doubling.run({ factor: 2 }, { store: temp.url })
    const second = await doubling.run({ factor: 5 }, { store: temp.url })
    expect(second.result).toEqual([5, 10, 15])
    expect(calls).toEqual(['double', 'double'])
    const [miss] = await executionsOf(second.runId)
    expect(miss?.lastKnownState).toBe('COMPLETE')
    const explanation = await explainExecution(
      await temp.open(),
      String(miss?.id),
    )
    expect(explanation.outcome).toBe('miss')
    expect(explanation.reason).toBe('parameter factor: 2 → 5')
  })

  it('runs every step when the run says cache: false', async () => {
    await doubling.run({ factor: 2 }, { store: temp.url })
    const second = await doubling.run(
      { factor: 2 },
      { store: temp.url, cache: false },
    )
    expect(calls).toEqual(['double', 'double'])
    const [execution] = await executionsOf(second.runId)
    expect(
      (await explainExecution(await temp.open(), String(execution?.id)))
        .outcome,
    ).toBe('off')
  })

  it('restores an output file that still has its fingerprint', async () => {
    await writing.run({ folder: temp.dir }, { store: temp.url })
    const second = await writing.run({ folder: temp.dir }, { store: temp.url })
    expect(calls).toEqual(['write'])
    expect(second.result).toBe(join(temp.dir, 'table.csv'))
    const [hit] = await executionsOf(second.runId)
    expect(hit?.lastKnownState).toBe('CACHED')
  })

  it('turns a hit into a miss when an output file was edited since, and says so', async () => {
    await writing.run({ folder: temp.dir }, { store: temp.url })
    await writeFile(join(temp.dir, 'table.csv'), 'edited\n')
    const second = await writing.run({ folder: temp.dir }, { store: temp.url })
    expect(calls).toEqual(['write', 'write'])
    const [miss] = await executionsOf(second.runId)
    const explanation = await explainExecution(
      await temp.open(),
      String(miss?.id),
    )
    expect(explanation.outcome).toBe('miss')
    expect(explanation.reason).toMatch(
      /output file .*table\.csv changed since it was recorded/,
    )
  })

  it('turns a hit into a miss when an output file was deleted', async () => {
    await writing.run({ folder: temp.dir }, { store: temp.url })
    await rm(join(temp.dir, 'table.csv'))
    const second = await writing.run({ folder: temp.dir }, { store: temp.url })
    expect(calls).toEqual(['write', 'write'])
    const [miss] = await executionsOf(second.runId)
    const explanation = await explainExecution(
      await temp.open(),
      String(miss?.id),
    )
    expect(explanation.reason).toMatch(
      /output file .*table\.csv no longer exists/,
    )
  })
})
