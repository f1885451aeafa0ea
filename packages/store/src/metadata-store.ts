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
} from './record-schemas.js'
import type {
  EventQuery,
  LineageQuery,
  ListQuery,
  MetricQuery,
  Page,
  PutContextRequest,
  PutContextResult,
  PutExecutionRequest,
  PutExecutionResult,
  PutNodesOptions,
  TypeEvolution,
} from './request-schemas.js'

/**
 * What `getLineageSubgraph` returns, MLMD's `LineageGraph`: the nodes reached, the events
 * between them, the contexts they are in with those links, and the types they use. Every
 * store fills all fields; the context and type fields are optional in the type only so that
 * callers can build subgraphs of their own (merged walks, an empty answer).
 */
export interface LineageSubgraph {
  artifacts: Artifact[]
  executions: Execution[]
  events: Event[]
  /** The contexts the reached artifacts and executions belong to. */
  contexts?: Context[]
  /** The reached artifacts' links to {@link contexts}. */
  attributions?: Attribution[]
  /** The reached executions' links to {@link contexts}. */
  associations?: Association[]
  /** The types of the nodes above. */
  artifactTypes?: ArtifactType[]
  executionTypes?: ExecutionType[]
  contextTypes?: ContextType[]
  /** Hops from the nearest starting node, by `a:<id>` / `e:<id>`. */
  hops: Record<string, number>
}

/**
 * Where metadata lives. Every backend (SQLite, PostgreSQL, MySQL, a remote server) implements
 * this interface and passes the same conformance suite, so callers cannot tell them apart.
 * Operations follow MLMD's names, camelCased. Every input is validated; bad input throws a
 * `LoreError` and changes nothing.
 */
export interface MetadataStore {
  /** Create a type, or evolve it under MLMD's rules; returns its id. Same definition: same id. */
  putArtifactType(
    type: ArtifactTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number>
  putExecutionType(
    type: ExecutionTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number>
  putContextType(
    type: ContextTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number>
  /** Throws NOT_FOUND when no type has that name (and version). */
  getArtifactType(name: string, version?: string): Promise<ArtifactType>
  getExecutionType(name: string, version?: string): Promise<ExecutionType>
  getContextType(name: string, version?: string): Promise<ContextType>
  getArtifactTypes(): Promise<ArtifactType[]>
  getExecutionTypes(): Promise<ExecutionType[]>
  getContextTypes(): Promise<ContextType[]>

  /**
   * Insert nodes without an id, update those with one; ids in input order. A new node whose
   * key is taken (externalId; a context's name within its type) is ALREADY_EXISTS; an update
   * of an id that does not exist is INVALID_ARGUMENT. An update that gives the
   * `lastUpdateTimeSinceEpoch` it read is refused with FAILED_PRECONDITION when the node
   * changed since; one that changes nothing keeps `lastUpdateTimeSinceEpoch`. See
   * {@link PutNodesOptions} for field masks.
   */
  putArtifacts(
    artifacts: ArtifactInput[],
    options?: PutNodesOptions,
  ): Promise<number[]>
  putExecutions(
    executions: ExecutionInput[],
    options?: PutNodesOptions,
  ): Promise<number[]>
  putContexts(
    contexts: ContextInput[],
    options?: PutNodesOptions,
  ): Promise<number[]>

  /** An event of the same artifact, execution and type as a stored one is ALREADY_EXISTS. */
  putEvents(events: EventInput[]): Promise<void>
  putAttributionsAndAssociations(
    attributions: Attribution[],
    associations: Association[],
  ): Promise<void>
  /** A link that exists is ALREADY_EXISTS; one that would make a cycle INVALID_ARGUMENT. */
  putParentContexts(links: ParentContext[]): Promise<void>

  /**
   * A context and its parents, found or created by key, and the links between them: all or
   * nothing, in one call (a run's start). See {@link PutContextRequest}.
   */
  putContextWithParents(request: PutContextRequest): Promise<PutContextResult>

  /** One execution with its artifacts, events, contexts and metric points: all or nothing. */
  putExecution(request: PutExecutionRequest): Promise<PutExecutionResult>
  /** Several `putExecution` requests in one transaction: all or nothing. */
  putExecutionBatch(
    requests: PutExecutionRequest[],
  ): Promise<PutExecutionResult[]>

  /** Without `limit`, every matching node, read page by page (MLMD's Python client does so). */
  getArtifacts(query?: ListQuery): Promise<Page<Artifact>>
  getExecutions(query?: ListQuery): Promise<Page<Execution>>
  getContexts(query?: ListQuery): Promise<Page<Context>>
  getEvents(query: EventQuery): Promise<Event[]>
  getParentContexts(contextId: number): Promise<Context[]>
  getChildContexts(contextId: number): Promise<Context[]>

  getLineageSubgraph(query: LineageQuery): Promise<LineageSubgraph>

  putMetrics(points: MetricPointInput[]): Promise<void>
  getMetrics(query: MetricQuery): Promise<MetricPoint[]>

  /** Close the store; later calls throw FAILED_PRECONDITION. Calling it twice is harmless. */
  close(): Promise<void>
}
