import { readableNodeName } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { stepFacts } from '../query/step-facts.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

async function recordRun(body: () => Promise<unknown>) {
  const { runId } = await pipeline('iterables', {}, body).run(undefined, {
    store: temp.url,
  })
  return readRun(await temp.open(), runId)
}

const clean = step(function clean(row: { value: number }) {
  return { value: Math.abs(row.value) }
})

const readBatches = step(async function* readBatches(count: number) {
  for (let index = 0; index < count; index++) {
    await new Promise((resolve) => setImmediate(resolve))
    // A step called while the generator runs belongs to the generator's execution.
    yield clean({ value: -index })
  }
})

describe('step around async iterables', () => {
  it('keeps an async generator an async generator, and ends its execution when iteration ends', async () => {
    const values: number[] = []
    const recorded = await recordRun(async () => {
      const batches = readBatches(3)
      expect(Object.prototype.toString.call(batches)).toBe(
        '[object AsyncGenerator]',
      )
      for await (const batch of batches) values.push(batch.value)
    })
    expect(values).toEqual([0, 1, 2])
    const generator = recorded.execution('readBatches')
    expect(generator.lastKnownState).toBe('COMPLETE')
    expect(stepFacts(generator).yielded).toBe(3)
    expect(stepFacts(generator).abandoned).toBe(false)
    const children = recorded.executions.filter(
      (execution) => readableNodeName(execution.name) === 'clean',
    )
    expect(children).toHaveLength(3)
    for (const child of children)
      expect(stepFacts(child).parent).toBe(generator.externalId)
    // Each yielded value is an output of the generator, read by nothing else here.
    expect(Object.keys(recorded.outputs(generator))).toEqual([
      'yield.0',
      'yield.1',
      'yield.2',
    ])
  })

  it('ends the execution, marked abandoned, when the consumer breaks out early', async () => {
    const recorded = await recordRun(async () => {
      for await (const batch of readBatches(10)) if (batch.value >= 1) break
    })
    const generator = recorded.execution('readBatches')
    expect(generator.lastKnownState).toBe('COMPLETE')
    expect(stepFacts(generator).abandoned).toBe(true)
    expect(stepFacts(generator).yielded).toBe(2)
  })

  it('records FAILED when the generator throws, and the consumer gets the same error', async () => {
    const broken = new Error('corrupt batch')
    const failing = step(async function* failing() {
      yield 1
      throw broken
    })
    let caught: unknown
    const { runId } = await pipeline('iterables', {}, async () => {
      try {
        for await (const _ of failing()) void _
      } catch (error) {
        caught = error
      }
    }).run(undefined, { store: temp.url })
    expect(caught).toBe(broken)
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.execution('failing').lastKnownState).toBe('FAILED')
    expect(recorded.execution('failing').error?.message).toBe('corrupt batch')
    expect(recorded.run.customProperties.status).toBe('FAILED')
  })

  it('follows an async iterable returned by an async function', async () => {
    const open = step(async function open(
      count: number,
    ): Promise<AsyncIterable<number>> {
      return {
        async *[Symbol.asyncIterator]() {
          for (let index = 0; index < count; index++) yield index
        },
      }
    })
    let total = 0
    const recorded = await recordRun(async () => {
      for await (const value of await open(4)) total += value
    })
    expect(total).toBe(6)
    expect(stepFacts(recorded.execution('open')).yielded).toBe(4)
    expect(recorded.execution('open').lastKnownState).toBe('COMPLETE')
  })
})
