// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from '../capture/time-ordered-id.js'
import type { CacheFacts } from './cache-facts.js'
import type { CallInputs } from './call-inputs.js'
import type { OutputPlan } from './call-outputs.js'
import { MetricQueue } from './metric-queue.js'
import type { RunState } from './run-state.js'
import type { StepDefinition } from './step-definition.js'

/** The state an execution is recorded in. */
export type CallState =
  'RUNNING' | 'COMPLETE' | 'FAILED' | 'CANCELED' | 'CACHED'

/** How many yielded values of an async iterable step are tracked as outputs. */
export const maxTrackedYields = 100

/**
 * One call of a step, as captured on the caller's path: references and timings only. The
 * recorder turns it into an execution record later; nothing here is serialised or hashed.
 */
export class StepCall {
  readonly id = `execution:${timeOrderedId()}`
  readonly step: StepDefinition
  readonly run: RunState
  readonly parentId: string | undefined
  /** What the call was given, snapshotted before the function ran. */
  readonly inputs: CallInputs
  readonly startTime = Date.now()
  readonly startMono = performance.now()
  endTime = 0
  endMono = 0
  state: CallState = 'RUNNING'
  result: unknown = undefined
  error: unknown = undefined
  /** Values an async iterable yielded (the first {@link maxTrackedYields}), and how many. */
  yielded: unknown[] | undefined
  yieldCount = 0
  /** True when the call returned an async iterable, whose iteration is its execution. */
  iterated = false
  /** True when iteration stopped before the iterable was done (`break`, `return()`). */
  abandoned = false
  /** The cache key, its parts and what the lookup found; recorded as `cache`. */
  cache: CacheFacts | undefined
  /** Its outputs, planned when it ended (COMPLETE or CACHED) with an object or yielded values. */
  outputs: OutputPlan | undefined
  /** Set once a RUNNING record of this call was queued. */
  runningRecorded = false
  #metrics: MetricQueue | undefined

  constructor(
    step: StepDefinition,
    run: RunState,
    parentId: string | undefined,
    inputs: CallInputs,
  ) {
    this.step = step
    this.run = run
    this.parentId = parentId
    this.inputs = inputs
  }

  /**
   * Metric points logged inside this call (`ctx.logMetric`), written with its record. Made on
   * first use: most calls log none.
   */
  get metrics(): MetricQueue {
    this.#metrics ??= new MetricQueue()
    return this.#metrics
  }

  /** Record the end of the call; `error` set means it FAILED. */
  end(state: CallState, result: unknown, error?: unknown): void {
    this.endMono = performance.now()
    this.endTime = Date.now()
    this.state = state
    this.result = result
    this.error = error
  }
}
