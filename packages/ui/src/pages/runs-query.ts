import type { Context, MetricSummary } from '@lore/store'
import { browserStore } from '../api/browser-store.js'
import { callApi } from '../api/lore-api.js'
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
  /** Metric key → last, min, max over the run's own series and its steps' series. */
  metrics: Record<string, MetricSummary>
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

/**
 * One page of runs, read on the server (filter, order and paging are the store's), with each
 * run summarised by the SDK's own rule (a dead RUNNING run shows as ABANDONED, as in
 * `lore runs`), and the chosen metrics of the page's runs (last, min, max over each run and
 * its steps).
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
  // One request for the whole page's metric columns, summarised on the server.
  const metrics =
    query.metricKeys.length === 0 || page.items.length === 0
      ? {}
      : await callApi<Record<string, Record<string, MetricSummary>>>(
          'summarizeRunMetrics',
          {
            contextIds: page.items.map((context) => context.id),
            keys: query.metricKeys,
          },
        )
  const rows = page.items.map((context): RunRow => {
    const summary = summarizeRun(context)
    if (isAbandoned(summary)) summary.status = 'ABANDONED'
    return { summary, context, metrics: metrics[context.id] ?? {} }
  })
  return { rows, nextPageToken: page.nextPageToken }
}
