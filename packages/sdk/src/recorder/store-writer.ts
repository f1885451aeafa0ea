import type {
  ContextInput,
  MetadataStore,
  MetricPointInput,
  PutExecutionRequest,
  PutExecutionResult,
} from '@lore/store'
import { outboxed, OutboxGate } from '../outbox/outbox-gate.js'
import type { OutboxEntry, OutboxMetricPoint } from '../outbox/outbox-entry.js'
import { sendOutboxEntry } from '../outbox/send-outbox-entry.js'
import type { RunState } from '../core/run-state.js'
import {
  artifactTypeFor,
  executionTypeFor,
  pipelineContextType,
  pipelineRunContextType,
} from './lore-types.js'

/**
 * The recorder's side of the store: puts types once, writes a run's contexts and batches of
 * execution requests. Every write is idempotent (client-made external ids), so a retried
 * write never duplicates.
 *
 * With an outbox (a store server), a write the server cannot take is kept there and sent
 * later. It then answers with stand-in ids (negative numbers) for the run's context and the
 * executions; they are turned back into external ids before anything is sent, so later
 * writes still name the right nodes.
 */
export class StoreWriter {
  readonly #store: MetadataStore | undefined
  readonly #gate: OutboxGate | undefined
  readonly #artifactTypes = new Set<string>()
  readonly #executionTypes = new Set<string>()
  #contextTypes: Promise<void> | undefined
  #nextStandIn = -1
  readonly #standInRuns = new Map<number, { id: string; name: string }>()
  readonly #standInExecutions = new Map<number, string>()

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

  #write(entry: OutboxEntry): Promise<unknown> {
    return this.#gate === undefined
      ? sendOutboxEntry(this.#store!, entry)
      : this.#gate.write(entry)
  }

  async ensureTypes(
    executionTypes: Iterable<string>,
    artifactTypes: Iterable<string>,
  ): Promise<void> {
    for (const name of executionTypes) {
      if (this.#executionTypes.has(name)) continue
      await this.#write({
        operation: 'putType',
        kind: 'execution',
        type: executionTypeFor(name),
      })
      this.#executionTypes.add(name)
    }
    for (const name of artifactTypes) {
      if (this.#artifactTypes.has(name)) continue
      await this.#write({
        operation: 'putType',
        kind: 'artifact',
        type: artifactTypeFor(name),
      })
      this.#artifactTypes.add(name)
    }
  }

  #ensureContextTypes(): Promise<void> {
    this.#contextTypes ??= (async () => {
      await this.#write({
        operation: 'putType',
        kind: 'context',
        type: pipelineContextType,
      })
      await this.#write({
        operation: 'putType',
        kind: 'context',
        type: pipelineRunContextType,
      })
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
    const entry: OutboxEntry = {
      operation: 'runStart',
      run: {
        id: run.id,
        contextName: run.contextName,
        pipeline: {
          name: run.pipeline.name,
          description: run.pipeline.description,
        },
      },
    }
    if (properties !== undefined) entry.properties = properties
    if (customProperties !== undefined)
      entry.customProperties = customProperties
    const id = await this.#write(entry)
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
    await this.#write(entry)
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

  /** One transaction (one request to a server) for the whole batch. */
  async writeBatch(
    requests: PutExecutionRequest[],
  ): Promise<PutExecutionResult[]> {
    const resolved = requests.map((request) => this.#resolveContexts(request))
    const results = await this.#write({
      operation: 'putExecutionBatch',
      requests: resolved,
    })
    if (results !== outboxed) return results as PutExecutionResult[]
    return resolved.map((request) => {
      const executionId = this.#nextStandIn--
      const externalId = request.execution.externalId
      if (externalId !== undefined)
        this.#standInExecutions.set(executionId, externalId)
      return { executionId, artifactIds: [], contextIds: [] }
    })
  }

  async writeOne(request: PutExecutionRequest): Promise<PutExecutionResult> {
    const [result] = await this.writeBatch([request])
    return result!
  }

  /** Metric points of executions or runs, which may be known by stand-in ids. */
  async writeMetrics(points: MetricPointInput[]): Promise<void> {
    const resolved: OutboxMetricPoint[] = points.map((point) => {
      const { executionId, contextId, ...rest } = point
      const result: OutboxMetricPoint = { ...rest }
      if (executionId !== undefined) {
        const externalId = this.#standInExecutions.get(executionId)
        if (externalId === undefined) result.executionId = executionId
        else result.executionExternalId = externalId
      }
      if (contextId !== undefined) {
        const standIn = this.#standInRuns.get(contextId)
        if (standIn === undefined) result.contextId = contextId
        else result.contextExternalId = standIn.id
      }
      return result
    })
    await this.#write({ operation: 'putMetrics', points: resolved })
  }
}
