import { LoreError } from '../lore-error.js'
import type { LineageSubgraph, MetadataStore } from '../metadata-store.js'
import type {
  Artifact,
  ArtifactInput,
  ArtifactType,
  ArtifactTypeInput,
  Association,
  Attribution,
  Context,
  ContextInput,
  ContextType,
  ContextTypeInput,
  Event,
  EventInput,
  Execution,
  ExecutionInput,
  ExecutionType,
  ExecutionTypeInput,
  MetricPoint,
  MetricPointInput,
  ParentContext,
} from '../record-schemas.js'
import {
  maxPageSize,
  type EventQuery,
  type LineageQuery,
  type ListQuery,
  type MetricQuery,
  type Page,
  type PutContextRequest,
  type PutContextResult,
  type PutExecutionRequest,
  type PutExecutionResult,
  type PutNodesOptions,
  type TypeEvolution,
} from '../request-schemas.js'
import { HttpTransport, type HttpTransportOptions } from './http-transport.js'

/** Options of {@link RemoteStore}. */
export type RemoteStoreOptions = HttpTransportOptions

/**
 * The `MetadataStore` of a store server (`lore serve`), over HTTP. It behaves as an embedded
 * store does: same results, same LoreError codes and messages (validation runs on the server).
 * Network errors and 5xx answers are retried with backoff; see {@link HttpTransportOptions}.
 *
 * @example
 * const store = new RemoteStore('http://127.0.0.1:4700', { token: process.env.LORE_TOKEN })
 * await store.putExecutionBatch(requests)
 * await store.close()
 */
export class RemoteStore implements MetadataStore {
  readonly #transport: HttpTransport
  #closed = false

  /** `url`: the server's http(s) url, optionally with a path prefix (`http://host/lore`). */
  constructor(url: string, options: RemoteStoreOptions = {}) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch (error) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `store url '${url}' is not a valid url; use http://host:4700`,
        { cause: error, details: { url } },
      )
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `store url '${url}' is not http(s); use http://host:4700`,
        { details: { url } },
      )
    }
    this.#transport = new HttpTransport(parsed, options)
  }

  /** The server's url. */
  get url(): string {
    return this.#transport.url
  }

  async #call<T>(operation: string, body: Record<string, unknown>): Promise<T> {
    if (this.#closed) {
      throw new LoreError(
        'FAILED_PRECONDITION',
        `the store ${this.#transport.url} is closed; open it again with openStore()`,
      )
    }
    return (await this.#transport.call(operation, body)) as T
  }

  /**
   * A list call; without a limit, every page in turn (the server answers at most
   * {@link maxPageSize} a page), as MLMD's Python client reads a list without options.
   */
  async #list<T>(operation: string, query: ListQuery = {}): Promise<Page<T>> {
    if (query.limit !== undefined) return this.#call(operation, { query })
    const items: T[] = []
    let pageToken = query.pageToken
    do {
      const page: Page<T> = await this.#call(operation, {
        query: {
          ...query,
          limit: maxPageSize,
          ...(pageToken === undefined ? {} : { pageToken }),
        },
      })
      items.push(...page.items)
      pageToken = page.nextPageToken
    } while (pageToken !== undefined)
    return { items }
  }

  putArtifactType(
    artifactType: ArtifactTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#call('putArtifactType', { artifactType, evolution })
  }

  putExecutionType(
    executionType: ExecutionTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#call('putExecutionType', { executionType, evolution })
  }

  putContextType(
    contextType: ContextTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#call('putContextType', { contextType, evolution })
  }

  getArtifactType(name: string, version?: string): Promise<ArtifactType> {
    return this.#call('getArtifactType', { name, version })
  }

  getExecutionType(name: string, version?: string): Promise<ExecutionType> {
    return this.#call('getExecutionType', { name, version })
  }

  getContextType(name: string, version?: string): Promise<ContextType> {
    return this.#call('getContextType', { name, version })
  }

  getArtifactTypes(): Promise<ArtifactType[]> {
    return this.#call('getArtifactTypes', {})
  }

  getExecutionTypes(): Promise<ExecutionType[]> {
    return this.#call('getExecutionTypes', {})
  }

  getContextTypes(): Promise<ContextType[]> {
    return this.#call('getContextTypes', {})
  }

  putArtifacts(
    artifacts: ArtifactInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#call('putArtifacts', { artifacts, options })
  }

  putExecutions(
    executions: ExecutionInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#call('putExecutions', { executions, options })
  }

  putContexts(
    contexts: ContextInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#call('putContexts', { contexts, options })
  }

  async putEvents(events: EventInput[]): Promise<void> {
    await this.#call('putEvents', { events })
  }

  async putAttributionsAndAssociations(
    attributions: Attribution[],
    associations: Association[],
  ): Promise<void> {
    await this.#call('putAttributionsAndAssociations', {
      attributions,
      associations,
    })
  }

  async putParentContexts(parentContexts: ParentContext[]): Promise<void> {
    await this.#call('putParentContexts', { parentContexts })
  }

  putContextWithParents(request: PutContextRequest): Promise<PutContextResult> {
    return this.#call('putContextWithParents', { request })
  }

  putExecution(request: PutExecutionRequest): Promise<PutExecutionResult> {
    return this.#call('putExecution', { request })
  }

  putExecutionBatch(
    requests: PutExecutionRequest[],
  ): Promise<PutExecutionResult[]> {
    return this.#call('putExecutionBatch', { requests })
  }

  getArtifacts(query?: ListQuery): Promise<Page<Artifact>> {
    return this.#list('getArtifacts', query)
  }

  getExecutions(query?: ListQuery): Promise<Page<Execution>> {
    return this.#list('getExecutions', query)
  }

  getContexts(query?: ListQuery): Promise<Page<Context>> {
    return this.#list('getContexts', query)
  }

  getEvents(query: EventQuery): Promise<Event[]> {
    return this.#call('getEvents', { query })
  }

  getParentContexts(contextId: number): Promise<Context[]> {
    return this.#call('getParentContexts', { contextId })
  }

  getChildContexts(contextId: number): Promise<Context[]> {
    return this.#call('getChildContexts', { contextId })
  }

  getLineageSubgraph(query: LineageQuery): Promise<LineageSubgraph> {
    return this.#call('getLineageSubgraph', { query })
  }

  async putMetrics(metrics: MetricPointInput[]): Promise<void> {
    await this.#call('putMetrics', { metrics })
  }

  getMetrics(query: MetricQuery): Promise<MetricPoint[]> {
    return this.#call('getMetrics', { query })
  }

  /** Close the connection pool once calls in flight are answered. Calling it twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#transport.close()
  }
}
