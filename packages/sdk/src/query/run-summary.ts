import type { Context, Value } from '@lore/store'
import type { RunStatus } from '../core/run-state.js'

/** One run as `lore runs` lists it. */
export interface RunSummary {
  /** The run's id (its context's external id). */
  runId: string
  /** The store's id of the run's context. */
  contextId: number
  pipeline: string
  status: RunStatus
  startedAt: number | undefined
  endedAt: number | undefined
  durationMs: number | undefined
  /** Step records written. */
  steps: number
  failedSteps: number
  droppedRecords: number
  adhoc: boolean
  /** Last sign of life, and how often one was due. */
  heartbeatAt: number | undefined
  heartbeatIntervalMs: number | undefined
  pid: number | undefined
  host: string | undefined
}

const number = (value: Value | undefined): number | undefined =>
  typeof value === 'number' ? value : undefined
const text = (value: Value | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined

const statuses = new Set([
  'RUNNING',
  'COMPLETE',
  'FAILED',
  'CANCELED',
  'ABANDONED',
])

/**
 * Read a `PipelineRun` context as a run summary.
 *
 * @example
 * const summary = summarizeRun(context)
 */
export function summarizeRun(context: Context): RunSummary {
  const custom = context.customProperties
  const status = text(custom.status)
  return {
    runId: context.externalId ?? String(context.id),
    contextId: context.id,
    pipeline:
      text(context.properties.pipeline) ??
      context.name.split('/')[0] ??
      context.name,
    status:
      status !== undefined && statuses.has(status)
        ? (status as RunStatus)
        : 'RUNNING',
    startedAt: number(custom.startedAt),
    endedAt: number(custom.endedAt),
    durationMs: number(custom.durationMs),
    steps: number(custom.stepCount) ?? 0,
    failedSteps: number(custom.failedSteps) ?? 0,
    droppedRecords: number(custom.droppedRecords) ?? 0,
    adhoc: context.properties.adhoc === true,
    heartbeatAt: number(custom.heartbeatAt),
    heartbeatIntervalMs: number(custom.heartbeatIntervalMs),
    pid: number(custom.pid),
    host: text(custom.host),
  }
}
