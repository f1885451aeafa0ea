import {
  LoreError,
  type MetadataStore,
  type MetricPointInput,
} from '@lore/store'
import type { OutboxEntry, OutboxMetricPoint } from './outbox-entry.js'
import {
  contextIdOf,
  writeContextUpdate,
  writeRunStart,
} from './write-run-context.js'

/** How the recorder's types evolve: fields may be added or left out, never changed. */
export const recordedTypeEvolution = { canAddFields: true, canOmitFields: true }
const evolution = recordedTypeEvolution

async function resolveMetrics(
  store: MetadataStore,
  points: OutboxMetricPoint[],
): Promise<MetricPointInput[]> {
  const executionIds = new Map<string, number | undefined>()
  const wanted = [
    ...new Set(points.flatMap((point) => point.executionExternalId ?? [])),
  ]
  for (let start = 0; start < wanted.length; start += 500) {
    const externalIds = wanted.slice(start, start + 500)
    const page = await store.getExecutions({ externalIds, limit: 500 })
    for (const execution of page.items)
      if (execution.externalId !== undefined)
        executionIds.set(execution.externalId, execution.id)
  }
  const resolved: MetricPointInput[] = []
  for (const point of points) {
    const {
      executionExternalId,
      contextExternalId,
      executionId,
      contextId,
      ...rest
    } = point
    const execution =
      executionId ??
      (executionExternalId === undefined
        ? undefined
        : executionIds.get(executionExternalId))
    const context =
      contextId ??
      (contextExternalId === undefined
        ? undefined
        : await contextIdOf(store, contextExternalId))
    // A point whose execution never arrived has nothing to hang on: it is left out.
    if (execution !== undefined)
      resolved.push({ ...rest, executionId: execution })
    else if (context !== undefined)
      resolved.push({ ...rest, contextId: context })
  }
  return resolved
}

/**
 * Send one recorder write to `store` and return what the store answered (a type's or run's
 * id, a batch's results). Used for every write of a store that has an outbox, and to send
 * the outbox's entries later; throws what the store throws.
 *
 * @example
 * await sendOutboxEntry(store, { operation: 'putExecutionBatch', requests })
 */
export async function sendOutboxEntry(
  store: MetadataStore,
  entry: OutboxEntry,
): Promise<unknown> {
  switch (entry.operation) {
    case 'putType':
      if (entry.kind === 'artifact')
        return store.putArtifactType(entry.type, evolution)
      if (entry.kind === 'execution')
        return store.putExecutionType(entry.type, evolution)
      return store.putContextType(entry.type, evolution)
    case 'runStart':
      return writeRunStart(
        store,
        entry.run,
        entry.properties,
        entry.customProperties,
      )
    case 'runUpdate': {
      const id =
        entry.contextId ??
        (entry.runExternalId === undefined
          ? undefined
          : await contextIdOf(store, entry.runExternalId))
      if (id === undefined)
        throw new LoreError(
          'NOT_FOUND',
          `run ${entry.runExternalId ?? '(unnamed)'} is not in the store; its start was not recorded`,
          { details: { runId: entry.runExternalId } },
        )
      await writeContextUpdate(
        store,
        id,
        entry.properties,
        entry.customProperties,
      )
      return id
    }
    case 'putExecutionBatch':
      return store.putExecutionBatch(entry.requests)
    case 'putMetrics': {
      const points = await resolveMetrics(store, entry.points)
      if (points.length > 0) await store.putMetrics(points)
      return undefined
    }
  }
}
