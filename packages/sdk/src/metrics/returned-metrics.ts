import { isPlainObject } from '../capture/json-value.js'
import { maxMetricKeyLength, type PendingMetric } from '../core/metric-point.js'

/** What a step's return value holds under `metrics`: the points, and what was left out. */
export interface ReturnedMetrics {
  points: PendingMetric[]
  /** Keys whose value was a number but not a finite one (NaN, Infinity): not stored. */
  skipped: string[]
}

/**
 * The numbers a step returned under a `metrics` key — `{ model, metrics: { accuracy: 0.97 } }`
 * — as metric points at step 0; numbers one object deeper get dotted keys
 * (`perClass.setosa`). Strings, booleans, arrays and deeper values are not metrics and are
 * left to the step's outputs. NaN and Infinity are reported in `skipped`, never stored.
 *
 * @example
 * returnedMetrics({ metrics: { accuracy: 0.9, loss: NaN } }) // points: accuracy; skipped: ['loss']
 */
export function returnedMetrics(result: unknown): ReturnedMetrics {
  const found: ReturnedMetrics = { points: [], skipped: [] }
  if (!isPlainObject(result) || !isPlainObject(result.metrics)) return found
  const timestampMs = Date.now()
  const add = (key: string, value: unknown, depth: number): void => {
    if (key.length === 0 || key.length > maxMetricKeyLength) return
    if (typeof value === 'number') {
      if (Number.isFinite(value))
        found.points.push({ key, value, step: 0, timestampMs })
      else found.skipped.push(key)
      return
    }
    if (depth === 0 && isPlainObject(value))
      for (const [field, inner] of Object.entries(value))
        add(`${key}.${field}`, inner, depth + 1)
  }
  for (const [key, value] of Object.entries(result.metrics)) add(key, value, 0)
  return found
}
