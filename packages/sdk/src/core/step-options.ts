import type { z } from 'zod'
import type { CaptureLimits } from '../capture/capture-limits.js'
import type { RedactPattern } from '../capture/redact.js'

/**
 * Options of {@link step} and `@step()`.
 *
 * @example
 * const train = step({ name: 'train', type: 'Train', outputType: 'Model' }, fit)
 */
export interface StepOptions {
  /**
   * The step's name in records. @default the function's (or method's) name, else `'step'`
   */
  name?: string
  /** A version label of the step's code, recorded with each execution. */
  version?: string
  /**
   * The execution type: MLMD's base types `Train`, `Transform`, `Process`, `Evaluate`,
   * `Deploy`, or a name of your own. @default 'Step'
   */
  type?: string
  /**
   * A zod object schema of the parameters. Its keys name the arguments (positionally, or the
   * fields of a single object argument), and the named parameters are validated: an invalid
   * call throws a `LoreError` (`INVALID_ARGUMENT`, with zod's issues) and is recorded FAILED.
   */
  params?: z.ZodObject
  /**
   * The artifact type of the values this step returns (`Dataset`, `Model`, `Metrics`, or your
   * own); handles returned keep their own type. @default 'Value'
   */
  outputType?: string
  /** How much of each value is kept; see {@link CaptureLimits}. */
  capture?: CaptureLimits
  /**
   * Reuse the outputs of an earlier execution with the same cache key — the step's name,
   * type and version, the sha256 of its source file, its parameters and the fingerprints of
   * its inputs — instead of calling it. A hit is recorded CACHED; `lore explain` says why a
   * call missed. Outputs must be JSON values or file/directory handles (files are checked
   * before reuse). Off for a run with `run(config, { cache: false })` or `--no-cache`.
   * @default false
   */
  cache?: boolean
  /** Keys to hide, on top of the defaults (password, secret, token, api_key, authorization…). */
  redact?: readonly RedactPattern[]
}
