import type {
  ContextInput,
  MetadataStore,
  MetricPointInput,
  PutExecutionRequest,
  PutExecutionResult,
} from '@lore/store'
import { outboxed, OutboxGate } from '../outbox/outbox-gate.js'
import type { OutboxEntry, OutboxMetricPoint } from '../outbox/outbox-entry.js'
import { recordedTypeEvolution } from '../outbox/send-outbox-entry.js'
import {
  writeContextUpdate,
  writeRunStart,
} from '../outbox/write-run-context.js'
import type { RunState } from '../core/run-state.js'
import {
  artifactTypeFor,
  executionTypeFor,
  pipelineContextType,
  pipelineRunContextType,
} from './lore-types.js'

const evolution = recordedTypeEvolution

/**
 * The recorder's side of the store: puts types once, writes a run's contexts and batches of
 * execution requests. Every write is idempotent (client-made external ids), so a retried
 * write never duplicates.
 *
 * An open store (an embedded SQLite file, a database) is written directly, with no outbox
 * between. With an outbox (a store server, or a file that could not be opened), a write the
 * store cannot take is kept there and sent later. It then answers with a stand-in id (a
 * negative number) for the run's context; it is turned back into the run's external id
 * before anything is sent, so later writes still name the right run.
 */
export class StoreWriter {
  readonly #store: MetadataStore | undefined
  readonly #gate: OutboxGate | undefined
  readonly #artifactTypes = new Set<string>()
  readonly #executionTypes = new Set<string>()
  #contextTypes: Promise<void> | undefined
  #nextStandIn = -1
  readonly #standInRuns = new Map<number, { id: string; name: string }>()

  /** `target`: an open store, written directly, or the outbox gate in front of one. */
  constructor(target: MetadataStore | OutboxGate) {
    if (target instanceof OutboxGate) this.#gate = target
    else this.#store = target
  }

  /** The store, opened if needed; rejects with why it cannot be opened. */
  store(): Promise<MetadataStore> {
    return this.#store !== undefined
      ? Promise.resolve(this.#store)
      : this.#gate!.store()
  }

  /** The store if it is open, for closing. */
  get openedStore(): MetadataStore | undefined {
    return this.#store ?? this.#gate?.openedStore
  }

  /** The outbox in front of the store, if any. */
  get outbox(): OutboxGate | undefined {
    return this.#gate
  }

  /** Through the outbox; the direct path calls the store itself and never builds entries. */
  #keep(entry: OutboxEntry): Promise<unknown> {
    return this.#gate!.write(entry)
  }

  async ensureTypes(
    executionTypes: Iterable<string>,
    artifactTypes: Iterable<string>,
  ): Promise<void> {
    const store = this.#store
    for (const name of executionTypes) {
      if (this.#executionTypes.has(name)) continue
      const type = executionTypeFor(name)
      if (store === undefined)
        await this.#keep({ operation: 'putType', kind: 'execution', type })
      else await store.putExecutionType(type, evolution)
      this.#executionTypes.add(name)
    }
    for (const name of artifactTypes) {
      if (this.#artifactTypes.has(name)) continue
      const type = artifactTypeFor(name)
      if (store === undefined)
        await this.#keep({ operation: 'putType', kind: 'artifact', type })
      else await store.putArtifactType(type, evolution)
      this.#artifactTypes.add(name)
    }
  }

  #ensureContextTypes(): Promise<void> {
    const store = this.#store
    this.#contextTypes ??= (async () => {
      for (const type of [pipelineContextType, pipelineRunContextType]) {
        if (store === undefined)
          await this.#keep({ operation: 'putType', kind: 'context', type })
        else await store.putContextType(type, evolution)
      }
    })()
    // A failed attempt is not cached, so the next run tries again.
    this.#contextTypes.catch(() => {
      this.#contextTypes = undefined
    })
    return this.#contextTypes
  }

  /** Create (or find again, on a retry) the run's context under its pipeline's context. */
  async writeRunStart(
    run: RunState,
    properties: ContextInput['properties'],
    customProperties: ContextInput['customProperties'],
  ): Promise<number> {
    await this.#ensureContextTypes()
    const identity = {
      id: run.id,
      contextName: run.contextName,
      pipeline: {
        name: run.pipeline.name,
        description: run.pipeline.description,
      },
    }
    if (this.#store !== undefined)
      return writeRunStart(this.#store, identity, properties, customProperties)
    const entry: OutboxEntry = { operation: 'runStart', run: identity }
    if (properties !== undefined) entry.properties = properties
    if (customProperties !== undefined)
      entry.customProperties = customProperties
    const id = await this.#keep(entry)
    if (id !== outboxed) return id as number
    const standIn = this.#nextStandIn--
    this.#standInRuns.set(standIn, { id: run.id, name: run.contextName })
    return standIn
  }

  /** Rewrite a run's status (and its reproducibility record, when given). */
  async writeRunUpdate(
    contextId: number,
    properties: ContextInput['properties'] | undefined,
    customProperties: ContextInput['customProperties'],
  ): Promise<void> {
    if (this.#store !== undefined) {
      await writeContextUpdate(
        this.#store,
        contextId,
        properties,
        customProperties,
      )
      return
    }
    const standIn = this.#standInRuns.get(contextId)
    const entry: OutboxEntry = {
      operation: 'runUpdate',
      ...(standIn === undefined
        ? { contextId }
        : { runExternalId: standIn.id }),
    }
    if (properties !== undefined) entry.properties = properties
    if (customProperties !== undefined)
      entry.customProperties = customProperties
    await this.#keep(entry)
  }

  #resolveContexts(request: PutExecutionRequest): PutExecutionRequest {
    if (this.#standInRuns.size === 0 || request.contexts === undefined)
      return request
    let changed = false
    const contexts = request.contexts.map((context) => {
      const standIn =
        context.id === undefined ? undefined : this.#standInRuns.get(context.id)
      if (standIn === undefined) return context
      changed = true
      return {
        type: 'PipelineRun',
        name: standIn.name,
        externalId: standIn.id,
      }
    })
    return changed ? { ...request, contexts } : request
  }

  /**
   * One transaction (one request to a server) for the whole batch; each request carries its
   * execution's metric points, so a record and its metrics are stored together.
   */
  async writeBatch(
    requests: PutExecutionRequest[],
  ): Promise<PutExecutionResult[]> {
    if (this.#store !== undefined)
      return this.#store.putExecutionBatch(requests)
    const resolved = requests.map((request) => this.#resolveContexts(request))
    const results = await this.#keep({
      operation: 'putExecutionBatch',
      requests: resolved,
    })
    if (results !== outboxed) return results as PutExecutionResult[]
    return resolved.map(() => ({
      executionId: this.#nextStandIn--,
      artifactIds: [],
      contextIds: [],
    }))
  }

  async writeOne(request: PutExecutionRequest): Promise<PutExecutionResult> {
    const [result] = await this.writeBatch([request])
    return result!
  }

  /** Metric points logged on runs, which may be known by stand-in ids. */
  async writeMetrics(points: MetricPointInput[]): Promise<void> {
    if (this.#store !== undefined) {
      await this.#store.putMetrics(points)
      return
    }
    const resolved: OutboxMetricPoint[] = points.map((point) => {
      const { executionId, contextId, ...rest } = point
      const result: OutboxMetricPoint = { ...rest }
      if (executionId !== undefined) result.executionId = executionId
      if (contextId !== undefined) {
        const standIn = this.#standInRuns.get(contextId)
        if (standIn === undefined) result.contextId = contextId
        else result.contextExternalId = standIn.id
      }
      return result
    })
    await this.#keep({ operation: 'putMetrics', points: resolved })
  }
}
