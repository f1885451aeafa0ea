import { readableNodeName, LoreError } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import {
  artifact,
  checkPolicy,
  configure,
  definePolicy,
  incidentTimeline,
  listIncidents,
  modelRegistry,
  pipeline,
  shutdown,
  step,
  type ModelRegistry,
  type ModelVersion,
  type PolicyDefinition,
  type ValueArtifact,
} from '../index.js'

/** A one-feature classifier: class 1 above the threshold. */
class ThresholdModel {
  constructor(readonly threshold: number) {}
  predict(x: number): number {
    return x > this.threshold ? 1 : 0
  }
}

interface Row {
  x: number
  label: number
}

/** Rows of two classes, x ≈ N(0, 1) and N(3, 1), moved by `shift`; the same seed, the same rows. */
function rows(count: number, seed: number, shift = 0): Row[] {
  let state = seed >>> 0
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: count }, (_, index) => {
    const label = index % 2
    const normal =
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    return { x: normal + label * 3 + shift, label }
  })
}

const accuracy = (model: ThresholdModel, data: readonly Row[]): number =>
  data.filter((row) => model.predict(row.x) === row.label).length / data.length

const fit = step(
  { type: 'Train', outputType: 'Model' },
  function fit(data: Row[], offset: number): ValueArtifact<ThresholdModel> {
    const mean = (label: number) => {
      const xs = data.filter((row) => row.label === label).map((row) => row.x)
      return xs.reduce((sum, x) => sum + x, 0) / xs.length
    }
    return artifact.model(new ThresholdModel((mean(0) + mean(1)) / 2 + offset))
  },
)

let temp: TempStore
let registry: ModelRegistry
/** Trained models by the external id of their artifact, as a model server would load them. */
const models = new Map<string, ThresholdModel>()
const modelOf = (version: ModelVersion): ThresholdModel => {
  const model = models.get(version.artifact.externalId ?? '')
  if (model === undefined) throw new Error(`no model for v${version.version}`)
  return model
}

/** Train in a recorded run; `offset` spoils the threshold on purpose. */
async function train(data: Row[], offset = 0) {
  const { result } = await pipeline('train-threshold', {}, () =>
    fit(data, offset),
  ).run(undefined)
  models.set(result.externalId, result.value)
  return result
}

const reference = rows(200, 1)
let serving: Row[] | undefined
let retrainOffset = 0
let leakyEvaluation = false

/** Parts of a policy to replace; `undefined` leaves a part out. */
type Overrides = {
  [K in keyof PolicyDefinition]?: PolicyDefinition[K] | undefined
}

/** A policy over the world above; parts can be replaced per test. */
function policy(overrides: Overrides = {}) {
  const base: PolicyDefinition = {
    name: 'threshold-production',
    model: 'threshold',
    drift: {
      reference: () => reference.map(({ x }) => ({ x })),
      current: () => serving?.map(({ x }) => ({ x })),
    },
    retrain: async () => {
      const data = serving ?? reference
      const model = await train(data, retrainOffset)
      const heldOut = rows(100, 99, 5)
      return {
        model,
        // A bug in the held-out split: one class only, which hides how bad a model is.
        evaluationData: leakyEvaluation
          ? heldOut.filter((row) => row.label === 0)
          : heldOut,
      }
    },
    gate: {
      metric: 'accuracy',
      margin: 0.01,
      evaluate: (version, data) =>
        accuracy(modelOf(version), data as readonly Row[]),
    },
    watch: { metric: 'accuracy', points: 3, tolerance: 0.05 },
  }
  const definition: Record<string, unknown> = { ...base, ...overrides }
  for (const [key, value] of Object.entries(definition))
    if (value === undefined) delete definition[key]
  return definePolicy(definition as unknown as PolicyDefinition)
}

beforeEach(async () => {
  temp = await createTempStore()
  configure({ store: temp.url })
  registry = await modelRegistry({ actor: 'ada' })
  serving = undefined
  retrainOffset = 0
  leakyEvaluation = false
  const first = await registry.register('threshold', await train(reference))
  await registry.setAlias('threshold', 'production', first.version)
})
afterEach(async () => {
  await shutdown()
  configure({})
  await temp.cleanup()
})

/** Log `values` as production points of a version, as a prediction service would. */
async function serve(version: number, values: number[]): Promise<void> {
  for (const value of values)
    await registry.logMetric({ model: 'threshold', version }, 'accuracy', value)
}

async function rejection(promise: Promise<unknown>): Promise<LoreError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (!LoreError.isInstance(error))
    throw new Error(`expected a LoreError, got ${String(error)}`)
  return error
}

describe('checkPolicy', () => {
  it('records a drift check and does nothing else when serving data has not drifted', async () => {
    serving = rows(100, 2)
    const report = await checkPolicy(policy())
    expect(report.outcome).toBe('ok')
    expect(report.production).toBe(1)
    expect(report.drift?.drifted).toBe(false)
    expect(report.messages[0]).toMatch(/^no drift: 0 of 1 columns drifted/)
    expect(await listIncidents(registry.store)).toEqual([])
    const [check] = (
      await registry.store.getExecutions({ type: 'Evaluate', limit: 10 })
    ).items
    expect(check?.customProperties.stage).toBe('drift-check')
    const inputs = await registry.store.getEvents({
      executionIds: [check!.id],
    })
    const types = await registry.store.getArtifacts({
      ids: inputs.map((event) => event.artifactId),
    })
    expect(types.items.map((item) => item.type).sort()).toEqual([
      'Metrics',
      'Model',
      'Statistics',
      'Statistics',
    ])
  })

  it('profiles the training data once however often it is checked', async () => {
    serving = rows(100, 2)
    await checkPolicy(policy())
    await checkPolicy(policy())
    const profiles = (
      await registry.store.getArtifacts({ type: 'Statistics', limit: 10 })
    ).items
    expect(
      profiles.map((profile) => readableNodeName(profile.name)).sort(),
    ).toEqual([
      'serving window of threshold v1',
      'training data of threshold v1',
    ])
    expect(profiles[0]?.customProperties.rowCount).toBeGreaterThan(0)
  })

  it('waits for a serving window big enough to test', async () => {
    expect((await checkPolicy(policy())).outcome).toBe('insufficient-data')
    serving = rows(10, 2)
    const report = await checkPolicy(policy())
    expect(report.outcome).toBe('insufficient-data')
    expect(report.messages).toEqual([
      'drift not tested: the serving window has 10 rows, and 30 are needed',
    ])
  })

  it('retrains on drift, promotes a better candidate, and keeps it after its watch window', async () => {
    await serve(1, [0.95, 0.94, 0.96])
    serving = rows(100, 3, 5)
    const report = await checkPolicy(policy())
    expect(report).toMatchObject({
      outcome: 'promoted',
      production: 2,
      incident: 'INC-1',
    })
    expect((await registry.getByAlias('threshold', 'production')).version).toBe(
      2,
    )
    const [incident] = await listIncidents(registry.store)
    expect(incident).toMatchObject({
      id: 'INC-1',
      trigger: 'drift',
      status: 'watching',
      fromVersion: 1,
      candidateVersion: 2,
      openedBy: 'policy:threshold-production',
    })
    expect((await checkPolicy(policy())).messages[0]).toBe(
      "watching threshold v2: 0 of 3 'accuracy' points since its promotion",
    )
    await serve(2, [0.97, 0.95, 0.96])
    const kept = await checkPolicy(policy())
    expect(kept.outcome).toBe('kept')
    const timeline = await incidentTimeline(registry.store, 'INC-1', temp.url)
    expect(timeline.incident.status).toBe('resolved')
    expect(timeline.entries.map((entry) => entry.stage)).toEqual([
      'drift-check',
      'opened',
      'run',
      'retrain',
      'candidate-evaluation',
      'promote',
      'watch-check',
      'closed',
    ])
    expect(
      timeline.entries.find((entry) => entry.stage === 'promote')?.summary,
    ).toBe('production v1 → v2 by policy:threshold-production')
  })

  it('links the promotion to the drift evidence through the lineage graph', async () => {
    serving = rows(100, 3, 5)
    await checkPolicy(policy())
    const [move] = (await registry.history('threshold')).slice(-1)
    expect(move).toMatchObject({
      action: 'set',
      fromVersion: 1,
      toVersion: 2,
      policy: 'threshold-production',
      incident: 'INC-1',
    })
    expect(move?.reason).toMatch(/better by .* \(margin 0.01\), promote$/)
    const lineage = await registry.store.getLineageSubgraph({
      executionIds: [move!.executionId],
      direction: 'upstream',
    })
    const stages = lineage.executions.map(
      (execution) =>
        execution.customProperties.stage ?? readableNodeName(execution.name),
    )
    expect(stages).toEqual(
      expect.arrayContaining([
        'candidate-evaluation',
        'retrain',
        'drift-check',
        'fit',
      ]),
    )
    // The retraining run is a child of the incident.
    const [incident] = await listIncidents(registry.store)
    const children = await registry.store.getChildContexts(incident!.contextId)
    expect(children.map((child) => child.type)).toEqual(['PipelineRun'])
  })

  it('rejects a candidate that does not beat production by the margin', async () => {
    serving = rows(100, 3, 5)
    retrainOffset = 10 // a threshold far off: it predicts 0 for every row
    const report = await checkPolicy(policy())
    expect(report.outcome).toBe('rejected')
    expect(report.production).toBe(1)
    expect(report.messages.at(-1)).toMatch(
      /^threshold v2 accuracy 0\.5 vs .* for v1 on held-out data: .*\(margin 0.01\), reject$/,
    )
    expect((await registry.getByAlias('threshold', 'production')).version).toBe(
      1,
    )
    expect((await registry.listVersions('threshold')).length).toBe(2)
    const timeline = await incidentTimeline(registry.store, 'INC-1', temp.url)
    expect(timeline.incident.status).toBe('rejected')
    expect(timeline.entries.map((entry) => entry.stage)).toEqual([
      'drift-check',
      'opened',
      'run',
      'retrain',
      'candidate-evaluation',
      'closed',
    ])
  })

  it('rolls back a promoted candidate that does worse in production during its watch window', async () => {
    await serve(1, [0.95, 0.94, 0.96])
    serving = rows(100, 3, 5)
    retrainOffset = 10
    leakyEvaluation = true
    expect((await checkPolicy(policy())).outcome).toBe('promoted')
    await serve(2, [0.5, 0.52])
    expect((await checkPolicy(policy())).outcome).toBe('watching')
    await serve(2, [0.49])
    const report = await checkPolicy(policy())
    expect(report).toMatchObject({
      outcome: 'rolled-back',
      production: 1,
      incident: 'INC-1',
    })
    expect(report.messages[0]).toBe(
      'threshold v2 accuracy 0.503 over 3 points vs 0.95 for v1 before it (limit 0.9): worse, roll back to v1',
    )
    const history = await registry.history('threshold', {
      alias: 'production',
    })
    expect(
      history.map((move) => [
        move.action,
        move.fromVersion,
        move.toVersion,
        move.actor,
        move.incident,
      ]),
    ).toEqual([
      ['set', undefined, 1, 'ada', undefined],
      ['set', 1, 2, 'policy:threshold-production', 'INC-1'],
      ['rollback', 2, 1, 'policy:threshold-production', 'INC-1'],
    ])
    const timeline = await incidentTimeline(registry.store, '1', temp.url)
    expect(timeline.incident.status).toBe('rolled-back')
    expect(timeline.entries.map((entry) => entry.stage)).toEqual([
      'drift-check',
      'opened',
      'run',
      'retrain',
      'candidate-evaluation',
      'promote',
      'watch-check',
      'rollback',
      'closed',
    ])
    // The window that led to INC-1 is not judged again; a new one is.
    leakyEvaluation = false
    retrainOffset = 0
    const again = await checkPolicy(policy())
    expect(again.outcome).toBe('unchanged')
    expect(again.messages[0]).toMatch(
      /^drift not tested again: this serving window was checked against threshold v1 already \(e:\d+\); waiting for a new window$/,
    )
    serving = rows(100, 4, 5)
    expect(await checkPolicy(policy())).toMatchObject({
      outcome: 'promoted',
      incident: 'INC-2',
    })
  })

  it('retrains on decay of a production metric below its baseline', async () => {
    const decayPolicy = policy({
      drift: undefined,
      decay: { metric: 'accuracy', window: 3, baseline: 0.9, tolerance: 0.05 },
      watch: undefined,
    })
    await serve(1, [0.9, 0.88])
    expect((await checkPolicy(decayPolicy)).outcome).toBe('insufficient-data')
    await serve(1, [0.87])
    const fine = await checkPolicy(decayPolicy)
    expect(fine.outcome).toBe('ok')
    expect(fine.decay?.decayed).toBe(false)
    await serve(1, [0.6, 0.55, 0.5])
    serving = rows(100, 3, 5)
    const report = await checkPolicy(decayPolicy)
    expect(report.outcome).toBe('promoted')
    expect(report.messages[0]).toBe(
      'decay: mean accuracy 0.55 over the last 3 points, below the limit 0.85 (baseline 0.9)',
    )
    const [incident] = await listIncidents(registry.store)
    expect(incident).toMatchObject({ trigger: 'decay', status: 'resolved' })
  })

  it('takes the decay baseline from a metric logged on the version', async () => {
    const version = await registry.register(
      'threshold',
      await train(reference),
      { metrics: { heldOutAccuracy: 0.97 } },
    )
    await registry.setAlias('threshold', 'production', version.version)
    await serve(version.version, [0.9, 0.9])
    const report = await checkPolicy(
      policy({
        drift: undefined,
        retrain: undefined,
        gate: undefined,
        watch: undefined,
        decay: {
          metric: 'accuracy',
          window: 2,
          baseline: { versionMetric: 'heldOutAccuracy' },
          tolerance: 0.05,
          relative: true,
        },
      }),
    )
    expect(report.decay).toMatchObject({ baseline: 0.97, decayed: true })
    expect(report.outcome).toBe('open')
    expect(report.messages.at(-1)).toMatch(
      /^INC-1 is open; no retraining is configured/,
    )
  })

  it('retrains when asked, recording who asked and why', async () => {
    serving = rows(100, 3, 5)
    const report = await checkPolicy(policy(), {
      retrain: { reason: 'new labels arrived', actor: 'grace' },
    })
    expect(report.outcome).toBe('promoted')
    const [incident] = await listIncidents(registry.store)
    expect(incident).toMatchObject({
      trigger: 'manual',
      reason: 'new labels arrived',
      openedBy: 'grace',
    })
    const [move] = (await registry.history('threshold')).slice(-1)
    expect(move?.actor).toBe('grace')
  })

  it('records a retraining that throws and closes its incident as failed', async () => {
    serving = rows(100, 3, 5)
    const report = await checkPolicy(
      policy({
        retrain: () => {
          throw new Error('the labelling job is down')
        },
      }),
    )
    expect(report.outcome).toBe('failed')
    expect(report.messages.at(-1)).toBe(
      'retraining failed: the labelling job is down',
    )
    const [retrain] = (
      await registry.store.getExecutions({ type: 'Retrain', limit: 1 })
    ).items
    expect(retrain?.lastKnownState).toBe('FAILED')
    expect(retrain?.error?.message).toBe('the labelling job is down')
    expect((await listIncidents(registry.store))[0]?.status).toBe('failed')
  })

  it('fails the incident when the gate scores NaN, and keeps production', async () => {
    serving = rows(100, 3, 5)
    const report = await checkPolicy(
      policy({
        gate: { metric: 'accuracy', evaluate: () => Number.NaN },
      }),
    )
    expect(report.outcome).toBe('failed')
    expect(report.messages.at(-1)).toMatch(
      /the gate scored threshold v2 NaN on 'accuracy', not a finite number/,
    )
    expect((await registry.getByAlias('threshold', 'production')).version).toBe(
      1,
    )
  })

  it('says which model or alias a policy names that the registry lacks', async () => {
    const unknownModel = await rejection(
      checkPolicy(policy({ model: 'thresold' })),
    )
    expect(unknownModel.code).toBe('NOT_FOUND')
    expect(unknownModel.message).toMatch(/model 'thresold' not found/)
    const unknownAlias = await rejection(
      checkPolicy(policy({ alias: 'canary' })),
    )
    expect(unknownAlias.message).toMatch(
      /alias 'canary' of model 'threshold' is not set; its aliases are production/,
    )
  })

  it('refuses an empty reference window with a clear error', async () => {
    serving = rows(100, 2)
    const error = await rejection(
      checkPolicy(
        policy({
          drift: {
            reference: () => [],
            current: () => serving?.map(({ x }) => ({ x })),
          },
        }),
      ),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(/empty/)
  })
})

describe('definePolicy', () => {
  it('refuses a policy that retrains without a gate, or does nothing', () => {
    const noGate = (() => {
      try {
        policy({ gate: undefined })
      } catch (error) {
        return error as LoreError
      }
    })()
    expect(noGate?.code).toBe('INVALID_ARGUMENT')
    expect(noGate?.message).toMatch(/a policy that retrains needs a gate/)
    expect(() => definePolicy({ name: 'idle', model: 'threshold' })).toThrow(
      /a policy needs something to do/,
    )
    expect(() =>
      policy({
        watch: { metric: 'accuracy', points: 0 },
      }),
    ).toThrow(/watch\.points/)
  })
})
