import type { Context } from '@lore/store'
import type { MetricSummary } from '@lore/store/server'
import { browserStore } from '../api/browser-store.js'
import { callApi } from '../api/lore-api.js'
import { isAbandoned, summarizeRun, type RunSummary } from '../api/sdk-rules.js'

/**
 * The orders the store can sort runs by, by column: a column of the run's context, or a
 * custom property its heartbeat writes (status and duration), sorted on the server.
 */
export const sortFields = {
  run: 'id',
  pipeline: 'name',
  start: 'createTime',
  updated: 'lastUpdateTime',
  status: 'customProperties.status',
  duration: 'customProperties.durationMs',
} as const
export type SortColumn = keyof typeof sortFields

/** One row of the runs table. */
export interface RunRow {
  summary: RunSummary
  context: Context
  /**
   * Metric key → last, min, max over the run's own series and its steps' series; undefined
   * while they are being read (the rows are shown first).
   */
  metrics?: Record<string, MetricSummary>
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
}

/**
 * One page of runs, read on the server (filter, order and paging are the store's), with each
 * run summarised by the SDK's own rule (a dead RUNNING run shows as ABANDONED, as in
 * `lore runs`). The metric columns come from {@link readRunMetrics}, after the rows.
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
  const rows = page.items.map((context): RunRow => {
    const summary = summarizeRun(context)
    if (isAbandoned(summary)) summary.status = 'ABANDONED'
    return { summary, context }
  })
  return { rows, nextPageToken: page.nextPageToken }
}

/**
 * The chosen metrics of a page of runs — last, min and max over each run and its steps —
 * summarised on the server in one request: context id → key → summary.
 */
export async function readRunMetrics(
  contextIds: number[],
  keys: string[],
): Promise<Record<string, Record<string, MetricSummary>>> {
  if (contextIds.length === 0 || keys.length === 0) return {}
  return callApi('summarizeRunMetrics', { contextIds, keys })
}
