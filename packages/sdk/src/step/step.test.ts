import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readableNodeName, LoreError } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { artifact } from '../artifact/artifact.js'
import type { FileArtifact } from '../artifact/file-artifact.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { configure, flush } from '../recorder/recorder-registry.js'
import { adhocRun } from '../runtime/adhoc-run.js'
import { currentRun } from '../runtime/current-run.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from './step.js'
import { stepFacts } from '../query/step-facts.js'

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

/** Run `body` as a pipeline recorded in the test's store; resolve with what was recorded. */
async function recordRun(body: () => unknown) {
  const { runId, result } = await pipeline('test', {}, body).run(undefined, {
    store: temp.url,
  })
  return { runId, result, recorded: await readRun(await temp.open(), runId) }
}

describe('step', () => {
  it('records each call as an execution of the current run, with timing', async () => {
    const double = step(function double(value: number) {
      return value * 2
    })
    const { recorded } = await recordRun(() => double(double(3)))
    expect(
      recorded.executions.map((execution) => [
        readableNodeName(execution.name),
        execution.lastKnownState,
      ]),
    ).toEqual([
      ['double', 'COMPLETE'],
      ['double', 'COMPLETE'],
    ])
    const [first] = recorded.executions
    expect(first?.customProperties.params).toEqual({ value: 3 })
    expect(stepFacts(first!).outputs).toBe(6)
    expect(stepFacts(first!).durationMs).toBeGreaterThanOrEqual(0)
    expect(first?.endTimeSinceEpoch).toBeGreaterThanOrEqual(
      first?.startTimeSinceEpoch ?? Infinity,
    )
    expect(first?.codeVersion).toMatch(/^[0-9a-f]{64}$/)
  })

  it('keeps a sync function sync and keeps this', async () => {
    class Counter {
      count = 10
      add = step(function add(this: Counter, amount: number) {
        this.count += amount
        return this.count
      })
    }
    const counter = new Counter()
    const result = counter.add(5)
    expect(result).toBe(15)
    expect(counter.count).toBe(15)
  })

  it('records a failed execution with message and stack and rethrows the same error', async () => {
    const boom = new RangeError('rows must not be empty')
    const fit = step(function fit(rows: number[]) {
      if (rows.length === 0) throw boom
      return rows
    })
    const body = pipeline('failing', {}, () => fit([]))
    const thrown = await body
      .run(undefined, { store: temp.url })
      .catch((error: unknown) => error)
    expect(thrown).toBe(boom)
    const store = await temp.open()
    const [run] = (await store.getContexts({ type: 'PipelineRun' })).items
    expect(run?.customProperties.status).toBe('FAILED')
    const [execution] = (await store.getExecutions({ contextId: run?.id ?? 0 }))
      .items
    expect(execution?.lastKnownState).toBe('FAILED')
    expect(execution?.error?.name).toBe('RangeError')
    expect(execution?.error?.message).toBe('rows must not be empty')
    expect(execution?.error?.stack).toContain('step.test.ts')
  })

  it('waits for an async function and records what its promise settles to', async () => {
    const load = step(async function load(count: number) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return Array.from({ length: count }, (_, index) => index)
    })
    const { result, recorded } = await recordRun(() => load(3))
    expect(result).toEqual([0, 1, 2])
    const output = recorded.outputs(recorded.execution('load')).result
    expect(output?.type).toBe('Value')
    expect(output?.customProperties.preview).toEqual([0, 1, 2])
  })

  it("links a step's output to the steps it is passed to, with no annotation", async () => {
    const load = step(function load() {
      return [
        [1, 2],
        [3, 4],
      ]
    })
    const split = step(function split(rows: number[][]) {
      return { train: rows.slice(0, 1), test: rows.slice(1), size: rows.length }
    })
    const fit = step(
      { type: 'Train', outputType: 'Model' },
      function fit(rows: number[][]) {
        return { weights: rows[0] }
      },
    )
    const { recorded } = await recordRun(() => fit(split(load()).train))
    const loaded = recorded.outputs(recorded.execution('load')).result
    const splitExecution = recorded.execution('split')
    expect(recorded.inputs(splitExecution).rows?.id).toBe(loaded?.id)
    const train = recorded.outputs(splitExecution).train
    expect(readableNodeName(train?.name)).toBe('split.train')
    expect(stepFacts(splitExecution).outputs).toEqual({ size: 2 })
    const fitExecution = recorded.execution('fit')
    expect(fitExecution.type).toBe('Train')
    expect(recorded.inputs(fitExecution).rows?.id).toBe(train?.id)
    const model = recorded.outputs(fitExecution).weights
    expect(model?.type).toBe('Model')
    expect(readableNodeName(model?.name)).toBe('fit.weights')
    expect(model?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('records nested steps under their parent, also when fanned out with Promise.all', async () => {
    const leaf = step(async function leaf(index: number) {
      await new Promise((resolve) => setTimeout(resolve, 5 - index))
      return index
    })
    const branch = step(async function branch(index: number) {
      await new Promise((resolve) => setImmediate(resolve))
      return (await leaf(index)) + (await leaf(index + 10))
    })
    const { recorded } = await recordRun(() =>
      Promise.all([0, 1, 2, 3].map((index) => branch(index))),
    )
    const branches = recorded.executions.filter(
      (execution) => readableNodeName(execution.name) === 'branch',
    )
    expect(branches).toHaveLength(4)
    for (const parent of branches) {
      const index = (parent.customProperties.params as { index: number }).index
      const children = recorded.executions.filter(
        (execution) => stepFacts(execution).parent === parent.externalId,
      )
      expect(
        children
          .map(
            (child) =>
              (child.customProperties.params as { index: number }).index,
          )
          .sort((a, b) => a - b),
      ).toEqual([index, index + 10])
      expect(stepFacts(parent).parent).toBeUndefined()
    }
  })

  it('records small values as parameters and large ones as Value artifacts with hash and shape', async () => {
    const train = step(function train(
      rows: number[],
      options: { epochs: number },
    ) {
      return rows.length * options.epochs
    })
    const rows = Array.from({ length: 5000 }, (_, index) => index)
    const { recorded } = await recordRun(() => train(rows, { epochs: 3 }))
    const execution = recorded.execution('train')
    expect(execution.customProperties.params).toEqual({
      options: { epochs: 3 },
    })
    const input = recorded.inputs(execution).rows
    expect(input?.type).toBe('Value')
    expect(input?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(input?.customProperties.shape).toEqual({
      kind: 'Array',
      length: 5000,
    })
    expect(input?.customProperties.previewTruncated).toBe(true)
  })

  it('keeps to the capture limits a step sets', async () => {
    const tag = step(
      { capture: { maxParamBytes: 20 } },
      function tag(label: string, meta: object) {
        return `${label}:${Object.keys(meta).length}`
      },
    )
    const { recorded } = await recordRun(() =>
      tag('short', { description: 'longer than twenty bytes of JSON' }),
    )
    const execution = recorded.execution('tag')
    expect(execution.customProperties.params).toEqual({ label: 'short' })
    expect(recorded.inputs(execution).meta?.type).toBe('Value')
  })

  it('records values JSON cannot hold without failing the call', async () => {
    const describeAll = step(function describeAll(
      label: string,
      value: unknown,
    ) {
      return `${label}: ${typeof value}`
    })
    const cycle: Record<string, unknown> = {
      id: 1n,
      when: new Date(0),
      tags: new Set(['a']),
    }
    cycle.self = cycle
    const { recorded } = await recordRun(() => describeAll('cycle', cycle))
    expect(recorded.execution('describeAll').customProperties.params).toEqual({
      label: 'cycle',
      value: {
        id: { $type: 'BigInt', value: '1' },
        when: { $type: 'Date', value: '1970-01-01T00:00:00.000Z' },
        tags: { $type: 'Set', size: 1, values: ['a'] },
        self: { $type: 'Circular' },
      },
    })
  })

  it('hashes file artifacts as streams; the same bytes at the same path are one artifact', async () => {
    const path = join(temp.dir, 'raw.csv')
    await writeFile(path, 'a,b\n1,2\n')
    const count = step(async function count(source: FileArtifact) {
      return source.path.length
    })
    const first = await recordRun(() =>
      count(artifact.file(path, { type: 'Dataset' })),
    )
    const second = await recordRun(() =>
      count(artifact.file(path, { type: 'Dataset' })),
    )
    const a = first.recorded.inputs(first.recorded.execution('count')).source
    const b = second.recorded.inputs(second.recorded.execution('count')).source
    expect(a?.fingerprint).toBe(
      createHash('sha256').update('a,b\n1,2\n').digest('hex'),
    )
    expect(a?.uri).toBe(`file://${path}`)
    expect(a?.type).toBe('Dataset')
    expect(a?.customProperties.size).toBe(8)
    expect(b?.id).toBe(a?.id)
  })

  it('records a missing file as a PENDING artifact rather than failing', async () => {
    const read = step(function read(source: FileArtifact) {
      return source.name
    })
    const { recorded } = await recordRun(() =>
      read(artifact.file(join(temp.dir, 'missing.csv'))),
    )
    const input = recorded.inputs(recorded.execution('read')).source
    expect(input?.state).toBe('PENDING')
    expect(String(input?.customProperties.unreadable)).toContain('ENOENT')
  })

  it('redacts secret arguments, and the patterns a step adds', async () => {
    const connect = step(
      { redact: ['database'] },
      function connect(host: string, apiKey: string, database: string) {
        return `${host}/${database}`.length + apiKey.length
      },
    )
    const { recorded } = await recordRun(() =>
      connect('db.local', 'sk-live-123', 'customers'),
    )
    expect(recorded.execution('connect').customProperties.params).toEqual({
      host: 'db.local',
      apiKey: '[REDACTED]',
      database: '[REDACTED]',
    })
  })

  it('validates parameters with its zod schema and records an invalid call FAILED', async () => {
    const fit = step(
      { params: z.object({ epochs: z.number().int().positive() }) },
      function fit(options: { epochs: number }) {
        return options.epochs
      },
    )
    let thrown: unknown
    await pipeline('params', {}, () => {
      try {
        fit({ epochs: -1 })
      } catch (error) {
        thrown = error
      }
      return fit({ epochs: 2 })
    }).run(undefined, { store: temp.url })
    expect(LoreError.isInstance(thrown) && thrown.code).toBe('INVALID_ARGUMENT')
    expect((thrown as LoreError).issues[0]?.path).toEqual(['epochs'])
    const store = await temp.open()
    const states = (await store.getExecutions({})).items.map(
      (execution) => execution.lastKnownState,
    )
    expect(states).toEqual(['FAILED', 'COMPLETE'])
  })

  it('records a step called outside any run in an ad-hoc run', async () => {
    const square = step((value: number) => value * value)
    expect(square(4)).toBe(16)
    expect(currentRun()).toBeUndefined()
    const runId = adhocRun().id
    await flush()
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.run.properties.adhoc).toBe(true)
    expect(recorded.run.customProperties.status).toBe('RUNNING')
    expect(stepFacts(recorded.execution('square')).outputs).toBe(16)
  })

  it('names an anonymous function after the variable it is assigned to', async () => {
    const normalize = step((values: number[]) =>
      values.map((value) => value / 10),
    )
    const { recorded } = await recordRun(() => normalize([10, 20]))
    expect(readableNodeName(recorded.executions[0]?.name)).toBe('normalize')
  })

  it('hands a custom thenable back as it is, without chaining it', async () => {
    const thenable = {
      then: (resolve: (value: number) => void) => resolve(1),
      builder: true,
    }
    const query = step(function query() {
      return thenable
    })
    const { recorded } = await recordRun(() => {
      expect(query()).toBe(thenable)
      return 0
    })
    expect(recorded.execution('query').lastKnownState).toBe('COMPLETE')
  })
})
