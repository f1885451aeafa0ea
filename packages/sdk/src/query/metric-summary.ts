import type { MetricPoint } from '@lore/store'

/** One metric key of an execution or a run, summed up: its last value and its range. */
export interface MetricSummary {
  key: string
  /** The value at the highest step (then the newest point). */
  last: number
  /** The step of {@link last}. */
  step: number
  min: number
  max: number
  /** Points logged under this key; above 1 the key is a series. */
  count: number
}

/**
 * Sum up metric points by key, in key order: last value (highest step, then newest), min,
 * max and count. Points may come in any order.
 *
 * @example
 * summarizeMetrics(await store.getMetrics({ executionId: 4 }))
 * // [{ key: 'accuracy', last: 0.97, step: 0, min: 0.97, max: 0.97, count: 1 }]
 */
export function summarizeMetrics(
  points: readonly MetricPoint[],
): MetricSummary[] {
  const byKey = new Map<string, MetricSummary & { time: number }>()
  for (const point of points) {
    const time = point.timestampMs ?? 0
    const seen = byKey.get(point.key)
    if (seen === undefined) {
      byKey.set(point.key, {
        key: point.key,
        last: point.value,
        step: point.step,
        min: point.value,
        max: point.value,
        count: 1,
        time,
      })
      continue
    }
    seen.count++
    seen.min = Math.min(seen.min, point.value)
    seen.max = Math.max(seen.max, point.value)
    if (
      point.step > seen.step ||
      (point.step === seen.step && time >= seen.time)
    ) {
      seen.last = point.value
      seen.step = point.step
      seen.time = time
    }
  }
  return [...byKey.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ time: _time, ...summary }) => summary)
}
