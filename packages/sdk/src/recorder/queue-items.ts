import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'

/**
 * A step call waiting to be written. A snapshot records a call still in flight: RUNNING at a
 * heartbeat, CANCELED when the process is interrupted.
 */
export interface StepItem {
  kind: 'step'
  call: StepCall
  snapshot?: 'RUNNING' | 'CANCELED'
}

/** A change of a run's context waiting to be written. */
export interface RunItem {
  kind: 'run'
  run: RunState
  phase: 'start' | 'status' | 'end' | 'metrics'
}

/** What the recorder's queue holds, in the order it is written. */
export type QueueItem = StepItem | RunItem

/** Counters of a recorder, for tests, the benchmark and diagnostics. */
export interface RecorderStats {
  /** Step records waiting to be written. */
  queued: number
  /** Step records written to the store. */
  written: number
  /** Step records lost: queue full, or the store refused them. */
  dropped: number
  /** Batches written. */
  batches: number
}
