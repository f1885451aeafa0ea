import type { Execution, MetricPoint } from '@lore/store'
import { browserStore, storeLocation } from '../api/browser-store.js'
import {
  filterLiteral,
  incidentTimeline,
  listIncidents,
  type AliasMove,
  type IncidentTimeline,
  type ModelVersion,
} from '../api/sdk-rules.js'
import { readAll } from '../../../sdk/src/query/read-all.js'
import { aliasHistory, getModel, listVersions } from './read-registry.js'

/** A drift check of one of the model's policies: when, and whether it found drift. */
export interface DriftMark {
  time: number
  drifted: boolean
  summary: string
  executionId: number
}

/** Everything the model page shows. */
export interface ModelView {
  name: string
  description: string | undefined
  aliases: Record<string, number>
  versions: { version: ModelVersion; metrics: MetricPoint[] }[]
  history: AliasMove[]
  incidents: IncidentTimeline[]
  drift: DriftMark[]
}

function driftMark(execution: Execution): DriftMark {
  const custom = execution.customProperties
  const details =
    typeof custom.details === 'object' &&
    custom.details !== null &&
    !Array.isArray(custom.details)
      ? (custom.details as Record<string, unknown>)
      : {}
  return {
    time: execution.startTimeSinceEpoch ?? execution.createTimeSinceEpoch,
    drifted: details.drifted === true,
    summary: typeof custom.summary === 'string' ? custom.summary : '',
    executionId: execution.id,
  }
}

/**
 * Read a registered model with the SDK's registry and incident rules (as `lore models show`,
 * `lore models history` and `lore incidents show` do): its versions with their metric series,
 * every alias move, each incident's timeline, and the drift checks of its monitoring policies.
 */
export async function readModel(name: string): Promise<ModelView> {
  const model = await getModel(name)
  const versions = await listVersions(name)
  const history = await aliasHistory(name)
  const incidents = await listIncidents(browserStore, { model: name })
  const timelines = await Promise.all(
    incidents.map((incident) =>
      incidentTimeline(browserStore, incident.id, storeLocation),
    ),
  )
  const policies = await readAll((pageToken) =>
    browserStore.getContexts({
      type: 'MonitoringPolicy',
      filter: `properties.model = ${filterLiteral(name)}`,
      limit: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    }),
  )
  const checks = (
    await Promise.all(
      policies.map((policy) =>
        readAll((pageToken) =>
          browserStore.getExecutions({
            contextId: policy.id,
            filter: "custom_properties.stage = 'drift-check'",
            limit: 1000,
            ...(pageToken === undefined ? {} : { pageToken }),
          }),
        ),
      ),
    )
  ).flat()
  return {
    name,
    description: model.description,
    aliases: model.aliases,
    versions: await Promise.all(
      versions.map(async (version) => ({
        version,
        metrics: await browserStore.getMetrics({
          contextId: version.contextId,
        }),
      })),
    ),
    history,
    incidents: timelines,
    drift: checks.map(driftMark).sort((a, b) => a.time - b.time),
  }
}
