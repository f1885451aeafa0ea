import { z } from 'zod'
import { storableText, textProblem, textProblemIn } from './storable-text.js'

/**
 * The records of Lore's metadata graph, MLMD's data model in camelCase. Each zod schema is the
 * TypeScript type, the validation at every boundary and the JSON wire format at once.
 */

/** Longest string a property, a name or a uri may hold; longer values belong in an artifact. */
export const maxStringLength = 65_536
/** Largest STRUCT property, measured as JSON text. */
export const maxStructBytes = 1_048_576

export const propertyTypeSchema = z.enum([
  'STRING',
  'INT',
  'DOUBLE',
  'BOOLEAN',
  'STRUCT',
])
export type PropertyType = z.infer<typeof propertyTypeSchema>

export const artifactStateSchema = z.enum([
  'PENDING',
  'LIVE',
  'MARKED_FOR_DELETION',
  'DELETED',
  'ABANDONED',
  'REFERENCE',
])
export type ArtifactState = z.infer<typeof artifactStateSchema>

export const executionStateSchema = z.enum([
  'NEW',
  'RUNNING',
  'COMPLETE',
  'FAILED',
  'CACHED',
  'CANCELED',
  'ABANDONED',
])
export type ExecutionState = z.infer<typeof executionStateSchema>

export const eventTypeSchema = z.enum([
  'INPUT',
  'OUTPUT',
  'DECLARED_INPUT',
  'DECLARED_OUTPUT',
  'INTERNAL_INPUT',
  'INTERNAL_OUTPUT',
  /** An output the execution will write but has not yet (MLMD's PENDING_OUTPUT). */
  'PENDING_OUTPUT',
])
export type EventType = z.infer<typeof eventTypeSchema>

export const artifactBaseTypeSchema = z.enum([
  'Dataset',
  'Model',
  'Metrics',
  'Statistics',
])
export const executionBaseTypeSchema = z.enum([
  'Train',
  'Transform',
  'Process',
  'Evaluate',
  'Deploy',
])

const id = z.number().int().positive()
const time = z.number().int().nonnegative()
const text = storableText().max(maxStringLength)
const nonEmptyText = storableText().min(1).max(maxStringLength)

/** A JSON value, as a STRUCT property holds it. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A property value: a string, a number, a boolean, or a JSON array or object (a STRUCT). */
export type Value =
  string | number | boolean | JsonValue[] | { [key: string]: JsonValue }

/** How deep a STRUCT may nest. */
export const maxStructDepth = 64

function jsonProblem(value: unknown, depth: number): string | undefined {
  if (depth > maxStructDepth) {
    return `a STRUCT value may nest at most ${maxStructDepth} levels`
  }
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return undefined
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : 'holds NaN or Infinity, which JSON cannot'
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const item of Object.values(value)) {
      const problem = jsonProblem(item, depth + 1)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  return `holds a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}, which is not JSON`
}

// In JSON text: an escaped NUL or UTF-16 surrogate (a backslash before `u0000` in a string
// also matches, and is then looked at again by the full walk).
const escapedSuspect = /\\u(?:0000|d[89a-f])/i

/**
 * The JSON text of each STRUCT value that passed {@link valueProblem}, by the value: the
 * store stores the very text it checked (see {@link takeCheckedJson}) instead of writing the
 * value out a second time. Weak, so a value the store never encodes is not kept.
 */
const checkedJson = new WeakMap<object, string>()

/**
 * The JSON text of a STRUCT `value` as its last check wrote it, once (the entry is taken):
 * every encoding follows a check of its request, and a value given again is checked again,
 * so the text is never older than that check. A value mutated after its check is stored as
 * it was checked.
 *
 * @example
 * const text = takeCheckedJson(value) ?? JSON.stringify(value)
 */
export function takeCheckedJson(value: object): string | undefined {
  const json = checkedJson.get(value)
  if (json !== undefined) checkedJson.delete(value)
  return json
}

/** Why a property value cannot be stored; a STRUCT's strings are checked here too. */
function valueProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > maxStringLength
        ? `must be at most ${maxStringLength} characters; record large values as an artifact`
        : undefined
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : 'must be a finite number (NaN and Infinity are not stored)'
    case 'boolean':
      return undefined
    case 'object': {
      if (value === null) {
        return 'must be a string, number, boolean, array or object, not null; leave the property out instead'
      }
      checkedJson.delete(value) // a value that fails now has no checked text
      const problem = jsonProblem(value, 0)
      if (problem !== undefined) return `a STRUCT value ${problem}`
      const json = JSON.stringify(value)
      if (json.length > maxStructBytes)
        return `a STRUCT value must be at most ${maxStructBytes} bytes of JSON; record large values as an artifact`
      // JSON.stringify writes NUL and lone surrogates, in keys and strings alike, as \u
      // escapes: a text without such an escape spares a second walk of the value.
      const textIssue = escapedSuspect.test(json)
        ? textProblemIn(value)
        : undefined
      if (textIssue === undefined) checkedJson.set(value, json)
      return textIssue
    }
    default:
      return `must be a string, number, boolean, array or object, not ${typeof value}`
  }
}

/**
 * Why a property value cannot be stored, or `undefined` when it can: the rule of
 * {@link valueSchema}, shared with the batch fast path (`valid-requests.ts`).
 *
 * @example
 * propertyValueProblem(Number.NaN) // 'must be a finite number (NaN and Infinity are not stored)'
 */
export function propertyValueProblem(value: unknown): string | undefined {
  const problem = valueProblem(value)
  if (problem !== undefined || typeof value !== 'string') return problem
  return textProblem(value)
}

/**
 * A property value: a string, a number, a boolean, or a JSON object or array (a STRUCT).
 * Integers are stored as INT and other numbers as DOUBLE unless the type says otherwise.
 * Checked by hand rather than as a zod union: a union tries each member and builds their
 * issues, and property values are on the path of every step record.
 */
export const valueSchema = z
  .custom<Value>()
  .superRefine((value, context) => {
    const problem = propertyValueProblem(value)
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: problem, input: value })
    }
  })
  .meta({
    description:
      'a string, a finite number, a boolean, or a JSON array or object (a STRUCT)',
  })

export const propertiesSchema = z.record(nonEmptyText, valueSchema)
export type Properties = Record<string, Value>

const typeFields = {
  id: id.optional(),
  name: nonEmptyText,
  version: text.optional(),
  description: text.optional(),
  externalId: nonEmptyText.optional(),
  properties: z.record(nonEmptyText, propertyTypeSchema).default({}),
}

export const artifactTypeSchema = z.strictObject({
  ...typeFields,
  baseType: artifactBaseTypeSchema.optional(),
})
export type ArtifactType = z.output<typeof artifactTypeSchema> & { id: number }
export type ArtifactTypeInput = z.input<typeof artifactTypeSchema>

export const executionTypeSchema = z.strictObject({
  ...typeFields,
  baseType: executionBaseTypeSchema.optional(),
})
export type ExecutionType = z.output<typeof executionTypeSchema> & {
  id: number
}
export type ExecutionTypeInput = z.input<typeof executionTypeSchema>

export const contextTypeSchema = z.strictObject(typeFields)
export type ContextType = z.output<typeof contextTypeSchema> & { id: number }
export type ContextTypeInput = z.input<typeof contextTypeSchema>

/** Fields every node (artifact, execution, context) shares. */
const nodeFields = {
  id: id.optional(),
  /** The type by id; or give `type`, its name. */
  typeId: id.optional(),
  type: nonEmptyText.optional(),
  externalId: nonEmptyText.optional(),
  properties: propertiesSchema.optional(),
  customProperties: propertiesSchema.optional(),
  createTimeSinceEpoch: time.optional(),
  lastUpdateTimeSinceEpoch: time.optional(),
}

export const artifactSchema = z.strictObject({
  ...nodeFields,
  name: text.optional(),
  uri: text.optional(),
  version: text.optional(),
  /** sha256 of the content, hex. */
  fingerprint: text.optional(),
  state: artifactStateSchema.optional(),
})
export type ArtifactInput = z.input<typeof artifactSchema>

export const executionErrorSchema = z.strictObject({
  name: text.optional(),
  message: text,
  stack: text.optional(),
})
export type ExecutionError = z.infer<typeof executionErrorSchema>

export const executionSchema = z.strictObject({
  ...nodeFields,
  name: text.optional(),
  lastKnownState: executionStateSchema.optional(),
  startTimeSinceEpoch: time.optional(),
  endTimeSinceEpoch: time.optional(),
  error: executionErrorSchema.optional(),
  cacheKey: text.optional(),
  codeVersion: text.optional(),
})
export type ExecutionInput = z.input<typeof executionSchema>

export const contextSchema = z.strictObject({
  ...nodeFields,
  name: nonEmptyText.optional(),
})
export type ContextInput = z.input<typeof contextSchema>

/** A stored artifact, as the store returns it. */
export interface Artifact {
  id: number
  typeId: number
  type: string
  name?: string
  uri?: string
  version?: string
  externalId?: string
  fingerprint?: string
  state: ArtifactState
  properties: Properties
  customProperties: Properties
  createTimeSinceEpoch: number
  lastUpdateTimeSinceEpoch: number
}

/** A stored execution, as the store returns it. */
export interface Execution {
  id: number
  typeId: number
  type: string
  name?: string
  externalId?: string
  lastKnownState: ExecutionState
  startTimeSinceEpoch?: number
  endTimeSinceEpoch?: number
  error?: ExecutionError
  cacheKey?: string
  codeVersion?: string
  properties: Properties
  customProperties: Properties
  createTimeSinceEpoch: number
  lastUpdateTimeSinceEpoch: number
}

/** A stored context, as the store returns it. */
export interface Context {
  id: number
  typeId: number
  type: string
  name: string
  externalId?: string
  properties: Properties
  customProperties: Properties
  createTimeSinceEpoch: number
  lastUpdateTimeSinceEpoch: number
}

/** Which argument or output field an event stands for: `['inputs', 'train']`, `['outputs', 0]`. */
export const eventPathSchema = z
  .array(z.union([text, z.number().int().nonnegative()]))
  .max(32)

export const eventSchema = z.strictObject({
  artifactId: id,
  executionId: id,
  type: eventTypeSchema,
  path: eventPathSchema.optional(),
  millisecondsSinceEpoch: time.optional(),
})
export type EventInput = z.input<typeof eventSchema>
/** A stored event: an edge between an artifact and an execution. */
export interface Event {
  artifactId: number
  executionId: number
  type: EventType
  path: (string | number)[]
  millisecondsSinceEpoch: number
}

export const attributionSchema = z.strictObject({
  contextId: id,
  artifactId: id,
})
export type Attribution = z.infer<typeof attributionSchema>
export const associationSchema = z.strictObject({
  contextId: id,
  executionId: id,
})
export type Association = z.infer<typeof associationSchema>
export const parentContextSchema = z.strictObject({ childId: id, parentId: id })
export type ParentContext = z.infer<typeof parentContextSchema>

/**
 * A metric point of the execution it is sent with (`PutExecutionRequest.metrics`): the point
 * without its owner, which the store fills in.
 */
export const executionMetricSchema = z.strictObject({
  key: nonEmptyText.max(1024),
  value: z
    .number()
    .refine(
      Number.isFinite,
      'must be a finite number; NaN and Infinity are not metrics',
    ),
  step: z.number().int().default(0),
  timestampMs: time.optional(),
  /** A client-made id: a point sent twice with the same id is stored once. */
  externalId: nonEmptyText.max(255).optional(),
})
export type ExecutionMetricInput = z.input<typeof executionMetricSchema>

export const metricPointSchema = executionMetricSchema
  .extend({
    executionId: id.optional(),
    contextId: id.optional(),
  })
  .refine(
    (point) => point.executionId !== undefined || point.contextId !== undefined,
    {
      message: 'a metric point needs an executionId or a contextId',
      path: ['executionId'],
    },
  )
export type MetricPointInput = z.input<typeof metricPointSchema>
/** A stored metric point. */
export interface MetricPoint {
  executionId?: number
  contextId?: number
  key: string
  value: number
  step: number
  timestampMs: number
  externalId?: string
}
