import { hostname } from 'node:os'
import type { Context, MetadataStore } from '@lore/store'
import { summarizeRun, type RunSummary } from './run-summary.js'

/** Options of {@link markAbandoned}. */
export interface AbandonOptions {
  /** The time to judge heartbeats by. @default Date.now() */
  now?: number
  /** Heartbeats missed before a run counts as abandoned. @default 3 */
  missedHeartbeats?: number
}

function processIsGone(summary: RunSummary): boolean {
  if (summary.pid === undefined || summary.host !== hostname()) return false
  try {
    process.kill(summary.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * True when a RUNNING run is dead: its process (on this host) no longer exists, or its
 * heartbeat is older than `missedHeartbeats` intervals.
 */
export function isAbandoned(
  summary: RunSummary,
  options: AbandonOptions = {},
): boolean {
  if (summary.status !== 'RUNNING') return false
  if (processIsGone(summary)) return true
  const last = summary.heartbeatAt ?? summary.startedAt
  const interval = summary.heartbeatIntervalMs
  if (last === undefined || interval === undefined) return false
  return (
    (options.now ?? Date.now()) - last >
    interval * (options.missedHeartbeats ?? 3)
  )
}

/**
 * If `context` is a RUNNING run that is dead (see {@link isAbandoned}), store it — and its
 * executions still RUNNING — as ABANDONED, with the steps and failed steps the store holds
 * for it (its last heartbeat counted fewer), and return the updated summary. A run that was
 * only slow heals itself: its next heartbeat writes its status again.
 *
 * @example
 * const summary = await markAbandoned(store, context)
 */
export async function markAbandoned(
  store: MetadataStore,
  context: Context,
  options: AbandonOptions = {},
): Promise<RunSummary> {
  const summary = summarizeRun(context)
  if (!isAbandoned(summary, options)) return summary
  const now = options.now ?? Date.now()
  // The status a dead process last wrote counts only what was written before its last
  // heartbeat: count what the store holds instead.
  let steps = 0
  let failedSteps = 0
  let pageToken: string | undefined
  do {
    const page = await store.getExecutions({
      contextId: context.id,
      limit: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    })
    steps += page.items.length
    failedSteps += page.items.filter(
      (execution) => execution.lastKnownState === 'FAILED',
    ).length
    const running = page.items.filter(
      (execution) => execution.lastKnownState === 'RUNNING',
    )
    if (running.length > 0)
      await store.putExecutions(
        running.map((execution) => ({
          id: execution.id,
          lastKnownState: 'ABANDONED' as const,
        })),
      )
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  await store.putContexts([
    {
      id: context.id,
      customProperties: {
        ...context.customProperties,
        status: 'ABANDONED',
        abandonedAt: now,
        stepCount: steps,
        failedSteps,
      },
    },
  ])
  return { ...summary, status: 'ABANDONED', steps, failedSteps }
}
