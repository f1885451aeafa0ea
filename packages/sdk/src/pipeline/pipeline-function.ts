import type { z } from 'zod'
import { callerFile } from '../capture/caller-file.js'
import {
  pipelineDecorator,
  type ClassPipelineOptions,
  type PipelineDecorator,
} from '../decorators/pipeline-decorator.js'
import type { RunContext } from '../core/run-context.js'
import { Pipeline } from './pipeline.js'
import type { PipelineOptions } from './pipeline-options.js'

/**
 * Define a pipeline: `fn` gets the validated config and the run context, and every step it
 * calls — directly, nested, or fanned out with `Promise.all` — is recorded in the run.
 *
 * Without a name, `pipeline()` / `pipeline(options)` is the `@pipeline()` class decorator.
 *
 * @example
 * export const etl = pipeline('etl', { config: z.object({ input: z.string() }) }, async (config, ctx) => {
 *   const rows = await extract(artifact.file(config.input))
 *   return load(transform(rows))
 * })
 * const { runId } = await etl.run({ input: 'data/raw.csv' })
 */
export function pipeline<S extends z.ZodType, Result>(
  name: string,
  options: PipelineOptions<S> & { config: S },
  fn: (config: z.output<S>, context: RunContext) => Result | Promise<Result>,
): Pipeline<z.input<S>, Result>
export function pipeline<Result>(
  name: string,
  options: PipelineOptions,
  fn: (config: unknown, context: RunContext) => Result | Promise<Result>,
): Pipeline<unknown, Result>
export function pipeline(options?: ClassPipelineOptions): PipelineDecorator
export function pipeline(
  first?: string | ClassPipelineOptions,
  options?: PipelineOptions,
  fn?: (config: any, context: RunContext) => unknown,
): unknown {
  if (typeof first !== 'string') return pipelineDecorator(first)
  if (typeof fn !== 'function')
    throw new TypeError(
      `pipeline('${first}', options, fn): fn must be the pipeline's function`,
    )
  return new Pipeline(
    {
      name: first,
      description: options?.description,
      version: options?.version,
      file: callerFile(),
    },
    options?.config,
    fn,
  )
}
