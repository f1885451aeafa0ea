// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from '../capture/time-ordered-id.js'
import {
  uniqueNodeName,
  type EventType,
  type MetadataStore,
  type PutExecutionRequest,
  type Value,
} from '@lore/store'
import { ensureMonitorTypes } from './monitor-types.js'
import { toStruct } from './to-struct.js'
import { newMetricId } from '../core/metric-point.js'

/** The stages of a policy's work, as executions record them. */
export type MonitorStage =
  | 'drift-check'
  | 'decay-check'
  | 'retrain'
  | 'candidate-evaluation'
  | 'watch-check'

/** A link from a monitor execution to an artifact that exists. */
export interface ArtifactLink {
  artifactId: number
  path: (string | number)[]
  /** @default 'INPUT' */
  type?: EventType
}

/** One execution of a policy's work, about to be recorded. */
export interface MonitorExecution {
  type: 'Evaluate' | 'Retrain'
  stage: MonitorStage
  /** What happened, in a sentence: the line `lore incidents show` prints. */
  summary: string
  policy: string
  incident?: string
  /** What was judged (a version and the data it was judged on), so a check is not repeated. */
  checkKey?: string
  startedAt: number
  failed?: { name: string; message: string }
  /** The verdict or decision, stored as a STRUCT. */
  details?: object
  links?: readonly ArtifactLink[]
  /** A report to record as a new `Metrics` artifact output by the execution. */
  report?: { name: string; values: object }
  /** Metric points to attach to the execution at step 0. */
  metrics?: Readonly<Record<string, number>>
  contextIds: readonly number[]
}

/** The ids a recorded monitor execution got. */
export interface RecordedExecution {
  executionId: number
  reportArtifactId?: number
}

/**
 * Record one step of a policy's work — a check, a retraining, an evaluation, a watch window —
 * as an execution with its inputs, its report (a `Metrics` artifact) and its contexts (the
 * policy, the incident), in one `putExecution`.
 *
 * @example
 * const { executionId } = await recordMonitorExecution(store, { type: 'Evaluate', stage: 'drift-check', … })
 */
export async function recordMonitorExecution(
  store: MetadataStore,
  execution: MonitorExecution,
): Promise<RecordedExecution> {
  await ensureMonitorTypes(store)
  const now = Date.now()
  const customProperties: Record<string, Value> = {
    stage: execution.stage,
    summary: execution.summary,
    policy: execution.policy,
    durationMs: Math.max(0, now - execution.startedAt),
  }
  if (execution.incident !== undefined)
    customProperties.incident = execution.incident
  if (execution.checkKey !== undefined)
    customProperties.checkKey = execution.checkKey
  if (execution.details !== undefined)
    customProperties.details = toStruct(execution.details)
  const pairs: NonNullable<PutExecutionRequest['artifactEventPairs']> = (
    execution.links ?? []
  ).map((link) => {
    const type = link.type ?? 'INPUT'
    // Paths read as the recorder's do: ['inputs', name] and ['outputs', name].
    const side = type.endsWith('INPUT') ? 'inputs' : 'outputs'
    return {
      artifact: { id: link.artifactId },
      event: { type, path: [side, ...link.path] },
    }
  })
  // Names are unique within a type (MLMD's rule): the readable one and the node's own id.
  const reportExternalId = `report:${timeOrderedId()}`
  const executionExternalId = `monitor:${timeOrderedId()}`
  if (execution.report !== undefined)
    pairs.push({
      artifact: {
        type: 'Metrics',
        externalId: reportExternalId,
        name: uniqueNodeName(execution.report.name, reportExternalId),
        state: 'LIVE',
        customProperties: {
          report: toStruct(execution.report.values),
        },
      },
      event: { type: 'OUTPUT', path: ['outputs', 'report'] },
    })
  const request: PutExecutionRequest = {
    execution: {
      type: execution.type,
      name: uniqueNodeName(execution.stage, executionExternalId),
      externalId: executionExternalId,
      lastKnownState: execution.failed === undefined ? 'COMPLETE' : 'FAILED',
      startTimeSinceEpoch: execution.startedAt,
      endTimeSinceEpoch: now,
      customProperties,
      ...(execution.failed === undefined ? {} : { error: execution.failed }),
    },
    artifactEventPairs: pairs,
    contexts: execution.contextIds.map((id) => ({ id })),
    // The ids are made here, so a request the transport retries names its own nodes.
    options: {
      reuseArtifactIfAlreadyExistByExternalId: true,
      reuseExecutionIfAlreadyExistByExternalId: true,
    },
  }
  const result = await store.putExecution(request)
  const metrics = Object.entries(execution.metrics ?? {}).filter(([, value]) =>
    Number.isFinite(value),
  )
  if (metrics.length > 0)
    await store.putMetrics(
      metrics.map(([key, value]) => ({
        executionId: result.executionId,
        key,
        value,
        step: 0,
        timestampMs: now,
        externalId: newMetricId(),
      })),
    )
  const recorded: RecordedExecution = { executionId: result.executionId }
  const reportId =
    execution.report === undefined ? undefined : result.artifactIds.at(-1)
  if (reportId !== undefined) recorded.reportArtifactId = reportId
  return recorded
}
