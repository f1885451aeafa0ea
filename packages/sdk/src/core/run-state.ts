import { randomUUID } from 'node:crypto'
import { messageOf, nameOf } from '../capture/text-of.js'
import { checkMetric, type LogMetricOptions } from './metric-point.js'
import { MetricQueue } from './metric-queue.js'
import type { RecordSink } from './record-sink.js'
import type { ReplayInfo } from './replay-info.js'
import type { RunContext } from './run-context.js'
import { runStorage } from './run-frame.js'
import { seededRandom } from './seeded-random.js'
import type { StepCall } from './step-call.js'
import type { StepLookup } from './step-lookup.js'

/** A run's status as stored and shown. ABANDONED is set by readers when the heartbeat stopped. */
export type RunStatus =
  'RUNNING' | 'COMPLETE' | 'FAILED' | 'CANCELED' | 'ABANDONED'

/** What a run knows of its pipeline. */
export interface PipelineInfo {
  name: string
  description?: string | undefined
  version?: string | undefined
  /** The source file that defines the pipeline. */
  file?: string | undefined
  /** The export of `file` that holds the pipeline, when known. */
  exportName?: string | undefined
  /** The class of a `@pipeline()` pipeline. */
  className?: string | undefined
}

/** Options of a {@link RunState}. */
export interface RunStateOptions {
  pipeline: PipelineInfo
  recorder: RecordSink
  config: unknown
  seed: number
  adhoc: boolean
  runId?: string | undefined
  /** Environment variable names whose values may be recorded. */
  captureEnv?: readonly string[] | undefined
  /**
   * True for a run of another process that this process's steps join: its own record
   * (status, heartbeat, end) stays its owner's. @default false
   */
  joined?: boolean | undefined
}

/**
 * The live state of one pipeline run: identity, status and counters. It holds the calls
 * still in flight (so a heartbeat can record them as RUNNING), never finished ones. What
 * other layers attach to a run (its cache lookup, what it replays, its metric points) are
 * fields here, not side tables.
 */
export class RunState {
  readonly id: string
  readonly pipeline: PipelineInfo
  readonly recorder: RecordSink
  readonly config: unknown
  readonly seed: number
  readonly adhoc: boolean
  readonly joined: boolean
  readonly captureEnv: readonly string[]
  readonly startedAt = Date.now()
  readonly context: RunContext
  readonly inFlight = new Set<StepCall>()
  /** Step calls that have ended in this process (a progress line counts them). */
  settledSteps = 0
  /** Source files of the steps called in this run; filled by the recorder. */
  readonly stepFiles = new Set<string>()
  /** Metric points logged on the run itself (outside its steps). */
  readonly metrics = new MetricQueue()
  status: RunStatus = 'RUNNING'
  endedAt: number | undefined
  error: { name: string; message: string } | undefined
  stepCount = 0
  failedSteps = 0
  droppedRecords = 0
  /** The store's id of the run's context, once written. */
  contextId: number | undefined
  /** What the run replays, if it is a replay; set before it starts. */
  replay: ReplayInfo | undefined
  /** How its steps look up a result to reuse (cache, `replay --from`); set before it starts. */
  lookup: StepLookup | undefined

  constructor(options: RunStateOptions) {
    // Random, unlike the SDK's other client ids (UUIDv7): a run is named by its first 8
    // characters (`lore show 1a2b3c4d`), and a time-ordered id's first 8 are its minute.
    // One id a run costs the store's indexes nothing worth ordering.
    this.id = options.runId ?? randomUUID()
    this.pipeline = Object.freeze({ ...options.pipeline })
    this.recorder = options.recorder
    this.config = options.config
    this.seed = options.seed
    this.adhoc = options.adhoc
    this.joined = options.joined === true
    this.captureEnv = Object.freeze([...(options.captureEnv ?? [])])
    this.context = Object.freeze<RunContext>({
      runId: this.id,
      pipeline: this.pipeline.name,
      seed: this.seed,
      random: seededRandom(this.seed),
      startedAt: this.startedAt,
      adhoc: this.adhoc,
      logMetric: (key, value, options) => this.logMetric(key, value, options),
    })
  }

  /** The run context's unique name within its type. */
  get contextName(): string {
    return `${this.pipeline.name}/${this.id}`
  }

  /** The call of this run still in flight with external id `id`, if any. */
  callInFlight(id: string): StepCall | undefined {
    for (const call of this.inFlight) if (call.id === id) return call
    return undefined
  }

  /**
   * What `ctx.logMetric` does: check the point, then attach it to the step call the caller
   * is in (written with that call's record), or else to the run (written to its context).
   * Never waits for the store; throws only for a bad point.
   */
  logMetric(key: string, value: number, options?: LogMetricOptions): void {
    const frame = runStorage.getStore()
    const call =
      frame?.run === this && frame.parentId !== undefined
        ? this.callInFlight(frame.parentId)
        : undefined
    const where =
      call === undefined
        ? `run ${this.id}`
        : `step '${call.step.name}' of run ${this.id}`
    const point = checkMetric(key, value, options, where)
    if (call !== undefined) {
      call.metrics.add(point)
      return
    }
    this.metrics.add(point)
    this.recorder.recordRunMetrics(this)
  }

  /** Mark the run finished: FAILED when it threw or a step failed, else COMPLETE. */
  finish(error?: unknown): void {
    this.endedAt = Date.now()
    if (error !== undefined) {
      this.error = { name: nameOf(error), message: messageOf(error) }
    }
    this.status =
      error !== undefined || this.failedSteps > 0 ? 'FAILED' : 'COMPLETE'
  }
}
