import { z } from 'zod'
import type { MetadataStore } from '../metadata-store.js'
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
  metricPointSchema,
  parentContextSchema,
} from '../record-schemas.js'
import {
  eventQuerySchema,
  lineageQuerySchema,
  listQuerySchema,
  maxPageSize,
  metricQuerySchema,
  putContextRequestSchema,
  putExecutionRequestSchema,
  putNodesOptionsSchema,
  typeEvolutionSchema,
  type ListQuery,
  type PutNodesOptions,
} from '../request-schemas.js'
import { storableText } from '../storable-text.js'
import { defineRoute, type RouteDefinition } from './route-definition.js'

/*
 * A deliberate table: one route per MetadataStore operation. Each body's keys are the names
 * the store gives its arguments in messages (`artifacts[0].uri`), so a 400 from the server and
 * an error from an embedded store say the same thing.
 */

const id = z.number().int().positive()
const typeName = z.strictObject({
  name: storableText().min(1),
  version: storableText().optional(),
})
const noArguments = z.strictObject({})
const listBody = z.strictObject({ query: listQuerySchema.optional() })

type StoreRoute = RouteDefinition<MetadataStore>

function putType<Key extends string, Schema extends z.ZodType>(
  operation: string,
  key: Key,
  schema: Schema,
  call: (
    store: MetadataStore,
    type: z.output<Schema>,
    evolution: z.output<typeof typeEvolutionSchema> | undefined,
  ) => Promise<number>,
): StoreRoute {
  const body = z.strictObject({
    [key]: schema,
    evolution: typeEvolutionSchema.optional(),
  } as Record<Key, Schema> & {
    evolution: z.ZodOptional<typeof typeEvolutionSchema>
  })
  return defineRoute<MetadataStore, z.ZodType>({
    operation,
    scope: 'write',
    summary: `Create or evolve ${key === 'artifactType' ? 'an' : 'a'} ${key}; returns its id.`,
    body,
    call: (store, input: Record<string, unknown>) =>
      call(
        store,
        input[key] as z.output<Schema>,
        input.evolution as z.output<typeof typeEvolutionSchema> | undefined,
      ),
  })
}

function getType(
  operation: string,
  what: string,
  call: (
    store: MetadataStore,
    name: string,
    version?: string,
  ) => Promise<unknown>,
): StoreRoute {
  return defineRoute<MetadataStore, typeof typeName>({
    operation,
    scope: 'read',
    summary: `The ${what} of this name (and version); 404 when there is none.`,
    body: typeName,
    bodyName: 'TypeNameBody',
    call: (store, { name, version }) =>
      version === undefined ? call(store, name) : call(store, name, version),
  })
}

function getAll(
  operation: string,
  what: string,
  call: (store: MetadataStore) => Promise<unknown>,
): StoreRoute {
  return defineRoute<MetadataStore, typeof noArguments>({
    operation,
    scope: 'read',
    summary: `Every ${what}.`,
    body: noArguments,
    bodyName: 'NoArgumentsBody',
    call: (store) => call(store),
  })
}

function putNodes<Key extends string>(
  operation: string,
  key: Key,
  schema: z.ZodType,
  call: (
    store: MetadataStore,
    nodes: never[],
    options: PutNodesOptions | undefined,
  ) => Promise<number[]>,
): StoreRoute {
  const body = z.strictObject({
    [key]: z.array(schema),
    options: putNodesOptionsSchema.optional(),
  } as Record<Key, z.ZodArray<z.ZodType>> & {
    options: z.ZodOptional<typeof putNodesOptionsSchema>
  })
  return defineRoute<MetadataStore, z.ZodType>({
    operation,
    scope: 'write',
    summary: `Insert ${key} without an id, update those with one; ids in input order.`,
    body,
    validatedByStore: true,
    call: (store, input: Record<string, unknown>) =>
      call(
        store,
        input[key] as never[],
        input.options as PutNodesOptions | undefined,
      ),
  })
}

function listNodes(
  operation: string,
  what: string,
  call: (store: MetadataStore, query: ListQuery) => Promise<unknown>,
): StoreRoute {
  return defineRoute<MetadataStore, typeof listBody>({
    operation,
    scope: 'read',
    summary: `A page of ${what}, filtered and ordered, of at most \`limit\` items (${maxPageSize} without one); follow nextPageToken for more.`,
    body: listBody,
    bodyName: 'ListBody',
    // The store reads every row of a list without a limit; one response never holds more
    // than a page, so no request can ask the server for millions of rows at once.
    call: (store, { query }) =>
      call(store, { ...query, limit: query?.limit ?? maxPageSize }),
  })
}

const contextIdBody = z.strictObject({ contextId: id })

/** Every MetadataStore operation as a route of the store server. */
export const storeRoutes: readonly StoreRoute[] = [
  putType(
    'putArtifactType',
    'artifactType',
    artifactTypeSchema,
    (store, type, evolution) => store.putArtifactType(type, evolution),
  ),
  putType(
    'putExecutionType',
    'executionType',
    executionTypeSchema,
    (store, type, evolution) => store.putExecutionType(type, evolution),
  ),
  putType(
    'putContextType',
    'contextType',
    contextTypeSchema,
    (store, type, evolution) => store.putContextType(type, evolution),
  ),
  getType('getArtifactType', 'artifact type', (store, ...name) =>
    store.getArtifactType(...name),
  ),
  getType('getExecutionType', 'execution type', (store, ...name) =>
    store.getExecutionType(...name),
  ),
  getType('getContextType', 'context type', (store, ...name) =>
    store.getContextType(...name),
  ),
  getAll('getArtifactTypes', 'artifact type', (store) =>
    store.getArtifactTypes(),
  ),
  getAll('getExecutionTypes', 'execution type', (store) =>
    store.getExecutionTypes(),
  ),
  getAll('getContextTypes', 'context type', (store) => store.getContextTypes()),
  putNodes(
    'putArtifacts',
    'artifacts',
    artifactSchema,
    (store, nodes, options) => store.putArtifacts(nodes, options),
  ),
  putNodes(
    'putExecutions',
    'executions',
    executionSchema,
    (store, nodes, options) => store.putExecutions(nodes, options),
  ),
  putNodes('putContexts', 'contexts', contextSchema, (store, nodes, options) =>
    store.putContexts(nodes, options),
  ),
  defineRoute({
    operation: 'putEvents',
    scope: 'write',
    validatedByStore: true,
    summary: 'Link artifacts and executions with events.',
    body: z.strictObject({ events: z.array(eventSchema) }),
    call: (store: MetadataStore, { events }) => store.putEvents(events),
  }),
  defineRoute({
    operation: 'putAttributionsAndAssociations',
    scope: 'write',
    validatedByStore: true,
    summary:
      'Put artifacts (attributions) and executions (associations) in contexts.',
    body: z.strictObject({
      attributions: z.array(attributionSchema),
      associations: z.array(associationSchema),
    }),
    call: (store: MetadataStore, { attributions, associations }) =>
      store.putAttributionsAndAssociations(attributions, associations),
  }),
  defineRoute({
    operation: 'putParentContexts',
    scope: 'write',
    validatedByStore: true,
    summary: 'Nest contexts; a link that would make a cycle is refused.',
    body: z.strictObject({ parentContexts: z.array(parentContextSchema) }),
    call: (store: MetadataStore, { parentContexts }) =>
      store.putParentContexts(parentContexts),
  }),
  defineRoute({
    operation: 'putContextWithParents',
    scope: 'write',
    validatedByStore: true,
    summary:
      "A context and its parents, found or created by key, linked: all or nothing (a run's start).",
    body: z.strictObject({ request: putContextRequestSchema }),
    call: (store: MetadataStore, { request }) =>
      store.putContextWithParents(request),
  }),
  defineRoute({
    operation: 'putExecution',
    scope: 'write',
    validatedByStore: true,
    summary:
      'One execution with its artifacts, events, contexts and metric points: all or nothing.',
    body: z.strictObject({ request: putExecutionRequestSchema }),
    call: (store: MetadataStore, { request }) => store.putExecution(request),
  }),
  defineRoute({
    operation: 'putExecutionBatch',
    scope: 'write',
    validatedByStore: true,
    summary:
      'Several putExecution requests in one transaction: all or nothing.',
    body: z.strictObject({ requests: z.array(putExecutionRequestSchema) }),
    call: (store: MetadataStore, { requests }) =>
      store.putExecutionBatch(requests),
  }),
  listNodes('getArtifacts', 'artifacts', (store, query) =>
    store.getArtifacts(query),
  ),
  listNodes('getExecutions', 'executions', (store, query) =>
    store.getExecutions(query),
  ),
  listNodes('getContexts', 'contexts', (store, query) =>
    store.getContexts(query),
  ),
  defineRoute({
    operation: 'getEvents',
    scope: 'read',
    summary: 'The events of these artifacts and executions.',
    body: z.strictObject({ query: eventQuerySchema }),
    call: (store: MetadataStore, { query }) => store.getEvents(query),
  }),
  defineRoute({
    operation: 'getParentContexts',
    scope: 'read',
    summary: 'The parents of a context.',
    body: contextIdBody,
    bodyName: 'ContextIdBody',
    call: (store: MetadataStore, { contextId }) =>
      store.getParentContexts(contextId),
  }),
  defineRoute({
    operation: 'getChildContexts',
    scope: 'read',
    summary: 'The children of a context.',
    body: contextIdBody,
    bodyName: 'ContextIdBody',
    call: (store: MetadataStore, { contextId }) =>
      store.getChildContexts(contextId),
  }),
  defineRoute({
    operation: 'getLineageSubgraph',
    scope: 'read',
    summary: 'The nodes and events reachable from the starting nodes.',
    body: z.strictObject({ query: lineageQuerySchema }),
    call: (store: MetadataStore, { query }) => store.getLineageSubgraph(query),
  }),
  defineRoute({
    operation: 'putMetrics',
    scope: 'write',
    validatedByStore: true,
    summary: 'Append metric points to executions or contexts.',
    body: z.strictObject({ metrics: z.array(metricPointSchema) }),
    call: (store: MetadataStore, { metrics }) => store.putMetrics(metrics),
  }),
  defineRoute({
    operation: 'getMetrics',
    scope: 'read',
    summary: 'Metric series of an execution or a context.',
    body: z.strictObject({ query: metricQuerySchema }),
    call: (store: MetadataStore, { query }) => store.getMetrics(query),
  }),
]
