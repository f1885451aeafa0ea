import { z } from 'zod'
import type { MetricPoint, MetricPointInput } from '../record-schemas.js'
import { metricPointSchema } from '../record-schemas.js'
import { metricQuerySchema, type MetricQuery } from '../request-schemas.js'
import { validateInput } from '../validate-input.js'
import type { Connection, DialectAdapter, Driver } from './dialect.js'
import { insertRows } from './bulk-insert.js'
import { requireRows } from './link-writer.js'

interface MetricRow {
  execution_id: number | null
  context_id: number | null
  metric_key: string
  value: number
  step: number
  timestamp_ms: number
  external_id: string | null
}

function pointFromRow(row: MetricRow): MetricPoint {
  const point: MetricPoint = {
    key: row.metric_key,
    value: Number(row.value),
    step: Number(row.step),
    timestampMs: Number(row.timestamp_ms),
  }
  if (row.execution_id !== null) point.executionId = Number(row.execution_id)
  if (row.context_id !== null) point.contextId = Number(row.context_id)
  if (row.external_id !== null) point.externalId = row.external_id
  return point
}

const metricColumns = [
  'execution_id',
  'context_id',
  'metric_key',
  'value',
  'step',
  'timestamp_ms',
  'external_id',
] as const

/** Metric series `(key, value, step, time)` attached to executions or contexts. */
export class MetricTable {
  readonly #driver: Driver
  readonly #adapter: DialectAdapter

  constructor(driver: Driver, adapter: DialectAdapter) {
    this.#driver = driver
    this.#adapter = adapter
  }

  async put(points: MetricPointInput[]): Promise<void> {
    const valid = validateInput(z.array(metricPointSchema), points, 'metrics')
    const now = Date.now()
    await this.#driver.transaction(async (connection) => {
      const field = (index: number, key: string) => `metrics[${index}].${key}`
      await requireRows(
        connection,
        'execution',
        valid.flatMap((point, index) =>
          point.executionId === undefined
            ? []
            : [{ id: point.executionId, field: field(index, 'executionId') }],
        ),
      )
      await requireRows(
        connection,
        'context',
        valid.flatMap((point, index) =>
          point.contextId === undefined
            ? []
            : [{ id: point.contextId, field: field(index, 'contextId') }],
        ),
      )
      await this.insert(connection, valid, now)
    })
  }

  /**
   * Insert validated points whose owners exist, inside the caller's transaction (a step's
   * record and its metrics commit together).
   */
  async insert(
    connection: Connection,
    points: z.output<typeof metricPointSchema>[],
    now: number,
  ): Promise<void> {
    const rows = points.map((point) => [
      point.executionId,
      point.contextId,
      point.key,
      point.value,
      point.step,
      point.timestampMs ?? now,
      point.externalId,
    ])
    // Many points a statement (one a point was a round trip each on a server). A point
    // whose external id is stored already was sent before: skip it, so a resent batch (a
    // retry, an outbox drained twice) does not double a series.
    await insertRows(
      connection,
      this.#adapter,
      'metric',
      metricColumns,
      rows,
      'skip existing',
    )
  }

  async get(query: MetricQuery): Promise<MetricPoint[]> {
    const valid = validateInput(metricQuerySchema, query, 'query')
    const conditions: string[] = []
    const params: unknown[] = []
    const add = (sql: string, ...values: unknown[]) => {
      conditions.push(sql)
      params.push(...values)
    }
    if (valid.executionId !== undefined)
      add('execution_id = ?', valid.executionId)
    if (valid.executionIds !== undefined)
      add(
        `execution_id IN (${valid.executionIds.map(() => '?').join(', ') || 'NULL'})`,
        ...valid.executionIds,
      )
    if (valid.contextId !== undefined) add('context_id = ?', valid.contextId)
    if (valid.keys !== undefined)
      add(
        `metric_key IN (${valid.keys.map(() => '?').join(', ') || 'NULL'})`,
        ...valid.keys,
      )
    if (valid.stepFrom !== undefined) add('step >= ?', valid.stepFrom)
    if (valid.stepTo !== undefined) add('step <= ?', valid.stepTo)
    const rows = await this.#driver.query<MetricRow & Record<string, unknown>>(
      `SELECT execution_id, context_id, metric_key, value, step, timestamp_ms, external_id FROM metric WHERE ${conditions.join(' AND ')} ORDER BY metric_key, step, timestamp_ms, id`,
      params,
    )
    const points = rows.map(pointFromRow)
    if (!valid.latest) return points
    // Rows come ordered by key then step then time: the last of each key is its latest.
    const latest = new Map<string, MetricPoint>()
    for (const point of points) latest.set(point.key, point)
    return [...latest.values()]
  }
}
