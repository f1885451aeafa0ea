import type { MetadataStore } from '@lore/store'
import { executionMetrics } from './execution-metrics.js'
import { summarizeMetrics } from './metric-summary.js'
import { executionsOf } from './read-all.js'

/**
 * The last value of each metric in `keys` for one run: the run's own point if it logged one,
 * else the one of its step calls that logged the key last (highest execution id). A key the
 * run never logged is left out.
 *
 * @example
 * await runMetricValues(store, run.contextId, ['accuracy']) // { accuracy: 0.9778 }
 */
export async function runMetricValues(
  store: MetadataStore,
  contextId: number,
  keys: readonly string[],
): Promise<Record<string, number>> {
  const values: Record<string, number> = {}
  if (keys.length === 0) return values
  for (const metric of summarizeMetrics(
    await store.getMetrics({ contextId, keys: [...keys] }),
  ))
    values[metric.key] = metric.last
  const missing = keys.filter((key) => !(key in values))
  if (missing.length === 0) return values
  const ids = (await executionsOf(store, contextId))
    .map((execution) => execution.id)
    .sort((a, b) => a - b)
  const byExecution = await executionMetrics(store, ids, missing)
  for (const id of ids)
    for (const metric of byExecution.get(id) ?? [])
      values[metric.key] = metric.last
  return values
}
