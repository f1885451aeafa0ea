import { fileURLToPath } from 'node:url'
import { readableNodeName, LoreError } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runTsx } from '../../test/support/run-tsx.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import {
  artifact,
  configure,
  ModelRegistry,
  modelRegistry,
  pipeline,
  shutdown,
  step,
  type ModelRegistry as Registry,
} from '../index.js'

let temp: TempStore
let registry: Registry
beforeEach(async () => {
  temp = await createTempStore()
  configure({ store: temp.url })
  registry = await modelRegistry({ actor: 'ada' })
})
afterEach(async () => {
  await shutdown()
  configure({})
  await temp.cleanup()
})

const split = step(
  { type: 'Transform', outputType: 'Dataset' },
  function split(rows: number[]) {
    return { train: rows.slice(1), test: rows.slice(0, 1) }
  },
)
/** A stand-in for a trained model: an instance, as ML libraries return. */
class TinyModel {
  constructor(readonly weights: number[]) {}
}

const train = step(
  { type: 'Train', outputType: 'Model' },
  function train(rows: number[], depth: number) {
    return new TinyModel(rows.map((row) => row * depth))
  },
)

/** Train a model in a recorded run; resolve with the run id and the model object. */
async function trainModel(depth: number) {
  const { runId, result } = await pipeline('train', {}, () => {
    const { train: rows } = split([1, 2, 3, 4])
    return train(rows, depth)
  }).run(undefined)
  return { runId, model: result }
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

describe('ModelRegistry', () => {
  it('gives versions 1, 2, … to the models steps returned, linked to the run and step that made them', async () => {
    const first = await trainModel(1)
    const second = await trainModel(2)
    const v1 = await registry.register('iris', first.model, {
      description: 'depth 1',
    })
    const v2 = await registry.register('iris', second.model)
    expect([v1.version, v2.version]).toEqual([1, 2])
    expect(v1).toMatchObject({
      model: 'iris',
      registeredBy: 'ada',
      description: 'depth 1',
      aliases: [],
      producer: { runId: first.runId },
    })
    expect(v1.artifact.type).toBe('Model')
    expect(v1.artifact.version).toBe('1')
    expect(v2.producer?.runId).toBe(second.runId)
    const [producer] = (
      await registry.store.getExecutions({ ids: [v2.producer!.executionId] })
    ).items
    expect(readableNodeName(producer?.name)).toBe('train')
    expect(await registry.getModel('iris')).toMatchObject({
      name: 'iris',
      versionCount: 2,
      aliases: {},
    })
    expect(
      (await registry.listVersions('iris')).map((version) => version.version),
    ).toEqual([1, 2])
  })

  it('reaches the training data from a version by a lineage walk', async () => {
    const { model } = await trainModel(1)
    const version = await registry.register('iris', model)
    const lineage = await registry.store.getLineageSubgraph({
      artifactIds: [version.artifact.id],
      direction: 'upstream',
    })
    expect(
      lineage.executions
        .map((execution) => readableNodeName(execution.name))
        .sort(),
    ).toEqual(['split', 'train'])
    expect(
      lineage.artifacts.map((artifact) => readableNodeName(artifact.name)),
    ).toContain('split.train')
  })

  it('returns the same version when the same model is registered again', async () => {
    const { model } = await trainModel(1)
    const once = await registry.register('iris', model)
    const again = await registry.register('iris', once.artifact.id)
    expect(again.version).toBe(1)
    expect((await registry.getModel('iris')).versionCount).toBe(1)
  })

  it('refuses one artifact as a version of two models', async () => {
    const { model } = await trainModel(1)
    await registry.register('iris', model)
    const error = await rejection(registry.register('other', model))
    expect(error.code).toBe('ALREADY_EXISTS')
    expect(error.message).toMatch(/already version 1 of model 'iris'/)
  })

  it('refuses artifacts that are not models and values no step returned', async () => {
    const { runId } = await trainModel(1)
    const dataset = (
      await registry.store.getArtifacts({ type: 'Dataset', limit: 1 })
    ).items[0]!
    const notModel = await rejection(registry.register('iris', dataset.id))
    expect(notModel.code).toBe('INVALID_ARGUMENT')
    expect(notModel.message).toMatch(
      /is a 'Dataset', not a Model; register what a training step returned/,
    )
    const untracked = await rejection(
      registry.register('iris', new TinyModel([1])),
    )
    expect(untracked.code).toBe('INVALID_ARGUMENT')
    expect(untracked.message).toMatch(/not returned by a step/)
    const missing = await rejection(registry.register('iris', 99_999))
    expect(missing.code).toBe('NOT_FOUND')
    const neverRecorded = await rejection(
      registry.register('iris', artifact.model({ weights: [1] })),
    )
    expect(neverRecorded.code).toBe('NOT_FOUND')
    expect(runId).toBeTruthy()
  })

  it('records every alias move as a Deploy execution whose inputs are the versions involved', async () => {
    const v1 = await registry.register('iris', (await trainModel(1)).model)
    const v2 = await registry.register('iris', (await trainModel(2)).model)
    await registry.setAlias('iris', 'production', 1, { reason: 'first' })
    const move = await registry.setAlias('iris', 'production', 2, {
      actor: 'grace',
      reason: 'beats v1',
    })
    expect(move).toMatchObject({
      model: 'iris',
      alias: 'production',
      action: 'set',
      sequence: 2,
      fromVersion: 1,
      toVersion: 2,
      actor: 'grace',
      reason: 'beats v1',
    })
    const [deploy] = (
      await registry.store.getExecutions({ ids: [move.executionId] })
    ).items
    expect(deploy?.type).toBe('Deploy')
    const events = await registry.store.getEvents({
      executionIds: [move.executionId],
    })
    expect(
      events.map((event) => [event.type, event.path, event.artifactId]),
    ).toEqual(
      expect.arrayContaining([
        ['INPUT', ['inputs', 'to'], v2.artifact.id],
        ['INPUT', ['inputs', 'from'], v1.artifact.id],
      ]),
    )
    expect((await registry.getByAlias('iris', 'production')).version).toBe(2)
    expect((await registry.getVersion('iris', 2)).aliases).toEqual([
      'production',
    ])
  })

  it('rolls an alias back to its previous holder, then to the one before, and keeps every move', async () => {
    for (const depth of [1, 2, 3])
      await registry.register('iris', (await trainModel(depth)).model)
    for (const version of [1, 2, 3])
      await registry.setAlias('iris', 'production', version)
    await registry.setAlias('iris', 'staging', 3)
    const back = await registry.rollback('iris', 'production', {
      reason: 'v3 is worse',
    })
    expect(back).toMatchObject({
      action: 'rollback',
      fromVersion: 3,
      toVersion: 2,
      reason: 'v3 is worse',
    })
    await registry.rollback('iris', 'production')
    expect((await registry.getByAlias('iris', 'production')).version).toBe(1)
    expect(await registry.aliases('iris')).toEqual({
      production: 1,
      staging: 3,
    })
    const history = await registry.history('iris', { alias: 'production' })
    expect(
      history.map((move) => [
        move.sequence,
        move.action,
        move.fromVersion,
        move.toVersion,
      ]),
    ).toEqual([
      [1, 'set', undefined, 1],
      [2, 'set', 1, 2],
      [3, 'set', 2, 3],
      [4, 'rollback', 3, 2],
      [5, 'rollback', 2, 1],
    ])
    expect((await registry.history('iris')).length).toBe(6)
    const error = await rejection(registry.rollback('iris', 'production'))
    expect(error.code).toBe('FAILED_PRECONDITION')
    expect(error.message).toMatch(/nothing to roll back to/)
  })

  it('records nothing when an alias is set to the version it holds', async () => {
    await registry.register('iris', (await trainModel(1)).model)
    const first = await registry.setAlias('iris', 'production', 1)
    const again = await registry.setAlias('iris', 'production', 1)
    expect(again.executionId).toBe(first.executionId)
    expect(await registry.history('iris')).toHaveLength(1)
  })

  it('says which model, version or alias is unknown and how to list them', async () => {
    await registry.register('iris', (await trainModel(1)).model)
    const unknownModel = await rejection(
      registry.getByAlias('irsi', 'production'),
    )
    expect(unknownModel.code).toBe('NOT_FOUND')
    expect(unknownModel.message).toMatch(
      /model 'irsi' not found in sqlite:.*; list models with: lore models list/,
    )
    const unknownAlias = await rejection(registry.getByAlias('iris', 'prod'))
    expect(unknownAlias.code).toBe('NOT_FOUND')
    expect(unknownAlias.message).toMatch(
      /alias 'prod' of model 'iris' is not set; the model has no aliases yet/,
    )
    const unknownVersion = await rejection(
      registry.setAlias('iris', 'production', 7),
    )
    expect(unknownVersion.message).toMatch(
      /version 7 of model 'iris' not found .*its versions are 1 to 1/,
    )
    const badVersion = await rejection(registry.getVersion('iris', 0))
    expect(badVersion.code).toBe('INVALID_ARGUMENT')
    const badName = await rejection(
      registry.register('no spaces', (await trainModel(2)).model),
    )
    expect(badName.code).toBe('INVALID_ARGUMENT')
    const badAlias = await rejection(
      registry.setAlias('iris', 'prod uction', 1),
    )
    expect(badAlias.message).toMatch(/alias "prod uction" is not valid/)
  })

  it('logs metrics on a version, counting steps up, and refuses NaN', async () => {
    const version = await registry.register(
      'iris',
      (await trainModel(1)).model,
      { metrics: { accuracy: 0.9 } },
    )
    await registry.logMetric(version, 'accuracy', 0.8)
    await registry.logMetric(version, 'accuracy', 0.7)
    const points = await registry.getMetrics(version, 'accuracy')
    expect(points.map((point) => [point.step, point.value])).toEqual([
      [0, 0.9],
      [1, 0.8],
      [2, 0.7],
    ])
    expect(
      (await registry.getMetrics(version, 'accuracy', { last: 1 }))[0]?.value,
    ).toBe(0.7)
    const error = await rejection(
      registry.logMetric(version, 'accuracy', Number.NaN),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      "metric 'accuracy' (model 'iris' v1) is NaN, not a finite number; skip the point or log a number (NaN and Infinity are not metrics)",
    )
  })

  it('serialises alias moves from two processes writing one file', async () => {
    await registry.register('iris', (await trainModel(1)).model)
    await registry.register('iris', (await trainModel(2)).model)
    await shutdown()
    const script = fileURLToPath(
      new URL('../../test/fixtures/move-aliases.ts', import.meta.url),
    )
    const results = await Promise.all([
      runTsx(script, [temp.url, 'iris', 'production', '1,2,1,2,1,2,1,2']),
      runTsx(script, [temp.url, 'iris', 'production', '2,1,2,1,2,1,2,1']),
    ])
    for (const result of results) expect(result.stderr).toBe('')
    const reader = new ModelRegistry(await temp.open())
    const moves = await reader.history('iris', { alias: 'production' })
    expect(moves.map((move) => move.sequence)).toEqual(
      moves.map((_, index) => index + 1),
    )
    // Each move starts from where the one before left the alias: none was lost.
    for (const [index, move] of moves.entries())
      if (index > 0) expect(move.fromVersion).toBe(moves[index - 1]?.toVersion)
  })
})
