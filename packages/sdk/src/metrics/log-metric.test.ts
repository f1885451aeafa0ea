import { LoreError, readableNodeName, type MetricPoint } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import {
  configure,
  currentRun,
  logRunMetric,
  pipeline,
  shutdown,
  step,
} from '../index.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
  configure({ store: temp.url })
})
afterEach(async () => {
  await shutdown()
  configure({})
  vi.restoreAllMocks()
  await temp.cleanup()
})

const series = (points: MetricPoint[]) =>
  points.map((point) => [point.key, point.step, point.value])

/** The points recorded on the execution named `name`, and on the run. */
async function recorded(runId: string, name: string) {
  const store = await temp.open()
  const [run] = (await store.getContexts({ externalIds: [runId] })).items
  const execution = (
    await store.getExecutions({ contextId: run!.id })
  ).items.find((candidate) => readableNodeName(candidate.name) === name)
  return {
    step: await store.getMetrics({ executionId: execution!.id }),
    run: await store.getMetrics({ contextId: run!.id }),
  }
}

describe('logMetric', () => {
  it("logs points inside a step on that step's execution, counting steps up per key", async () => {
    const fit = step(function fit(epochs: number) {
      for (let epoch = 0; epoch < epochs; epoch++)
        currentRun()?.logMetric('loss', 1 / (epoch + 1))
      currentRun()?.logMetric('lr', 0.1, { step: 10 })
      return epochs
    })
    const { runId } = await pipeline('train', {}, () => fit(3)).run(undefined)
    const points = await recorded(runId, 'fit')
    expect(series(points.step)).toEqual([
      ['loss', 0, 1],
      ['loss', 1, 0.5],
      ['loss', 2, 1 / 3],
      ['lr', 10, 0.1],
    ])
    expect(points.run).toEqual([])
  })

  it('gives every point a client-made id, so points sent again are stored once', async () => {
    const fit = step(function fit() {
      currentRun()?.logMetric('loss', 0.5)
      currentRun()?.logMetric('loss', 0.25)
      return 1
    })
    const { runId } = await pipeline('train', {}, () => fit()).run(undefined)
    const first = (await recorded(runId, 'fit')).step
    expect(first.map((point) => point.externalId)).toEqual([
      expect.stringMatching(/^metric:/),
      expect.stringMatching(/^metric:/),
    ])
    // What a retried request or an outbox entry drained twice sends: the same points again.
    const store = await temp.open()
    await store.putMetrics(first)
    expect((await recorded(runId, 'fit')).step).toEqual(first)
  })

  it("logs points from the pipeline's own function on the run", async () => {
    const noop = step(function noop() {
      return 1
    })
    const { runId } = await pipeline('train', {}, (_config, ctx) => {
      noop()
      ctx.logMetric('auc', 0.91)
      ctx.logMetric('auc', 0.93)
    }).run(undefined)
    const points = await recorded(runId, 'noop')
    expect(series(points.run)).toEqual([
      ['auc', 0, 0.91],
      ['auc', 1, 0.93],
    ])
  })

  it('logs the numbers a step returns under metrics, with no logging code', async () => {
    const warnings = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation(() => true)
    const evaluate = step(function evaluate() {
      return {
        predictions: [1, 0, 1],
        metrics: {
          accuracy: 0.9,
          label: 'not a number',
          perClass: { setosa: 1, virginica: 0.8 },
          broken: Number.NaN,
        },
      }
    })
    const { runId } = await pipeline('eval', {}, () => evaluate()).run(
      undefined,
    )
    const points = await recorded(runId, 'evaluate')
    expect(series(points.step)).toEqual([
      ['accuracy', 0, 0.9],
      ['perClass.setosa', 0, 1],
      ['perClass.virginica', 0, 0.8],
    ])
    expect(warnings.mock.calls.map(([text]) => String(text))).toContain(
      "lore: step 'evaluate' returned metrics broken that are not finite numbers (NaN or Infinity); they were not stored\n",
    )
  })

  it('refuses NaN, empty keys and fractional steps, naming the step', async () => {
    const attempts: string[] = []
    const fit = step(function fit() {
      for (const attempt of [
        () => currentRun()?.logMetric('loss', Number.NaN),
        () => currentRun()?.logMetric('', 1),
        () => currentRun()?.logMetric('loss', 1, { step: 0.5 }),
      ]) {
        try {
          attempt()
        } catch (error) {
          if (LoreError.isInstance(error))
            attempts.push(`${error.code}: ${error.message}`)
        }
      }
    })
    const { runId } = await pipeline('train', {}, () => fit()).run(undefined, {
      runId: 'run-1',
    })
    expect(runId).toBe('run-1')
    expect(attempts).toEqual([
      "INVALID_ARGUMENT: metric 'loss' (step 'fit' of run run-1) is NaN, not a finite number; skip the point or log a number (NaN and Infinity are not metrics)",
      "INVALID_ARGUMENT: metric key \"\" (step 'fit' of run run-1) is not a name; give a non-empty string of at most 1024 characters, such as 'accuracy'",
      "INVALID_ARGUMENT: metric 'loss' (step 'fit' of run run-1) has step 0.5; a step is an integer (an epoch, a batch number), or leave it out to count up",
    ])
  })
})

describe('logRunMetric', () => {
  it('logs on a recorded run from outside it, after its latest step', async () => {
    const noop = step(function noop() {
      return 1
    })
    const { runId } = await pipeline('train', {}, (_config, ctx) => {
      noop()
      ctx.logMetric('audit', 0.5)
    }).run(undefined)
    await logRunMetric(runId.slice(0, 8), 'audit', 0.7)
    const points = await recorded(runId, 'noop')
    expect(series(points.run)).toEqual([
      ['audit', 0, 0.5],
      ['audit', 1, 0.7],
    ])
    await expect(logRunMetric('nope-nope', 'audit', 1)).rejects.toThrow(
      /run 'nope-nope' not found in sqlite:.*; list runs with: lore runs/,
    )
    await expect(logRunMetric(runId, 'audit', Infinity)).rejects.toThrow(
      /metric 'audit' \(run .*\) is Infinity, not a finite number/,
    )
  })
})
