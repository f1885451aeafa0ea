import type { LogMetricOptions } from './metric-point.js'

/**
 * What a pipeline's function and its steps know about the run they are in.
 *
 * @example
 * pipeline('iris', { config }, async (config, ctx) => {
 *   const rows = shuffle(data, ctx.seed)
 * })
 */
export interface RunContext {
  /** The run's id: give it (or a unique prefix) to `lore show`. */
  readonly runId: string
  /** The pipeline's name. */
  readonly pipeline: string
  /** The random seed of this run; use it for every random choice so a replay can repeat it. */
  readonly seed: number
  /**
   * A random number in [0, 1) from a generator seeded with {@link seed}: the same seed gives
   * the same sequence, so a replay repeats it (as long as steps draw in the same order).
   */
  random(): number
  /** When the run started, in milliseconds since the epoch. */
  readonly startedAt: number
  /** True for the run Lore opens for steps called outside any pipeline. */
  readonly adhoc: boolean
  /**
   * Log a metric point: inside a step, on that step's execution (written with its record);
   * in the pipeline's function, on the run. Never waits for the store. Throws a `LoreError`
   * (`INVALID_ARGUMENT`) for an empty key, a value that is not a finite number, or a step
   * that is not an integer. Numbers a step returns under a `metrics` key are logged too.
   *
   * @example
   * for (const [epoch, loss] of losses.entries()) ctx.logMetric('loss', loss, { step: epoch })
   */
  logMetric(key: string, value: number, options?: LogMetricOptions): void
}
