// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from '../capture/time-ordered-id.js'
import { LoreError } from '@lore/store'

/** Options of a `logMetric` call. */
export interface LogMetricOptions {
  /**
   * The point's position in its series (an epoch, a batch, a window number): an integer.
   * @default one more than the last step logged for this key by this process, starting at 0
   */
  step?: number
}

/** A metric point checked and ready to attach to an execution or a context. */
export interface PendingMetric {
  key: string
  value: number
  step: number | undefined
  timestampMs: number
}

/** The longest metric key the store accepts. */
export const maxMetricKeyLength = 1024

/**
 * Check one metric point and stamp it with the time. Throws `LoreError` (`INVALID_ARGUMENT`)
 * naming `where` when the key is empty or too long, the value is not a finite number (NaN,
 * Infinity, a string) or the step is not an integer.
 *
 * @example
 * checkMetric('accuracy', 0.93, { step: 4 }, 'run 8d74613b') // { key: 'accuracy', value: 0.93, step: 4, … }
 */
export function checkMetric(
  key: unknown,
  value: unknown,
  options: LogMetricOptions | undefined,
  where: string,
): PendingMetric {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > maxMetricKeyLength
  )
    throw new LoreError(
      'INVALID_ARGUMENT',
      `metric key ${JSON.stringify(key) ?? String(key)} (${where}) is not a name; give a non-empty string of at most ${maxMetricKeyLength} characters, such as 'accuracy'`,
      { details: { key: String(key) } },
    )
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new LoreError(
      'INVALID_ARGUMENT',
      `metric '${key}' (${where}) is ${typeof value === 'number' ? String(value) : `${typeof value} ${JSON.stringify(value) ?? String(value)}`}, not a finite number; skip the point or log a number (NaN and Infinity are not metrics)`,
      { details: { key, value: String(value) } },
    )
  const step = options?.step
  if (step !== undefined && !Number.isSafeInteger(step))
    throw new LoreError(
      'INVALID_ARGUMENT',
      `metric '${key}' (${where}) has step ${String(step)}; a step is an integer (an epoch, a batch number), or leave it out to count up`,
      { details: { key, step: String(step) } },
    )
  return { key, value, step, timestampMs: Date.now() }
}

/**
 * A client-made id for a metric point. The store keeps a point once per id, so a batch sent
 * again (a retried request, an outbox drained after a crash) does not double a series.
 *
 * @example
 * store.putMetrics([{ executionId, key: 'loss', value: 0.3, externalId: newMetricId() }])
 */
export function newMetricId(): string {
  return `metric:${timeOrderedId()}`
}
