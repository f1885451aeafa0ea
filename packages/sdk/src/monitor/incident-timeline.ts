import {
  readableNodeName,
  type Context,
  type ExecutionState,
  type MetadataStore,
} from '@lore/store'
import { readAll } from '../query/read-all.js'
import { toAliasMove } from '../registry/alias-move.js'
import type { Incident } from './incident.js'
import { findIncident } from './incident-store.js'

/** One line of an incident's story. */
export interface TimelineEntry {
  time: number
  /** `opened`, a monitor stage (`drift-check`, `retrain`…), `promote`, `rollback`, `run` or `closed`. */
  stage: string
  summary: string
  state?: ExecutionState
  /** The execution that records it (give `e:<id>` to `lore lineage`). */
  executionId?: number
  /** The run, for a retraining run (`lore show <runId>`). */
  runId?: string
}

/** An incident and its story, in order. */
export interface IncidentTimeline {
  incident: Incident
  entries: TimelineEntry[]
}

function runEntry(run: Context): TimelineEntry {
  const custom = run.customProperties
  const status = typeof custom.status === 'string' ? custom.status : 'RUNNING'
  const endedAt =
    typeof custom.endedAt === 'number' ? custom.endedAt : undefined
  const steps = typeof custom.stepCount === 'number' ? custom.stepCount : 0
  const pipeline =
    typeof run.properties.pipeline === 'string'
      ? run.properties.pipeline
      : run.name.split('/')[0]
  const entry: TimelineEntry = {
    time: endedAt ?? run.createTimeSinceEpoch,
    stage: 'run',
    summary: `retraining run ${(run.externalId ?? run.name).slice(0, 8)} (${pipeline}): ${status}, ${steps} step${steps === 1 ? '' : 's'}`,
  }
  if (run.externalId !== undefined) entry.runId = run.externalId
  return entry
}

/**
 * The story of an incident (`INC-3`, or `3`), in the order things finished: the evidence,
 * the opening, the retraining run and the candidate it produced, the gate's decision, the
 * promotion, the watch window, the rollback, the closing. Read from the executions associated
 * with the incident and the runs that are its children. Throws NOT_FOUND for an unknown
 * incident.
 *
 * @example
 * const { incident, entries } = await incidentTimeline(store, 'INC-2', 'sqlite:.lore/lore.db')
 */
export async function incidentTimeline(
  store: MetadataStore,
  reference: string,
  location: string,
): Promise<IncidentTimeline> {
  const incident = await findIncident(store, reference, location)
  const executions = await readAll((pageToken) =>
    store.getExecutions({
      contextId: incident.contextId,
      limit: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    }),
  )
  const entries: TimelineEntry[] = [
    {
      time: incident.openedAt,
      stage: 'opened',
      // The evidence of a drift or decay has its own line just before: name it, do not repeat it.
      summary:
        incident.trigger === 'manual'
          ? `opened by ${incident.openedBy}, who asked for a retraining: ${incident.reason}`
          : `opened by ${incident.openedBy} on ${incident.trigger}`,
    },
  ]
  for (const execution of executions) {
    const time =
      execution.endTimeSinceEpoch ??
      execution.startTimeSinceEpoch ??
      execution.createTimeSinceEpoch
    const move =
      execution.type === 'Deploy' ? toAliasMove(execution) : undefined
    if (move !== undefined) {
      const verb = move.action === 'rollback' ? 'rollback' : 'promote'
      entries.push({
        time,
        stage: verb,
        summary: `${move.alias} v${move.fromVersion ?? '-'} → v${move.toVersion} by ${move.actor}`,
        state: execution.lastKnownState,
        executionId: execution.id,
      })
      continue
    }
    const custom = execution.customProperties
    entries.push({
      time,
      stage:
        typeof custom.stage === 'string'
          ? custom.stage
          : (readableNodeName(execution.name) ?? ''),
      summary:
        typeof custom.summary === 'string'
          ? custom.summary
          : (readableNodeName(execution.name) ?? execution.type),
      state: execution.lastKnownState,
      executionId: execution.id,
    })
  }
  for (const child of await store.getChildContexts(incident.contextId))
    if (child.type === 'PipelineRun') entries.push(runEntry(child))
  if (incident.closedAt !== undefined)
    entries.push({
      time: incident.closedAt,
      stage: 'closed',
      summary: `${incident.status}: ${incident.summary}`,
    })
  const order = (entry: TimelineEntry): number =>
    entry.stage === 'opened' ? 0 : entry.stage === 'closed' ? 2 : 1
  entries.sort(
    (a, b) =>
      a.time - b.time ||
      order(a) - order(b) ||
      (a.executionId ?? 0) - (b.executionId ?? 0),
  )
  return { incident, entries }
}
