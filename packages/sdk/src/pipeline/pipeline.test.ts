import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { LoreError, openStore } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { currentRun } from '../runtime/current-run.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { pipeline } from './pipeline-function.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

const Config = z.object({
  rows: z.number().int().positive(),
  learningRate: z.number().gt(0).default(0.1),
  apiToken: z.string().default('not-a-real-token'),
})

const makeRows = step(function makeRows(count: number, seed: number) {
  return Array.from({ length: count }, (_, index) => (index * seed) % 7)
})

export const trainingPipeline = pipeline(
  'training',
  { config: Config },
  (config, ctx) => {
    const seen = currentRun()
    return {
      rows: makeRows(config.rows, ctx.seed),
      seed: ctx.seed,
      sameRun: seen?.runId === ctx.runId,
    }
  },
)

describe('pipeline', () => {
  it('validates the config, lists every zod issue and records nothing', async () => {
    const error = await trainingPipeline
      .run({ rows: -1, learningRate: 0 } as never, { store: temp.url })
      .catch((thrown: unknown) => thrown)
    expect(LoreError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT')
    const message = (error as LoreError).message
    expect(message).toContain(
      "invalid config for pipeline 'training' (2 issues); nothing was recorded",
    )
    expect(message).toContain('config.rows')
    expect(message).toContain('config.learningRate')
    expect((error as LoreError).issues.map((issue) => issue.path)).toEqual([
      ['rows'],
      ['learningRate'],
    ])
    const store = await openStore(temp.url)
    expect((await store.getContexts({})).items).toEqual([])
    await store.close()
  })

  it('opens a PipelineRun context under its Pipeline context and returns the result and run id', async () => {
    const { runId, result, status } = await trainingPipeline.run(
      { rows: 3 },
      { store: temp.url, seed: 5 },
    )
    expect(status).toBe('COMPLETE')
    expect(result).toEqual({ rows: [0, 5, 3], seed: 5, sameRun: true })
    const store = await temp.open()
    const recorded = await readRun(store, runId)
    expect(recorded.run.type).toBe('PipelineRun')
    expect(recorded.run.customProperties).toMatchObject({
      status: 'COMPLETE',
      stepCount: 1,
      failedSteps: 0,
      droppedRecords: 0,
    })
    const [parent] = await store.getParentContexts(recorded.run.id)
    expect(parent).toMatchObject({ type: 'Pipeline', name: 'training' })
    expect(recorded.execution('makeRows').customProperties.params).toEqual({
      count: 3,
      seed: 5,
    })
  })

  it('records what is needed to run it again', async () => {
    const { runId } = await trainingPipeline.run(
      { rows: 2 },
      { store: temp.url, seed: 11 },
    )
    const { run } = await readRun(await temp.open(), runId)
    const properties = run.properties as Record<string, any>
    expect(properties.pipeline).toBe('training')
    expect(properties.seed).toBe(11)
    expect(properties.adhoc).toBe(false)
    expect(properties.config).toEqual({
      rows: 2,
      learningRate: 0.1,
      apiToken: '[REDACTED]',
    })
    expect(properties.entry).toMatchObject({
      module: 'packages/sdk/src/pipeline/pipeline.test.ts',
      export: 'trainingPipeline',
    })
    expect(properties.code.gitCommit).toMatch(/^[0-9a-f]{40}$/)
    expect(typeof properties.code.gitDirty).toBe('boolean')
    const self = fileURLToPath(import.meta.url)
    expect(
      properties.code.sourceFiles['packages/sdk/src/pipeline/pipeline.test.ts'],
    ).toBe(
      createHash('sha256')
        .update(await readFile(self))
        .digest('hex'),
    )
    expect(properties.environment).toMatchObject({
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      lockfile: {
        file: 'pnpm-lock.yaml',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    })
    expect(properties.environment.dependencies.zod).toMatch(/^4\./)
    expect(properties.environment.dependencies.commander).toMatch(/^14\./)
  })

  it('records only allow-listed environment variables, and never secret-looking ones', async () => {
    process.env.LORE_TEST_REGION = 'eu-west'
    process.env.LORE_TEST_SECRET = 'shh'
    const { runId } = await trainingPipeline.run(
      { rows: 1 },
      {
        store: temp.url,
        captureEnv: ['LORE_TEST_REGION', 'LORE_TEST_SECRET', 'LORE_TEST_UNSET'],
      },
    )
    const { run } = await readRun(await temp.open(), runId)
    expect((run.properties.environment as Record<string, unknown>).env).toEqual(
      {
        LORE_TEST_REGION: 'eu-west',
        LORE_TEST_SECRET: '[REDACTED]',
      },
    )
  })

  it('rejects with the same error the function threw and records the run FAILED', async () => {
    const broken = new Error('out of memory')
    const failing = pipeline('failing', {}, () => {
      makeRows(1, 1)
      throw broken
    })
    const error = await failing
      .run(undefined, { store: temp.url })
      .catch((thrown: unknown) => thrown)
    expect(error).toBe(broken)
    const [run] = (
      await (await temp.open()).getContexts({ type: 'PipelineRun' })
    ).items
    expect(run?.customProperties).toMatchObject({
      status: 'FAILED',
      error: { name: 'Error', message: 'out of memory' },
      stepCount: 1,
    })
  })

  it('is FAILED when a step failed, even if the function caught the error and went on', async () => {
    const flaky = step(function flaky() {
      throw new Error('flaky')
    })
    const forgiving = pipeline('forgiving', {}, () => {
      try {
        flaky()
      } catch {
        return 'recovered'
      }
      return 'unreachable'
    })
    const { result, status } = await forgiving.run(undefined, {
      store: temp.url,
    })
    expect(result).toBe('recovered')
    expect(status).toBe('FAILED')
  })
})
