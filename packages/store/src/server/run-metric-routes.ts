import { z } from 'zod'
import type { MetadataStore } from '../metadata-store.js'
import type { MetricPoint } from '../record-schemas.js'
import { maxPageSize } from '../request-schemas.js'
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

/**
 * Each run's points: its own, and its executions' — found with one query per run for the
 * run's points and its steps, then one query for the steps' points of every run together.
 */
async function pointsOfRuns(
  store: MetadataStore,
  contextIds: number[],
  keys: string[],
): Promise<Map<number, MetricPoint[]>> {
  const points = new Map<number, MetricPoint[]>()
  // An execution may belong to more than one of the runs asked about.
  const runsOf = new Map<number, number[]>()
  for (const contextId of contextIds) {
    points.set(contextId, await store.getMetrics({ contextId, keys }))
    let pageToken: string | undefined
    do {
      const page = await store.getExecutions({
        contextId,
        limit: maxPageSize,
        ...(pageToken === undefined ? {} : { pageToken }),
      })
      for (const execution of page.items) {
        const runs = runsOf.get(execution.id)
        if (runs === undefined) runsOf.set(execution.id, [contextId])
        else runs.push(contextId)
      }
      pageToken = page.nextPageToken
    } while (pageToken !== undefined)
  }
  const executionIds = [...runsOf.keys()]
  for (let start = 0; start < executionIds.length; start += maxPageSize) {
    const page = executionIds.slice(start, start + maxPageSize)
    for (const point of await store.getMetrics({ executionIds: page, keys }))
      for (const run of runsOf.get(point.executionId ?? 0) ?? [])
        points.get(run)?.push(point)
  }
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
      const points = await pointsOfRuns(store, [...new Set(contextIds)], keys)
      for (const [contextId, series] of points)
        result[contextId] = summarize(series)
      return result
    },
  }),
]
