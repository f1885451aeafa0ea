import type { MetadataStore } from '@lore/store'
import { summarizeMetrics, type MetricSummary } from './metric-summary.js'

// The store answers metric queries per execution: a few at a time keep a remote store busy
// without opening a request per execution at once.
const parallel = 8

/**
 * The metrics of each execution in `executionIds`, summed up by key; executions with no
 * points are left out. `keys` narrows the query to those metric keys.
 *
 * @example
 * const byExecution = await executionMetrics(store, [3, 4], ['accuracy'])
 * byExecution.get(4)?.[0]?.last // 0.97
 */
export async function executionMetrics(
  store: MetadataStore,
  executionIds: readonly number[],
  keys?: readonly string[],
): Promise<Map<number, MetricSummary[]>> {
  const found = new Map<number, MetricSummary[]>()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < executionIds.length) {
      const executionId = executionIds[next++]
      if (executionId === undefined) continue
      const points = await store.getMetrics({
        executionId,
        ...(keys === undefined ? {} : { keys: [...keys] }),
      })
      if (points.length > 0) found.set(executionId, summarizeMetrics(points))
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(parallel, executionIds.length) }, worker),
  )
  return found
}
