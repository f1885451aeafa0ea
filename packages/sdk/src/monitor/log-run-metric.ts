import type { MetadataStore } from '@lore/store'
import { findRun } from '../query/find-run.js'
import { flush, recorderFor } from '../recorder/recorder-registry.js'
import {
  checkMetric,
  newMetricId,
  type LogMetricOptions,
} from '../core/metric-point.js'

/** Options of {@link logRunMetric}. */
export interface LogRunMetricOptions extends LogMetricOptions {
  /**
   * The store the run was recorded in: a url or an open store.
   * @default the configured store, else `LORE_STORE`, else `.lore/lore.db`
   */
  store?: string | MetadataStore
}

/**
 * Log a metric point on a recorded run from outside it — a later evaluation, a service that
 * reports on the run's model. `runId` is a run id or a unique prefix (as `lore show` takes).
 * Without `step`, the point follows the key's latest step on the run. Throws `LoreError`:
 * INVALID_ARGUMENT for a bad point (NaN, an empty key), NOT_FOUND for an unknown run.
 *
 * @example
 * await logRunMetric(runId, 'auditScore', 0.82)
 */
export async function logRunMetric(
  runId: string,
  key: string,
  value: number,
  options: LogRunMetricOptions = {},
): Promise<void> {
  const point = checkMetric(key, value, options, `run ${runId}`)
  const recorder = recorderFor(options.store)
  // The run may have been recorded by this process moments ago: write it first.
  await flush()
  const store = await recorder.store()
  const run = await findRun(store, runId, recorder.location)
  let step = point.step
  if (step === undefined) {
    const [latest] = await store.getMetrics({
      contextId: run.id,
      keys: [key],
      latest: true,
    })
    step = latest === undefined ? 0 : latest.step + 1
  }
  await store.putMetrics([
    {
      contextId: run.id,
      key,
      value,
      step,
      timestampMs: point.timestampMs,
      externalId: newMetricId(),
    },
  ])
}
