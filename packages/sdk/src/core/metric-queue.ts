import type { ExecutionMetricInput, MetricPointInput } from '@lore/store'
import { newMetricId, type PendingMetric } from './metric-point.js'

/**
 * The metric points of one owner (a step call or a run) waiting for the recorder to know the
 * id of the owner's record. A point without a step gets the next one of its key. It is a
 * field of its owner, so the points go when the owner goes.
 *
 * @example
 * call.metrics.add(checkMetric('loss', 0.3, undefined, 'step train'))
 * call.metrics.take({ executionId: 12 })
 * request.metrics = call.metrics.take()
 */
export class MetricQueue {
  #points: PendingMetric[] = []
  #nextSteps: Map<string, number> | undefined

  /** Hold `point`, giving it the next step of its key when it has none. */
  add(point: PendingMetric): void {
    this.#nextSteps ??= new Map()
    const last = this.#nextSteps.get(point.key)
    const step = point.step ?? last ?? 0
    this.#nextSteps.set(point.key, Math.max(step + 1, last ?? 0))
    this.#points.push({ ...point, step })
  }

  /** True when points wait. */
  get size(): number {
    return this.#points.length
  }

  /**
   * Take the waiting points as store inputs, attached to `target` (the owner's execution or
   * context id) when given, else as the metrics of the execution request they travel with;
   * the queue is emptied.
   */
  take(): ExecutionMetricInput[]
  take(
    target: { executionId: number } | { contextId: number },
  ): MetricPointInput[]
  take(
    target?: { executionId: number } | { contextId: number },
  ): ExecutionMetricInput[] {
    if (this.#points.length === 0) return []
    const points = this.#points
    this.#points = []
    return points.map((point) => ({
      ...target,
      key: point.key,
      value: point.value,
      step: point.step ?? 0,
      timestampMs: point.timestampMs,
      externalId: newMetricId(),
    }))
  }
}
