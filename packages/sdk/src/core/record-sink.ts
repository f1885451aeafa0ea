import type { MetadataStore } from '@lore/store'
import type { RunState } from './run-state.js'
import type { StepCall } from './step-call.js'

/**
 * The port between the call and run model and whatever records it — the recorder implements
 * it. The caller's path uses only the cheap, synchronous part (`checkStrict`, `stepStarted`,
 * `hasRoom`, `record`); none of it throws into user code, except `checkStrict` in strict mode.
 */
export interface RecordSink {
  /** Where records go: a store url, or a description of a store object. */
  readonly location: string
  /** True once the sink was closed; a new one is made for later runs. */
  readonly closed: boolean
  /** In strict mode, throw the recording error kept so far. */
  checkStrict(): void
  /** True when a finished call can be queued without dropping it. */
  hasRoom(): boolean
  /** Resolves when there is room again (or after a bounded wait); never rejects. */
  waitForRoom(): Promise<void>
  /**
   * A call began (before the user's function runs): for listeners that say so at once
   * (OpenLineage's START). Cheap, never throws; records nothing by itself.
   */
  stepStarted(call: StepCall): void
  /** Queue a finished call's record. */
  record(call: StepCall): void
  /** Queue the start of a run. */
  startRun(run: RunState): void
  /** Queue a run's status again (an ad-hoc run reopened by a late step). */
  reopenRun(run: RunState): void
  /** Queue the metric points logged on a run (outside its steps). */
  recordRunMetrics(run: RunState): void
  /** Queue the end of a run and write everything queued. */
  endRun(run: RunState): Promise<void>
  /** Write everything queued. */
  flush(): Promise<void>
  /** The store records go to, opened on first use. */
  store(): Promise<MetadataStore>
}
