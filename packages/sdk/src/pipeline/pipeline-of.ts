import { LoreError } from '@lore/store'
import type { z } from 'zod'
import type { PipelineMetadata } from '../decorators/pipeline-decorator.js'
import { getPipelineMetadata } from '../decorators/lore-metadata.js'
import type { RunContext } from '../core/run-context.js'
import { Pipeline } from './pipeline.js'

function staticConfig(target: object): z.ZodType | undefined {
  const config = (target as { config?: unknown }).config
  return typeof config === 'object' &&
    config !== null &&
    typeof (config as { safeParse?: unknown }).safeParse === 'function'
    ? (config as z.ZodType)
    : undefined
}

/** A class `@pipeline()` can run: constructed without arguments, with a `run` method. */
export type PipelineClass = new () => {
  run(config: any, context: RunContext): unknown
}

/**
 * What `run()` accepts: the input type of the class's static `config` schema when it has one
 * (so defaults may be left out), else the type of its `run` method's first parameter.
 */
type ConfigOf<C extends PipelineClass> = C extends { config: z.ZodType }
  ? z.input<C['config']>
  : Parameters<InstanceType<C>['run']>[0]
type ResultOf<C extends PipelineClass> = Awaited<
  ReturnType<InstanceType<C>['run']>
>

/**
 * The pipeline of a `@pipeline()` class: each run constructs the class and calls its
 * `run(config, ctx)` method, whose `@step()` method calls are the run's steps. The config
 * schema is `@pipeline({ config })`, or a static `config` property of the class (which also
 * gives `run()` its argument type).
 *
 * @example
 * const { runId, result } = await pipelineOf(IrisPipeline).run({ testFraction: 0.3 })
 */
export function pipelineOf<C extends PipelineClass>(
  pipelineClass: C,
): Pipeline<ConfigOf<C>, ResultOf<C>> {
  const metadata = getPipelineMetadata<PipelineMetadata>(pipelineClass)
  if (metadata === undefined)
    throw new LoreError(
      'INVALID_ARGUMENT',
      `class ${pipelineClass.name} is not a pipeline; decorate it with @pipeline()`,
    )
  if (typeof pipelineClass.prototype.run !== 'function')
    throw new LoreError(
      'INVALID_ARGUMENT',
      `pipeline class ${pipelineClass.name} has no run(config, ctx) method to start it with`,
    )
  return new Pipeline<ConfigOf<C>, ResultOf<C>>(
    {
      name: metadata.name,
      description: metadata.description,
      version: metadata.version,
      file: metadata.file,
      className: metadata.className,
    },
    // Read when the pipeline is made: static fields may be set after class decorators run.
    metadata.config ?? staticConfig(pipelineClass),
    async (config, context): Promise<ResultOf<C>> => {
      const value: unknown = await new pipelineClass().run(config, context)
      return value as ResultOf<C>
    },
  )
}
