import type { Context, MetricPoint } from '@lore/store'
import { browserStore } from '../api/browser-store.js'
import { isAbandoned, summarizeRun, type RunSummary } from '../api/sdk-rules.js'

/** The orders the store can sort runs by, by column. */
export const sortFields = {
  run: 'id',
  pipeline: 'name',
  start: 'createTime',
  updated: 'lastUpdateTime',
} as const
export type SortColumn = keyof typeof sortFields

/** One row of the runs table. */
export interface RunRow {
  summary: RunSummary
  context: Context
  /** Metric key → last, min, max of the run's own series (context metrics). */
  metrics: Record<string, { last: number; min: number; max: number }>
}

/** A page of the runs table, and the token of the next one. */
export interface RunsPage {
  rows: RunRow[]
  nextPageToken: string | undefined
}

/** What one page of the table asks the server for. */
export interface RunsQuery {
  filter: string
  sort: SortColumn
  descending: boolean
  pageSize: number
  pageToken: string | undefined
  metricKeys: string[]
}

function summarizeMetrics(points: MetricPoint[]): RunRow['metrics'] {
  const byKey = new Map<string, MetricPoint[]>()
  for (const point of points)
    byKey.set(point.key, [...(byKey.get(point.key) ?? []), point])
  const summary: RunRow['metrics'] = {}
  for (const [key, series] of byKey) {
    series.sort((a, b) => a.step - b.step || a.timestampMs - b.timestampMs)
    const values = series.map((point) => point.value)
    summary[key] = {
      last: values.at(-1) ?? NaN,
      min: Math.min(...values),
      max: Math.max(...values),
    }
  }
  return summary
}

/**
 * One page of runs, read on the server (filter, order and paging are the store's), with each
 * run summarised by the SDK's own rule (a dead RUNNING run shows as ABANDONED, as in
 * `lore runs`), and the chosen metrics of the page's runs.
 */
export async function readRunsPage(query: RunsQuery): Promise<RunsPage> {
  const page = await browserStore.getContexts({
    type: 'PipelineRun',
    orderBy: sortFields[query.sort],
    descending: query.descending,
    limit: query.pageSize,
    ...(query.filter.trim() === '' ? {} : { filter: query.filter }),
    ...(query.pageToken === undefined ? {} : { pageToken: query.pageToken }),
  })
  const rows = await Promise.all(
    page.items.map(async (context): Promise<RunRow> => {
      const summary = summarizeRun(context)
      if (isAbandoned(summary)) summary.status = 'ABANDONED'
      const metrics =
        query.metricKeys.length === 0
          ? {}
          : summarizeMetrics(
              await browserStore.getMetrics({
                contextId: context.id,
                keys: query.metricKeys,
              }),
            )
      return { summary, context, metrics }
    }),
  )
  return { rows, nextPageToken: page.nextPageToken }
}
