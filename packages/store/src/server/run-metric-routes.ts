import { z } from 'zod'
import type { MetadataStore } from '../metadata-store.js'
import type { MetricPoint } from '../record-schemas.js'
import { storableText } from '../storable-text.js'
import { defineRoute, type RouteDefinition } from './route-definition.js'

/** The most runs and keys one `summarizeRunMetrics` call may ask about (a page of a table). */
export const maxSummaryRuns = 200
export const maxSummaryKeys = 50

/** Last (highest step, then newest), min and max of one metric key, and how many points. */
export interface MetricSummary {
  last: number
  min: number
  max: number
  count: number
}

const body = z.strictObject({
  contextIds: z.array(z.number().int().positive()).max(maxSummaryRuns),
  keys: z.array(storableText().min(1)).min(1).max(maxSummaryKeys),
})

function summarize(points: MetricPoint[]): Record<string, MetricSummary> {
  const byKey = new Map<string, MetricPoint[]>()
  for (const point of points) {
    const series = byKey.get(point.key)
    if (series === undefined) byKey.set(point.key, [point])
    else series.push(point)
  }
  const summary: Record<string, MetricSummary> = {}
  for (const [key, series] of byKey) {
    let last = series[0] as MetricPoint
    let min = Infinity
    let max = -Infinity
    for (const point of series) {
      if (
        point.step > last.step ||
        (point.step === last.step && point.timestampMs >= last.timestampMs)
      )
        last = point
      min = Math.min(min, point.value)
      max = Math.max(max, point.value)
    }
    summary[key] = { last: last.value, min, max, count: series.length }
  }
  return summary
}

async function pointsOfRun(
  store: MetadataStore,
  contextId: number,
  keys: string[],
): Promise<MetricPoint[]> {
  const points = await store.getMetrics({ contextId, keys })
  let pageToken: string | undefined
  do {
    const page = await store.getExecutions({
      contextId,
      limit: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    })
    for (const execution of page.items)
      points.push(
        ...(await store.getMetrics({ executionId: execution.id, keys })),
      )
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  return points
}

/**
 * Routes the web UI needs beyond one store operation each. `summarizeRunMetrics` answers,
 * for a page of runs (contexts) and some metric keys, each run's last, min and max of each
 * key over the run's own series and its executions' series — what the runs table shows in
 * its metric columns, in one request instead of one per run and step.
 */
export const runMetricRoutes: readonly RouteDefinition<MetadataStore>[] = [
  defineRoute({
    operation: 'summarizeRunMetrics',
    scope: 'read',
    summary:
      "For each context (a run) and metric key: last, min, max and count over the context's and its executions' points.",
    body,
    call: async (store: MetadataStore, { contextIds, keys }) => {
      const result: Record<string, Record<string, MetricSummary>> = {}
      for (const contextId of new Set(contextIds))
        result[contextId] = summarize(await pointsOfRun(store, contextId, keys))
      return result
    },
  }),
]
