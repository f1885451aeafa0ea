import { z } from 'zod'
import { LoreError } from '../lore-error.js'
import type { LineageSubgraph, MetadataStore } from '../metadata-store.js'
import {
  artifactSchema,
  artifactTypeSchema,
  associationSchema,
  attributionSchema,
  contextSchema,
  contextTypeSchema,
  eventSchema,
  executionSchema,
  executionTypeSchema,
  parentContextSchema,
  type Artifact,
  type ArtifactInput,
  type ArtifactType,
  type ArtifactTypeInput,
  type Association,
  type Attribution,
  type Context,
  type ContextInput,
  type ContextType,
  type ContextTypeInput,
  type Event,
  type EventInput,
  type Execution,
  type ExecutionInput,
  type ExecutionType,
  type ExecutionTypeInput,
  type MetricPoint,
  type MetricPointInput,
  type ParentContext,
} from '../record-schemas.js'
import {
  eventQuerySchema,
  lineageQuerySchema,
  listQuerySchema,
  putContextRequestSchema,
  putNodesOptionsSchema,
  typeEvolutionSchema,
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
import { validateInput } from '../validate-input.js'
import { validRequest, validRequests } from '../valid-requests.js'
import type { Dialect, DialectAdapter, Driver } from './dialect.js'
import {
  contextLinksOf,
  eventsBetween,
  eventsOf,
  walkLineage,
} from './lineage-query.js'
import { compileFilter, parseFilter } from '../filter/index.js'
import {
  eventRow,
  LinkWriter,
  refuseDuplicateEvents,
  requireRows,
} from './link-writer.js'
import { parseFieldMask } from './field-mask.js'
import { migrate } from './migrate.js'
import { recordExecutions } from './record-execution.js'
import { MetricTable } from './metric-table.js'
import { getNodesByIds, listNodes } from './node-reader.js'
import { nodeTables, type NodeTable } from './node-tables.js'
import { NodeWriter, type NodeInput } from './node-writer.js'
import {
  TypeRegistry,
  type TypeDefinition,
  type TypeInfo,
  type TypeKind,
} from './type-registry.js'

function typeRecord<T>(info: TypeInfo): T {
  const record: Record<string, unknown> = {
    id: info.id,
    name: info.name,
    properties: Object.fromEntries(info.properties),
  }
  if (info.version !== '') record.version = info.version
  if (info.description !== undefined) record.description = info.description
  if (info.externalId !== undefined) record.externalId = info.externalId
  if (info.baseType !== undefined) record.baseType = info.baseType
  return record as T
}

/** Options of {@link SqlStore.open}. */
export interface SqlStoreOptions {
  /** Where the database is, for messages (`sqlite:.lore/lore.db`). */
  location: string
  /** Migrate only up to this schema version; for tests that build old databases. */
  schemaVersion?: number
}

/**
 * The `MetadataStore` over SQL. All of the store's logic lives here and in its helpers; a
 * database plugs in through a {@link Dialect}.
 *
 * @example
 * const store = await SqlStore.open(new SqliteDialect({ path: ':memory:' }), { location: 'sqlite::memory:' })
 */
export class SqlStore implements MetadataStore {
  readonly #driver: Driver
  readonly #types = new TypeRegistry()
  readonly #nodes = new NodeWriter(this.#types)
  readonly #adapter: DialectAdapter
  readonly #links: LinkWriter
  readonly #metrics: MetricTable
  readonly #location: string
  #closed = false

  private constructor(driver: Driver, dialect: Dialect, location: string) {
    this.#driver = driver
    this.#adapter = dialect.adapter
    this.#links = new LinkWriter(dialect.adapter)
    this.#metrics = new MetricTable(driver, dialect.adapter)
    this.#location = location
  }

  /** Connect through `dialect` and migrate the database to the latest schema. */
  static async open(
    dialect: Dialect,
    options: SqlStoreOptions,
  ): Promise<SqlStore> {
    const driver = await dialect.createDriver()
    try {
      await migrate(
        driver,
        dialect.adapter,
        options.location,
        options.schemaVersion,
      )
    } catch (error) {
      await driver.close()
      throw error
    }
    return new SqlStore(driver, dialect, options.location)
  }

  /** Where this store's database is. */
  get location(): string {
    return this.#location
  }

  #connection(): Driver {
    if (this.#closed) {
      throw new LoreError(
        'FAILED_PRECONDITION',
        `the store ${this.#location} is closed; open it again with openStore()`,
      )
    }
    return this.#driver
  }

  async #putType(
    kind: TypeKind,
    schema: z.ZodType,
    type: unknown,
    evolution: TypeEvolution | undefined,
    what: string,
  ) {
    const definition = validateInput(schema, type, what) as TypeDefinition
    const rules = validateInput(
      typeEvolutionSchema,
      evolution ?? {},
      'evolution',
    )
    return this.#connection().transaction((connection) =>
      this.#types.put(connection, kind, definition, rules),
    )
  }

  async putArtifactType(
    type: ArtifactTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#putType(
      'ARTIFACT',
      artifactTypeSchema,
      type,
      evolution,
      'artifactType',
    )
  }

  async putExecutionType(
    type: ExecutionTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#putType(
      'EXECUTION',
      executionTypeSchema,
      type,
      evolution,
      'executionType',
    )
  }

  async putContextType(
    type: ContextTypeInput,
    evolution?: TypeEvolution,
  ): Promise<number> {
    return this.#putType(
      'CONTEXT',
      contextTypeSchema,
      type,
      evolution,
      'contextType',
    )
  }

  async getArtifactType(name: string, version?: string): Promise<ArtifactType> {
    return typeRecord(
      await this.#types.get(this.#connection(), 'ARTIFACT', name, version),
    )
  }

  async getExecutionType(
    name: string,
    version?: string,
  ): Promise<ExecutionType> {
    return typeRecord(
      await this.#types.get(this.#connection(), 'EXECUTION', name, version),
    )
  }

  async getContextType(name: string, version?: string): Promise<ContextType> {
    return typeRecord(
      await this.#types.get(this.#connection(), 'CONTEXT', name, version),
    )
  }

  async getArtifactTypes(): Promise<ArtifactType[]> {
    return (await this.#types.list(this.#connection(), 'ARTIFACT')).map(
      (info) => typeRecord(info),
    )
  }

  async getExecutionTypes(): Promise<ExecutionType[]> {
    return (await this.#types.list(this.#connection(), 'EXECUTION')).map(
      (info) => typeRecord(info),
    )
  }

  async getContextTypes(): Promise<ContextType[]> {
    return (await this.#types.list(this.#connection(), 'CONTEXT')).map((info) =>
      typeRecord(info),
    )
  }

  async #putNodes(
    table: NodeTable,
    schema: z.ZodType,
    nodes: unknown,
    what: string,
    options: PutNodesOptions | undefined,
  ): Promise<number[]> {
    const inputs = validateInput(z.array(schema), nodes, what) as NodeInput[]
    const valid = validateInput(putNodesOptionsSchema, options ?? {}, 'options')
    const mask = parseFieldMask(table, valid.fieldMaskPaths, 'options')
    const now = Date.now()
    return this.#connection().transaction(async (connection) => {
      const ids: number[] = []
      for (const [index, input] of inputs.entries()) {
        ids.push(
          await this.#nodes.write(
            connection,
            table,
            input,
            `${what}[${index}]`,
            now,
            'fail',
            mask,
          ),
        )
      }
      return ids
    })
  }

  async putArtifacts(
    artifacts: ArtifactInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#putNodes(
      nodeTables.artifact,
      artifactSchema,
      artifacts,
      'artifacts',
      options,
    )
  }

  async putExecutions(
    executions: ExecutionInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#putNodes(
      nodeTables.execution,
      executionSchema,
      executions,
      'executions',
      options,
    )
  }

  async putContexts(
    contexts: ContextInput[],
    options?: PutNodesOptions,
  ): Promise<number[]> {
    return this.#putNodes(
      nodeTables.context,
      contextSchema,
      contexts,
      'contexts',
      options,
    )
  }

  async putEvents(events: EventInput[]): Promise<void> {
    const valid = validateInput(z.array(eventSchema), events, 'events')
    const now = Date.now()
    await this.#connection().transaction(async (connection) => {
      await requireRows(
        connection,
        'artifact',
        valid.map((event, index) => ({
          id: event.artifactId,
          field: `events[${index}].artifactId`,
        })),
      )
      await requireRows(
        connection,
        'execution',
        valid.map((event, index) => ({
          id: event.executionId,
          field: `events[${index}].executionId`,
        })),
      )
      await refuseDuplicateEvents(
        connection,
        valid.map((event, index) => ({ ...event, field: `events[${index}]` })),
      )
      await this.#links.insert(
        connection,
        'event',
        valid.map((event) =>
          eventRow(event, event.millisecondsSinceEpoch ?? now),
        ),
      )
    })
  }

  async putAttributionsAndAssociations(
    attributions: Attribution[],
    associations: Association[],
  ): Promise<void> {
    const validAttributions = validateInput(
      z.array(attributionSchema),
      attributions,
      'attributions',
    )
    const validAssociations = validateInput(
      z.array(associationSchema),
      associations,
      'associations',
    )
    await this.#connection().transaction(async (connection) => {
      const contexts = [
        ...validAttributions.map((link, index) => ({
          id: link.contextId,
          field: `attributions[${index}].contextId`,
        })),
        ...validAssociations.map((link, index) => ({
          id: link.contextId,
          field: `associations[${index}].contextId`,
        })),
      ]
      await requireRows(connection, 'context', contexts)
      await requireRows(
        connection,
        'artifact',
        validAttributions.map((link, index) => ({
          id: link.artifactId,
          field: `attributions[${index}].artifactId`,
        })),
      )
      await requireRows(
        connection,
        'execution',
        validAssociations.map((link, index) => ({
          id: link.executionId,
          field: `associations[${index}].executionId`,
        })),
      )
      await this.#links.insert(
        connection,
        'attribution',
        validAttributions.map((link) => [link.contextId, link.artifactId]),
      )
      await this.#links.insert(
        connection,
        'association',
        validAssociations.map((link) => [link.contextId, link.executionId]),
      )
    })
  }

  async putParentContexts(links: ParentContext[]): Promise<void> {
    const valid = validateInput(
      z.array(parentContextSchema),
      links,
      'parentContexts',
    )
    await this.#connection().transaction(async (connection) => {
      await requireRows(
        connection,
        'context',
        valid.flatMap((link, index) => [
          { id: link.childId, field: `parentContexts[${index}].childId` },
          { id: link.parentId, field: `parentContexts[${index}].parentId` },
        ]),
      )
      for (const [index, link] of valid.entries()) {
        await this.#links.parentContext(
          connection,
          link,
          `parentContexts[${index}]`,
        )
      }
    })
  }

  async putContextWithParents(
    request: PutContextRequest,
  ): Promise<PutContextResult> {
    const valid = validateInput(putContextRequestSchema, request, 'request')
    const now = Date.now()
    const table = nodeTables.context
    return this.#connection().transaction(async (connection) => {
      const parentIds: number[] = []
      for (const [index, parent] of valid.parents.entries()) {
        const field = `request.parents[${index}]`
        if (parent.id !== undefined && Object.keys(parent).length === 1) {
          await requireRows(connection, 'context', [
            { id: parent.id, field: `${field}.id` },
          ])
          parentIds.push(parent.id)
        } else
          parentIds.push(
            await this.#nodes.write(
              connection,
              table,
              parent as NodeInput,
              field,
              now,
              'reuse',
            ),
          )
      }
      const contextId = await this.#nodes.write(
        connection,
        table,
        valid.context as NodeInput,
        'request.context',
        now,
        'reuse',
      )
      for (const [index, parentId] of parentIds.entries()) {
        const [linked] = await connection.query(
          'SELECT context_id FROM parent_context WHERE context_id = ? AND parent_context_id = ?',
          [contextId, parentId],
        )
        if (linked === undefined)
          await this.#links.parentContext(
            connection,
            { childId: contextId, parentId },
            `request.parents[${index}]`,
          )
      }
      return { contextId, parentIds }
    })
  }

  async putExecution(
    request: PutExecutionRequest,
  ): Promise<PutExecutionResult> {
    const valid = validRequest(request, 'request')
    const [result] = await this.#record([{ request: valid, field: 'request' }])
    return result!
  }

  async putExecutionBatch(
    requests: PutExecutionRequest[],
  ): Promise<PutExecutionResult[]> {
    const valid = validRequests(requests, 'requests')
    return this.#record(
      valid.map((request, index) => ({ request, field: `requests[${index}]` })),
    )
  }

  #record(
    requests: Parameters<typeof recordExecutions>[2],
  ): Promise<PutExecutionResult[]> {
    const now = Date.now()
    return this.#connection().transaction(async (connection) => {
      const results = await recordExecutions(
        connection,
        {
          nodes: this.#nodes,
          links: this.#links,
          types: this.#types,
          adapter: this.#adapter,
        },
        requests,
        now,
      )
      // In the same transaction: a step's record and its metric points commit together.
      const points = requests.flatMap(({ request }, index) =>
        request.metrics.map((point) => ({
          ...point,
          executionId: results[index]!.executionId,
        })),
      )
      if (points.length > 0) await this.#metrics.insert(connection, points, now)
      return results
    })
  }

  async getArtifacts(query: ListQuery = {}): Promise<Page<Artifact>> {
    return listNodes(
      this.#connection(),
      nodeTables.artifact,
      validateInput(listQuerySchema, query, 'query'),
    )
  }

  async getExecutions(query: ListQuery = {}): Promise<Page<Execution>> {
    return listNodes(
      this.#connection(),
      nodeTables.execution,
      validateInput(listQuerySchema, query, 'query'),
    )
  }

  async getContexts(query: ListQuery = {}): Promise<Page<Context>> {
    return listNodes(
      this.#connection(),
      nodeTables.context,
      validateInput(listQuerySchema, query, 'query'),
    )
  }

  async getEvents(query: EventQuery): Promise<Event[]> {
    const valid = validateInput(eventQuerySchema, query, 'query')
    return eventsOf(this.#connection(), valid.executionIds, valid.artifactIds)
  }

  async #relatedContexts(
    contextId: number,
    select: string,
    where: string,
  ): Promise<Context[]> {
    const connection = this.#connection()
    validateInput(z.number().int().positive(), contextId, 'contextId')
    await requireRows(
      connection,
      'context',
      [{ id: contextId, field: 'contextId' }],
      'NOT_FOUND',
    )
    const rows = await connection.query<{ id: number }>(
      `SELECT ${select} AS id FROM parent_context WHERE ${where} = ?`,
      [contextId],
    )
    return getNodesByIds(
      connection,
      nodeTables.context,
      rows.map((row) => Number(row.id)),
    )
  }

  async getParentContexts(contextId: number): Promise<Context[]> {
    return this.#relatedContexts(contextId, 'parent_context_id', 'context_id')
  }

  async getChildContexts(contextId: number): Promise<Context[]> {
    return this.#relatedContexts(contextId, 'context_id', 'parent_context_id')
  }

  async getLineageSubgraph(query: LineageQuery): Promise<LineageSubgraph> {
    const valid = validateInput(lineageQuerySchema, query, 'query')
    const connection = this.#connection()
    // The starting nodes are checked beside the walk (another read worker or pooled
    // connection), not before it; a missing one still fails the read first.
    const checked = (async () => {
      for (const [table, ids] of [
        ['artifact', valid.artifactIds],
        ['execution', valid.executionIds],
      ] as const)
        await requireRows(
          connection,
          table,
          ids.map((id, index) => ({ id, field: `${table}Ids[${index}]` })),
          'NOT_FOUND',
        )
    })()
    const boundary = (
      filter: string | undefined,
      entity: 'artifact' | 'execution',
    ) =>
      filter === undefined || filter.trim() === ''
        ? undefined
        : compileFilter(parseFilter(filter), { entity, alias: 'b' })
    const walked = (async () =>
      walkLineage(connection, this.#adapter, valid, {
        artifacts: boundary(valid.boundaryArtifacts, 'artifact'),
        executions: boundary(valid.boundaryExecutions, 'execution'),
      }))()
    const [check, walk] = await Promise.allSettled([checked, walked])
    if (check.status === 'rejected') throw check.reason
    if (walk.status === 'rejected') throw walk.reason
    const hops = walk.value
    const artifactIds: number[] = []
    const executionIds: number[] = []
    for (const key of hops.keys())
      (key.startsWith('a:') ? artifactIds : executionIds).push(
        Number(key.slice(2)),
      )
    artifactIds.sort((a, b) => a - b)
    executionIds.sort((a, b) => a - b)
    // The reads below are independent: side by side they go to different read workers
    // (SQLite) or pooled connections, and a walk's thousands of rows are read in parallel.
    // The types are listed beside the reads too, and picked from once the nodes are known.
    const types = {
      artifact: this.#types.list(connection, 'ARTIFACT'),
      execution: this.#types.list(connection, 'EXECUTION'),
      context: this.#types.list(connection, 'CONTEXT'),
    }
    // Should a read fail first, a failed list is not left unhandled; otherwise it fails below.
    for (const list of Object.values(types)) list.catch(() => {})
    const [events, links, artifacts, executions] = await Promise.all([
      eventsBetween(connection, this.#adapter, executionIds, artifactIds),
      contextLinksOf(connection, artifactIds, executionIds),
      getNodesByIds<Artifact>(connection, nodeTables.artifact, artifactIds),
      getNodesByIds<Execution>(connection, nodeTables.execution, executionIds),
    ])
    const contexts = await getNodesByIds<Context>(
      connection,
      nodeTables.context,
      [
        ...new Set([
          ...links.attributions.map((link) => link.contextId),
          ...links.associations.map((link) => link.contextId),
        ]),
      ].sort((a, b) => a - b),
    )
    const typesOf = async <T>(
      types: Promise<TypeInfo[]>,
      nodes: { typeId: number }[],
    ) => {
      const used = new Set(nodes.map((node) => node.typeId))
      return (await types)
        .filter((info) => used.has(info.id))
        .map((info) => typeRecord<T>(info))
    }
    const [artifactTypes, executionTypes, contextTypes] = await Promise.all([
      typesOf<ArtifactType>(types.artifact, artifacts),
      typesOf<ExecutionType>(types.execution, executions),
      typesOf<ContextType>(types.context, contexts),
    ])
    return {
      artifacts,
      executions,
      events,
      contexts,
      attributions: links.attributions,
      associations: links.associations,
      artifactTypes,
      executionTypes,
      contextTypes,
      // Artifacts then executions, each by id, whatever order the walk's rows came in.
      hops: Object.fromEntries(
        [
          ...artifactIds.map((id) => `a:${id}`),
          ...executionIds.map((id) => `e:${id}`),
        ].map((key) => [key, hops.get(key) ?? 0]),
      ),
    }
  }

  async putMetrics(points: MetricPointInput[]): Promise<void> {
    this.#connection()
    return this.#metrics.put(points)
  }

  async getMetrics(query: MetricQuery): Promise<MetricPoint[]> {
    this.#connection()
    return this.#metrics.get(query)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#driver.close()
  }
}
