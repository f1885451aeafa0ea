import type { RunContext } from '../core/run-context.js'
import { runStorage } from '../core/run-frame.js'

/**
 * The run the calling code is in — inside a pipeline's function or a step — or undefined
 * outside any run. Steps use it for `ctx.seed`.
 *
 * @example
 * const seed = currentRun()?.seed ?? 42
 */
export function currentRun(): RunContext | undefined {
  return runStorage.getStore()?.run.context
}
