import { z } from 'zod'
import {
  artifactSchema,
  contextSchema,
  eventPathSchema,
  eventTypeSchema,
  executionMetricSchema,
  executionSchema,
} from './record-schemas.js'
import { storableText } from './storable-text.js'

const id = z.number().int().positive()

/** The most items one page may hold. */
export const maxPageSize = 10_000

/**
 * One `putExecution` call: an execution with the artifacts it read and wrote (each with the
 * event that links it), the contexts it belongs to and its metric points — written in one
 * transaction.
 */
export const putExecutionRequestSchema = z.strictObject({
  execution: executionSchema,
  artifactEventPairs: z
    .array(
      z.strictObject({
        artifact: artifactSchema,
        event: z
          .strictObject({
            type: eventTypeSchema,
            path: eventPathSchema.optional(),
            millisecondsSinceEpoch: z.number().int().nonnegative().optional(),
          })
          .optional(),
      }),
    )
    .default([]),
  /** Contexts to associate the execution (and attribute the artifacts) to; by id, or created. */
  contexts: z.array(contextSchema).default([]),
  /**
   * Metric points of the execution, written in the same transaction: a step's record and its
   * metrics are stored together or not at all. A point whose externalId is stored is skipped.
   */
  metrics: z.array(executionMetricSchema).default([]),
  /**
   * What to do with a node whose key is taken. Without these, a new node that names a stored
   * one (a context by type and name, a node by externalId) is ALREADY_EXISTS, as in MLMD.
   */
  options: z
    .strictObject({
      /** Use the stored context of that type and name (MLMD's `reuse_context_if_already_exist`). */
      reuseContextIfAlreadyExist: z.boolean().optional(),
      /**
       * Update the stored artifact with that externalId instead of creating one, as if its id
       * were given (MLMD's `reuse_artifact_if_already_exist_by_external_id`).
       */
      reuseArtifactIfAlreadyExistByExternalId: z.boolean().optional(),
      /**
       * Lore's own: update the stored execution with that externalId, and skip the events it
       * already has, so a retried or re-sent step record (a client-made id) is written once.
       */
      reuseExecutionIfAlreadyExistByExternalId: z.boolean().optional(),
    })
    .optional(),
})
export type PutExecutionRequest = z.input<typeof putExecutionRequestSchema>

/**
 * One `putContextWithParents` call: a context and the contexts it is nested in (a pipeline
 * run under its pipeline), written in one transaction. A context given by id is linked as it
 * is; one given by key (an externalId, or its type and name) is updated when it is stored,
 * created when it is not. Links that exist are kept, so a retried request writes nothing twice.
 */
export const putContextRequestSchema = z.strictObject({
  context: contextSchema,
  parents: z.array(contextSchema).default([]),
})
export type PutContextRequest = z.input<typeof putContextRequestSchema>

/** The ids `putContextWithParents` wrote, parents in the order of the request. */
export interface PutContextResult {
  contextId: number
  parentIds: number[]
}

/** The ids `putExecution` assigned, in the order of the request. */
export interface PutExecutionResult {
  executionId: number
  artifactIds: number[]
  contextIds: number[]
}

/**
 * What a list is sorted by: a column, or a property's value (`properties.<name>`,
 * `customProperties.<name>`), nodes without the property first (last when descending).
 */
export const orderFieldSchema = z.union([
  z.enum(['id', 'createTime', 'lastUpdateTime', 'name']),
  z
    .string()
    .regex(
      /^(properties|customProperties)\.[A-Za-z_][A-Za-z0-9_-]{0,254}$/,
      "orderBy is 'id', 'createTime', 'lastUpdateTime', 'name', or a property: 'properties.<name>' or 'customProperties.<name>'",
    ),
])

/** The query object of `getArtifacts`, `getExecutions` and `getContexts`. */
export const listQuerySchema = z.strictObject({
  ids: z.array(id).max(maxPageSize).optional(),
  /** Type name. */
  type: storableText().min(1).optional(),
  /** With `type`: the type's version (MLMD's `type_version`). */
  typeVersion: storableText().optional(),
  /** The type by id. */
  typeId: id.optional(),
  name: storableText().optional(),
  /** Artifacts only. */
  uri: storableText().optional(),
  externalIds: z.array(storableText().min(1)).max(maxPageSize).optional(),
  /** Nodes attributed or associated to this context. */
  contextId: id.optional(),
  /** Contexts only: contexts that hold this artifact. */
  artifactId: id.optional(),
  /** Contexts only: contexts that hold this execution. */
  executionId: id.optional(),
  /** The filter language: `properties.accuracy > 0.9 AND uri LIKE 's3://%'`. */
  filter: storableText().max(65_536).optional(),
  orderBy: orderFieldSchema.default('id'),
  descending: z.boolean().default(false),
  /** The most items of this page; without it, every matching node (read page by page). */
  limit: z.number().int().positive().max(maxPageSize).optional(),
  pageToken: storableText().max(4096).optional(),
})
export type ListQuery = z.input<typeof listQuerySchema>

/** A page of results and the token that asks for the next one. */
export interface Page<T> {
  items: T[]
  nextPageToken?: string
}

/** The most hops a lineage walk takes; more are clamped to it. */
export const maxLineageHops = 100

export const lineageDirectionSchema = z.enum(['upstream', 'downstream', 'both'])
export type LineageDirection = z.infer<typeof lineageDirectionSchema>

export const lineageQuerySchema = z
  .strictObject({
    artifactIds: z.array(id).max(maxPageSize).default([]),
    executionIds: z.array(id).max(maxPageSize).default([]),
    /** @default 'both' */
    direction: lineageDirectionSchema.default('both'),
    /**
     * Edges to follow away from the starting nodes; artifact→execution is one hop. Values
     * above {@link maxLineageHops} are clamped to it, as MLMD does. @default 100
     */
    maxHops: z
      .number()
      .int()
      .nonnegative()
      .default(maxLineageHops)
      .transform((hops) => Math.min(hops, maxLineageHops)),
    /**
     * A filter (the language of `getArtifacts`) that artifacts must match to be part of the
     * walk: one that does not is left out and the walk does not pass through it (MLMD's
     * `boundary_artifacts`). Starting nodes are always kept.
     */
    boundaryArtifacts: z.string().max(65_536).optional(),
    /** The same for executions (MLMD's `boundary_executions`). */
    boundaryExecutions: z.string().max(65_536).optional(),
  })
  .refine((query) => query.artifactIds.length + query.executionIds.length > 0, {
    message: 'give at least one starting node in artifactIds or executionIds',
    path: ['artifactIds'],
  })
export type LineageQuery = z.input<typeof lineageQuerySchema>

export const metricQuerySchema = z
  .strictObject({
    executionId: id.optional(),
    /** Points of any of these executions (a page of a run's steps in one query). */
    executionIds: z.array(id).max(maxPageSize).optional(),
    contextId: id.optional(),
    keys: z.array(storableText().min(1)).optional(),
    stepFrom: z.number().int().optional(),
    stepTo: z.number().int().optional(),
    /** Only the point with the highest step (then newest) of each key. */
    latest: z.boolean().default(false),
  })
  .refine(
    (query) =>
      query.executionId !== undefined ||
      query.executionIds !== undefined ||
      query.contextId !== undefined,
    {
      message: 'give an executionId, executionIds or a contextId',
      path: ['executionId'],
    },
  )
export type MetricQuery = z.input<typeof metricQuerySchema>

export const eventQuerySchema = z.strictObject({
  artifactIds: z.array(id).max(maxPageSize).default([]),
  executionIds: z.array(id).max(maxPageSize).default([]),
})
export type EventQuery = z.input<typeof eventQuerySchema>

/**
 * Options of `putArtifacts`, `putExecutions` and `putContexts` (MLMD's `field_mask_paths`).
 * With a mask, an update changes only the fields named: `uri`, `state`, `name`, …, a whole
 * group (`properties`, `customProperties`) or one property (`properties.accuracy`,
 * `customProperties.owner`; MLMD's `custom_properties.owner` is accepted too). A masked field
 * the node leaves out is cleared; a field given but not masked is left as stored. A mask does
 * nothing to nodes that are created.
 */
export const putNodesOptionsSchema = z.strictObject({
  fieldMaskPaths: z.array(z.string().min(1).max(1024)).max(1024).optional(),
})
export type PutNodesOptions = z.input<typeof putNodesOptionsSchema>

export const typeEvolutionSchema = z.strictObject({
  /** Allow the stored type to gain the new properties of this definition. */
  canAddFields: z.boolean().default(false),
  /** Allow this definition to leave out properties the stored type has (they are kept). */
  canOmitFields: z.boolean().default(false),
})
export type TypeEvolution = z.input<typeof typeEvolutionSchema>
