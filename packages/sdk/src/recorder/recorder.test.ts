import {
  readableNodeName,
  LoreError,
  type MetadataStore,
  type PutExecutionRequest,
} from '@lore/store'
import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { execSqlite } from '../../test/support/exec-sqlite.js'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { configure, flush } from './recorder-registry.js'
import { stepFacts } from '../query/step-facts.js'
import { currentRun } from '../runtime/current-run.js'

let temp: TempStore
let stderr: string[]
let outboxPath: string
const outboxBefore = process.env.LORE_OUTBOX
beforeEach(async () => {
  temp = await createTempStore()
  outboxPath = `${temp.dir}/outbox.db`
  process.env.LORE_OUTBOX = outboxPath
  stderr = []
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr.push(String(text))
    return true
  })
})
afterEach(async () => {
  await shutdown().catch(() => undefined)
  configure({})
  vi.restoreAllMocks()
  if (outboxBefore === undefined) delete process.env.LORE_OUTBOX
  else process.env.LORE_OUTBOX = outboxBefore
  await temp.cleanup()
})

/** A real store that tells what the recorder asked of it, and refuses poisoned records. */
function observed(store: MetadataStore) {
  const batches: string[][] = []
  const calls: string[] = []
  const refuse = (request: PutExecutionRequest) => {
    if (readableNodeName(request.execution.name) === 'poison')
      throw new LoreError('INVALID_ARGUMENT', 'this store refuses poison')
  }
  const overrides: Partial<MetadataStore> = {
    putExecutionBatch: async (requests) => {
      batches.push(requests.map((request) => String(request.execution.name)))
      requests.forEach(refuse)
      return store.putExecutionBatch(requests)
    },
    putExecution: async (request) => {
      refuse(request)
      return store.putExecution(request)
    },
  }
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (typeof key === 'string' && key.startsWith('put')) calls.push(key)
      if (key in overrides) return overrides[key as keyof MetadataStore]
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { store: wrapped, batches, calls }
}

const identity = step(function identity(value: number) {
  return value
})
const poison = step(function poison() {
  return 'refused by the store'
})
const measured = step(function measured(key: string) {
  currentRun()?.logMetric(key, 0.5)
  return { metrics: { accuracy: 0.75 } }
})
const slow = step(async function slow(value: number) {
  await new Promise((resolve) => setImmediate(resolve))
  return value
})

describe('Recorder', () => {
  it('writes step records in batches, in the order the calls ended', async () => {
    const store = await temp.open()
    const { store: watched, batches } = observed(store)
    configure({ maxBatchSize: 4 })
    const { runId } = await pipeline('batches', {}, () => {
      for (let index = 0; index < 10; index++) identity(index)
    }).run(undefined, { store: watched })
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2])
    const recorded = await readRun(store, runId)
    expect(
      recorded.executions.map((execution) => stepFacts(execution).outputs),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('keeps the rest of a batch when the store refuses one record, and counts the one lost', async () => {
    const store = await temp.open()
    const { store: watched } = observed(store)
    configure({ strict: false })
    const { runId } = await pipeline('poisoned', {}, () => {
      identity(1)
      poison()
      identity(2)
    }).run(undefined, { store: watched })
    const recorded = await readRun(store, runId)
    expect(
      recorded.executions.map((execution) => readableNodeName(execution.name)),
    ).toEqual(['identity', 'identity'])
    expect(recorded.run.customProperties.droppedRecords).toBe(1)
    expect(stderr.join('')).toContain('this store refuses poison')
  })

  it("writes a run's start in one store call, and a step record with its metric points in one", async () => {
    const store = await temp.open()
    const { store: watched, calls } = observed(store)
    const { runId } = await pipeline('one-call', {}, () => {
      measured('loss')
    }).run(undefined, { store: watched })
    const recorded = await readRun(store, runId)
    const points = await store.getMetrics({
      executionId: recorded.execution('measured').id,
    })
    expect(points.map((point) => [point.key, point.value])).toEqual([
      ['accuracy', 0.75],
      ['loss', 0.5],
    ])
    expect(calls.filter((call) => call === 'putExecutionBatch')).toHaveLength(1)
    expect(calls).not.toContain('putMetrics')
    expect(
      calls.filter((call) => call === 'putContextWithParents'),
    ).toHaveLength(1)
    expect(calls).not.toContain('putParentContexts')
  })

  it('writes an embedded file directly; a record whose metric the database refuses is kept without its points, the rest of its batch with theirs', async () => {
    const store = await temp.open()
    await store.putExecutionType({ name: 'Seed' })
    const file = temp.url.slice('sqlite:'.length)
    execSqlite(
      file,
      "CREATE TRIGGER refuse_metric BEFORE INSERT ON metric WHEN NEW.metric_key = 'refused' BEGIN SELECT RAISE(ABORT, 'metric refused'); END",
    )
    configure({ strict: false })
    const { runId } = await pipeline('refused-metric', {}, () => {
      measured('loss')
      measured('refused')
    }).run(undefined, { store: temp.url })
    const recorded = await readRun(store, runId)
    expect(recorded.executions).toHaveLength(2)
    const [kept, refused] = await Promise.all(
      recorded.executions.map((execution) =>
        store.getMetrics({ executionId: execution.id }),
      ),
    )
    expect(kept?.map((point) => point.key)).toEqual(['accuracy', 'loss'])
    expect(refused).toEqual([])
    expect(recorded.run.customProperties.droppedRecords ?? 0).toBe(0)
    expect(stderr.join('')).toContain('metric refused')
    // The store opened: nothing went through the outbox.
    expect(existsSync(outboxPath)).toBe(false)
  })

  it('drops the records of sync steps when the queue is full: counted, on stderr and in the run record', async () => {
    configure({ maxQueuedRecords: 5, strict: false })
    const { runId, result } = await pipeline('flood', {}, () => {
      let total = 0
      // A sync loop never yields to the recorder, so the queue fills up.
      for (let index = 0; index < 20; index++) total += identity(index)
      return total
    }).run(undefined, { store: temp.url })
    expect(result).toBe(190)
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.executions).toHaveLength(5)
    expect(recorded.run.customProperties.droppedRecords).toBe(15)
    expect(stderr.join('')).toMatch(
      /run .* \(flood\): 15 step record\(s\) were dropped/,
    )
  })

  it('makes async steps wait for room instead of dropping their records', async () => {
    configure({ maxQueuedRecords: 3 })
    const { runId } = await pipeline('backpressure', {}, async () => {
      for (let index = 0; index < 40; index++) await slow(index)
    }).run(undefined, { store: temp.url })
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.executions).toHaveLength(40)
    expect(recorded.run.customProperties.droppedRecords).toBe(0)
  })

  it('never throws into user code when the store cannot be opened, says so once and keeps the records in the outbox', async () => {
    configure({ strict: false })
    const unwritable = `sqlite:${temp.dir}/not-a-folder.txt/lore.db`
    const { writeFile, rm } = await import('node:fs/promises')
    await writeFile(
      `${temp.dir}/not-a-folder.txt`,
      'a file where a folder should be',
    )
    const { runId, result, status } = await pipeline(
      'unwritable',
      {},
      () => identity(7) + identity(8),
    ).run(undefined, {
      store: unwritable,
    })
    expect(result).toBe(15)
    expect(status).toBe('COMPLETE')
    await expect(flush()).resolves.toBeUndefined()
    const lines = stderr.join('').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`cannot open the store ${unwritable}`)
    expect(lines[0]).toContain(`keeping records in the outbox ${outboxPath}`)
    const { Outbox } = await import('../outbox/outbox.js')
    const outbox = new Outbox(outboxPath)
    expect(outbox.pending(unwritable)).toBeGreaterThan(0)
    outbox.close()

    // Once the store can be opened, the next recorder sends what was kept, before its own.
    await shutdown()
    await rm(`${temp.dir}/not-a-folder.txt`)
    await pipeline('after', {}, () => identity(1)).run(undefined, {
      store: unwritable,
    })
    const { openStore } = await import('@lore/store')
    const store = await openStore(unwritable)
    try {
      const recorded = await readRun(store, runId)
      expect(recorded.run.customProperties).toMatchObject({
        status: 'COMPLETE',
        stepCount: 2,
      })
      expect(
        recorded.executions.map((execution) =>
          readableNodeName(execution.name),
        ),
      ).toEqual(['identity', 'identity'])
    } finally {
      await store.close()
    }
  })

  it('writes to a store that opens even when the outbox file is not a database', async () => {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(outboxPath, 'not a database')
    const { runId, result } = await pipeline(
      'broken-outbox',
      {},
      () => identity(2) + identity(3),
    ).run(undefined, { store: temp.url })
    expect(result).toBe(5)
    await expect(flush()).resolves.toBeUndefined()
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.executions).toHaveLength(2)
    expect(stderr.join('')).toBe('')
  })

  it('in strict mode, throws a recording error from the end of the run, flush() and the next step', async () => {
    configure({ strict: true })
    const unwritable = `sqlite:${temp.dir}/file/lore.db`
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${temp.dir}/file`, '')
    const error = await pipeline('strict', {}, () => identity(1))
      .run(undefined, { store: unwritable })
      .catch((thrown: unknown) => thrown)
    expect(LoreError.isInstance(error) && error.code).toBe('UNAVAILABLE')
    await expect(flush()).rejects.toBe(error)
    const run = pipeline('strict-again', {}, () => identity(2))
    await expect(run.run(undefined, { store: unwritable })).rejects.toBe(error)
  })

  it('records a long step as RUNNING at a heartbeat, then as COMPLETE', async () => {
    configure({ heartbeatIntervalMs: 10 })
    const store = await temp.open()
    let whileRunning: string | undefined
    const long = step(async function long() {
      await new Promise((resolve) => setTimeout(resolve, 60))
      await flush()
      const [execution] = (
        await store.getExecutions({ filter: "name LIKE 'long#%'" })
      ).items
      whileRunning = execution?.lastKnownState
      return 'done'
    })
    const { runId } = await pipeline('heartbeat', {}, () => long()).run(
      undefined,
      { store: temp.url },
    )
    expect(whileRunning).toBe('RUNNING')
    const recorded = await readRun(store, runId)
    expect(recorded.execution('long').lastKnownState).toBe('COMPLETE')
    expect(recorded.run.customProperties.heartbeatIntervalMs).toBe(10)
  })
})
