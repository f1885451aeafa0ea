import { randomInt } from 'node:crypto'
import { LoreError, validateInput } from '@lore/store'
import type { z } from 'zod'
import { recorderFor } from '../recorder/recorder-registry.js'
import { prepareRun } from '../replay/prepare-run.js'
import type { RunContext } from '../core/run-context.js'
import { RunState, type PipelineInfo } from '../core/run-state.js'
import { runStorage } from '../core/run-frame.js'
import type { RunOptions, RunResult } from './pipeline-options.js'

/** The function a pipeline runs. */
export type PipelineBody<Config, Result> = (
  config: Config,
  context: RunContext,
) => Result | Promise<Result>

function invalidConfig(pipeline: string, error: unknown): unknown {
  if (!LoreError.isInstance(error)) return error
  const lines = error.issues.map((issue) => `  - ${issue.message}`)
  return new LoreError(
    'INVALID_ARGUMENT',
    `invalid config for pipeline '${pipeline}' (${lines.length} issue${lines.length === 1 ? '' : 's'}); nothing was recorded:\n${lines.join('\n')}`,
    { issues: error.issues, details: { pipeline } },
  )
}

/**
 * A pipeline: a name, a config schema and a function whose step calls make up a run.
 * Make one with `pipeline(name, options, fn)` or `pipelineOf(DecoratedClass)`.
 *
 * @example
 * const { runId, result } = await irisPipeline.run({ testFraction: 0.3 })
 */
export class Pipeline<Input, Result> {
  readonly name: string
  readonly #schema: z.ZodType | undefined
  readonly #body: PipelineBody<any, Result>
  readonly #info: PipelineInfo

  constructor(
    info: PipelineInfo,
    schema: z.ZodType | undefined,
    body: PipelineBody<any, Result>,
  ) {
    this.name = info.name
    this.#info = Object.freeze({ ...info })
    this.#schema = schema
    this.#body = body
  }

  /** The zod schema `run()` validates its config with, if any (`replay` checks old configs). */
  get configSchema(): z.ZodType | undefined {
    return this.#schema
  }

  /**
   * Validate `config`, open a run (a `PipelineRun` context under the pipeline's context), call
   * the function with the config and the run context, and record every step it calls. Resolves
   * with the result and the run id once everything is written; rejects with the function's own
   * error (the same object) after recording the run FAILED.
   */
  async run(
    config: Input,
    options: RunOptions = {},
  ): Promise<RunResult<Result>> {
    let parsed: unknown = config
    if (this.#schema !== undefined) {
      try {
        parsed = validateInput(this.#schema, config, 'config')
      } catch (error) {
        throw invalidConfig(this.name, error)
      }
    }
    const recorder = recorderFor(options.store)
    recorder.checkStrict()
    const run = new RunState({
      pipeline: this.#info,
      recorder,
      config: parsed,
      seed: options.seed ?? randomInt(2 ** 31),
      adhoc: false,
      runId: options.runId,
      captureEnv: options.captureEnv,
    })
    await prepareRun(run, options)
    recorder.startRun(run)
    let result: Result
    try {
      result = await runStorage.run({ run, parentId: undefined }, () =>
        this.#body(parsed, run.context),
      )
    } catch (error) {
      run.finish(error)
      // The function's error wins; a strict-mode recording error stays kept for the next call.
      await recorder.endRun(run).catch(() => undefined)
      throw error
    }
    run.finish()
    await recorder.endRun(run)
    return {
      runId: run.id,
      result,
      status: run.status === 'FAILED' ? 'FAILED' : 'COMPLETE',
    }
  }
}
