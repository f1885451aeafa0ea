import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { configure } from '../recorder/recorder-registry.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from './step.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
  configure({ store: temp.url })
})
afterEach(async () => {
  await shutdown()
  configure({})
  await temp.cleanup()
})

async function recordRun(body: () => unknown) {
  const { runId, result } = await pipeline('capture', {}, body).run(undefined, {
    store: temp.url,
  })
  return { result, recorded: await readRun(await temp.open(), runId) }
}

describe('step capture', () => {
  it('records the arguments a step was given, even when the step mutates them', async () => {
    const tune = step(function tune(options: { rate: number; tags: string[] }) {
      options.rate = 999
      options.tags.push('changed')
      return options.rate
    })
    const { recorded } = await recordRun(() => tune({ rate: 0.1, tags: ['a'] }))
    expect(recorded.executions[0]?.customProperties.params).toEqual({
      rate: 0.1,
      tags: ['a'],
    })
  })

  it('links the artifacts found inside each argument at the path of that argument', async () => {
    const load = step(function load(name: string) {
      return [name, 1, 2, 3]
    })
    const join = step(function join(
      left: { table: unknown; rate: number },
      right: { nested: { table: unknown } },
    ) {
      return left.rate + Object.keys(right.nested).length
    })
    const { recorded } = await recordRun(() => {
      const a = load('a')
      const b = load('b')
      return join({ table: a, rate: 0.5 }, { nested: { table: b } })
    })
    const inputs = recorded.inputs(recorded.execution('join'))
    expect(Object.keys(inputs).sort()).toEqual([
      'left.table',
      'right.nested.table',
    ])
    expect(recorded.execution('join').customProperties.params).toEqual({
      left: {
        table: { $artifact: inputs['left.table']?.externalId },
        rate: 0.5,
      },
      right: {
        nested: {
          table: { $artifact: inputs['right.nested.table']?.externalId },
        },
      },
    })
  })

  it('keeps the process running and the result unchanged when a getter throws a value with no string form', async () => {
    const hostile = {
      get secretless() {
        throw Object.create(null)
      },
    }
    const read = step(function read(value: unknown, count: number) {
      return count + (value === hostile ? 1 : 0)
    })
    const { result, recorded } = await recordRun(() => read(hostile, 1))
    expect(result).toBe(2)
    expect(recorded.executions[0]?.lastKnownState).toBe('COMPLETE')
  })

  it('returns frozen async iterables, revoked proxies and throwing proxies exactly as the function did', async () => {
    async function* generate() {
      yield 1
    }
    const frozenGenerator = Object.freeze(generate())
    const frozenIterable = Object.freeze({
      async *[Symbol.asyncIterator]() {
        yield 2
      },
    })
    const { proxy: revoked, revoke } = Proxy.revocable({}, {})
    revoke()
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('trap')
        },
        getPrototypeOf() {
          throw new Error('trap')
        },
        ownKeys() {
          throw new Error('trap')
        },
      },
    )
    const values: unknown[] = [
      frozenGenerator,
      frozenIterable,
      revoked,
      throwing,
    ]
    const identity = step(function identity(index: number) {
      return values[index]
    })
    const asyncIdentity = step(async function asyncIdentity(index: number) {
      return values[index]
    })
    const { recorded } = await recordRun(async () => {
      for (const [index, value] of values.entries())
        expect(identity(index)).toBe(value)
      // Awaiting a Proxy reads its `then`, so only the iterables survive an async function
      // without Lore too; with Lore they come back the same objects.
      for (const index of [0, 1])
        expect(await asyncIdentity(index)).toBe(values[index])
    })
    expect(recorded.executions).toHaveLength(values.length + 2)
    expect(
      recorded.executions.every(
        (execution) => execution.lastKnownState === 'COMPLETE',
      ),
    ).toBe(true)
  })
})
