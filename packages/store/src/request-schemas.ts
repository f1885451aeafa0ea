import { z } from 'zod'
import {
  artifactSchema,
  contextSchema,
  eventPathSchema,
  eventTypeSchema,
  executionSchema,
} from './record-schemas.js'
import { storableText } from './storable-text.js'

const id = z.number().int().positive()

/** The most items one page may hold. */
export const maxPageSize = 10_000

/**
 * One `putExecution` call: an execution with the artifacts it read and wrote (each with the
 * event that links it), and the contexts it belongs to — written in one transaction.
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
})
export type PutExecutionRequest = z.input<typeof putExecutionRequestSchema>

/** The ids `putExecution` assigned, in the order of the request. */
export interface PutExecutionResult {
  executionId: number
  artifactIds: number[]
  contextIds: number[]
}

export const orderFieldSchema = z.enum([
  'id',
  'createTime',
  'lastUpdateTime',
  'name',
])

/** The query object of `getArtifacts`, `getExecutions` and `getContexts`. */
export const listQuerySchema = z.strictObject({
  ids: z.array(id).max(maxPageSize).optional(),
  /** Type name. */
  type: storableText().min(1).optional(),
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
  /** @default 100 */
  limit: z.number().int().positive().max(maxPageSize).default(100),
  pageToken: storableText().max(4096).optional(),
})
export type ListQuery = z.input<typeof listQuerySchema>

/** A page of results and the token that asks for the next one. */
export interface Page<T> {
  items: T[]
  nextPageToken?: string
}

export const lineageDirectionSchema = z.enum(['upstream', 'downstream', 'both'])
export type LineageDirection = z.infer<typeof lineageDirectionSchema>

export const lineageQuerySchema = z
  .strictObject({
    artifactIds: z.array(id).max(maxPageSize).default([]),
    executionIds: z.array(id).max(maxPageSize).default([]),
    /** @default 'both' */
    direction: lineageDirectionSchema.default('both'),
    /** Edges to follow away from the starting nodes; artifact→execution is one hop. @default 20 */
    maxHops: z.number().int().nonnegative().max(1000).default(20),
  })
  .refine((query) => query.artifactIds.length + query.executionIds.length > 0, {
    message: 'give at least one starting node in artifactIds or executionIds',
    path: ['artifactIds'],
  })
export type LineageQuery = z.input<typeof lineageQuerySchema>

export const metricQuerySchema = z
  .strictObject({
    executionId: id.optional(),
    contextId: id.optional(),
    keys: z.array(storableText().min(1)).optional(),
    stepFrom: z.number().int().optional(),
    stepTo: z.number().int().optional(),
    /** Only the point with the highest step (then newest) of each key. */
    latest: z.boolean().default(false),
  })
  .refine(
    (query) => query.executionId !== undefined || query.contextId !== undefined,
    {
      message: 'give an executionId or a contextId',
      path: ['executionId'],
    },
  )
export type MetricQuery = z.input<typeof metricQuerySchema>

export const eventQuerySchema = z.strictObject({
  artifactIds: z.array(id).max(maxPageSize).default([]),
  executionIds: z.array(id).max(maxPageSize).default([]),
})
export type EventQuery = z.input<typeof eventQuerySchema>

export const typeEvolutionSchema = z.strictObject({
  /** Allow the stored type to gain the new properties of this definition. */
  canAddFields: z.boolean().default(false),
  /** Allow this definition to leave out properties the stored type has (they are kept). */
  canOmitFields: z.boolean().default(false),
})
export type TypeEvolution = z.input<typeof typeEvolutionSchema>
