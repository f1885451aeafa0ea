import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { artifact } from '../artifact/artifact.js'
import type { FileArtifact } from '../artifact/file-artifact.js'
import type { ValueArtifact } from '../artifact/value-artifact.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import type { RunResult } from '../pipeline/pipeline-options.js'
import type { RunContext } from '../core/run-context.js'
import { step } from './step.js'

describe('step types', () => {
  it('returns exactly the type of the function it wraps', () => {
    const split = (rows: number[], testFraction = 0.2) => ({
      train: rows.slice(testFraction),
      test: rows,
    })
    expectTypeOf(step(split)).toEqualTypeOf(split)
    expectTypeOf(
      step({ name: 'split', type: 'Transform' }, split),
    ).toEqualTypeOf(split)
  })

  it('keeps a sync function sync and an async one async', () => {
    expectTypeOf(
      step((value: number) => value * 2),
    ).returns.toEqualTypeOf<number>()
    expectTypeOf(
      step(async (value: number) => value * 2),
    ).returns.toEqualTypeOf<Promise<number>>()
    async function* batches(size: number) {
      yield [size]
    }
    expectTypeOf(step(batches)).toEqualTypeOf(batches)
  })

  it('keeps this and the type parameters of the wrapped function', () => {
    function scale(this: { factor: number }, value: number): number {
      return value * this.factor
    }
    expectTypeOf(step(scale)).thisParameter.toEqualTypeOf<{ factor: number }>()
    const identity = <T>(value: T): T => value
    expectTypeOf(step(identity)<'a'>('a')).toEqualTypeOf<'a'>()
  })
})

describe('pipeline types', () => {
  it('types the config from its zod schema: input for run(), output for the function', () => {
    const Config = z.object({ rows: z.number(), rate: z.number().default(0.1) })
    const training = pipeline('training', { config: Config }, (config, ctx) => {
      expectTypeOf(config).toEqualTypeOf<{ rows: number; rate: number }>()
      expectTypeOf(ctx).toEqualTypeOf<RunContext>()
      return config.rows
    })
    expectTypeOf(training.run)
      .parameter(0)
      .toEqualTypeOf<{ rows: number; rate?: number | undefined }>()
    expectTypeOf(training.run).returns.toEqualTypeOf<
      Promise<RunResult<number>>
    >()
  })
})

describe('artifact types', () => {
  it('makes file handles from paths and value handles from values', () => {
    expectTypeOf(artifact.dataset('data.csv')).toEqualTypeOf<FileArtifact>()
    expectTypeOf(artifact.model({ weights: [1] })).toEqualTypeOf<
      ValueArtifact<{ weights: number[] }>
    >()
    expectTypeOf(artifact.value(3).value).toEqualTypeOf<number>()
  })
})
