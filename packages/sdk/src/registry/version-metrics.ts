import type { MetadataStore, MetricPoint } from '@lore/store'
import {
  checkMetric,
  newMetricId,
  type LogMetricOptions,
} from '../core/metric-point.js'
import type { ModelVersionRef } from './model-version.js'
import { requireVersionContext } from './registry-lookups.js'
import {
  checkModelName,
  checkVersion,
  versionContextName,
} from './registry-names.js'

/**
 * Metric series of model versions, attached to each version's context. Remembers the
 * contexts it found and the next step of each series, so a prediction service logging a
 * point per window asks the store once per series, not once per point.
 */
export class VersionMetrics {
  readonly #store: MetadataStore
  readonly #location: () => string
  readonly #contexts = new Map<string, number>()
  readonly #nextSteps = new Map<string, number>()

  constructor(store: MetadataStore, location: () => string) {
    this.#store = store
    this.#location = location
  }

  /** Log one point; without `step`, it follows the series' latest step. */
  async log(
    ref: ModelVersionRef,
    key: string,
    value: number,
    options: LogMetricOptions = {},
  ): Promise<void> {
    const point = checkMetric(
      key,
      value,
      options,
      `model '${String(ref.model)}' v${String(ref.version)}`,
    )
    const contextId = await this.#contextId(ref)
    const series = `${contextId}:${key}`
    let step = point.step ?? this.#nextSteps.get(series)
    if (step === undefined) {
      const [latest] = await this.#store.getMetrics({
        contextId,
        keys: [key],
        latest: true,
      })
      step = latest === undefined ? 0 : latest.step + 1
    }
    this.#nextSteps.set(
      series,
      Math.max(step + 1, this.#nextSteps.get(series) ?? 0),
    )
    await this.#store.putMetrics([
      {
        contextId,
        key,
        value,
        step,
        timestampMs: point.timestampMs,
        externalId: newMetricId(),
      },
    ])
  }

  /** A series by step; `last` keeps only the last N points. */
  async series(
    ref: ModelVersionRef,
    key: string,
    options: { last?: number } = {},
  ): Promise<MetricPoint[]> {
    const contextId = await this.#contextId(ref)
    const points = await this.#store.getMetrics({ contextId, keys: [key] })
    return options.last === undefined
      ? points
      : points.slice(Math.max(0, points.length - options.last))
  }

  async #contextId(ref: ModelVersionRef): Promise<number> {
    const name = checkModelName(ref.model)
    const version = checkVersion(ref.version, name)
    const key = versionContextName(name, version)
    let id = this.#contexts.get(key)
    if (id === undefined) {
      id = (
        await requireVersionContext(
          this.#store,
          name,
          version,
          this.#location(),
        )
      ).id
      this.#contexts.set(key, id)
    }
    return id
  }
}
