import { z } from 'zod'
import {
  artifactSchema,
  artifactStateSchema,
  contextSchema,
  eventTypeSchema,
  executionSchema,
  executionStateSchema,
  maxStringLength,
  propertyValueProblem,
} from './record-schemas.js'
import { putExecutionRequestSchema } from './request-schemas.js'
import { textProblem } from './storable-text.js'
import { validateInput } from './validate-input.js'

/** A `putExecution` request as its schema gives it back: defaults filled in, copied. */
export type ValidRequest = z.output<typeof putExecutionRequestSchema>

const requestBatchSchema = z.array(putExecutionRequestSchema)

// What a check returns for a value it does not vouch for: zod then decides, and names the
// field and the value in its error as it always has.
const unsure = Symbol('unsure')
type Check = (value: unknown) => unknown

interface Field {
  check: Check
  required?: boolean
  fallback?: () => unknown
}

// zod's test for an object schema's input: any non-null object but an array.
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    textProblem(value) === undefined
      ? value
      : unsure

const anyText = text(0, maxStringLength)
const someText = text(1, maxStringLength)
const id: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) > 0 ? value : unsure
const time: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? value : unsure
const boolean: Check = (value) => (typeof value === 'boolean' ? value : unsure)
const oneOf = (options: readonly string[]): Check => {
  const allowed = new Set<unknown>(options)
  return (value) => (allowed.has(value) ? value : unsure)
}

/** A strict object: no key but `fields`, copied in the fields' order as zod copies it. */
function strictObject(fields: Record<string, Field>): Check {
  const entries = Object.entries(fields)
  const known = new Set(Object.keys(fields))
  return (value) => {
    if (!isObject(value)) return unsure
    for (const key in value) if (!known.has(key)) return unsure
    const copy: Record<string, unknown> = {}
    for (const [key, field] of entries) {
      const item = value[key]
      if (item === undefined) {
        if (field.fallback !== undefined) copy[key] = field.fallback()
        else if (field.required === true) return unsure
        else if (key in value) copy[key] = undefined
        continue
      }
      const checked = field.check(item)
      if (checked === unsure) return unsure
      copy[key] = checked
    }
    return copy
  }
}

function array(item: Check, max = Infinity): Check {
  return (value) => {
    if (!Array.isArray(value) || value.length > max) return unsure
    const copy: unknown[] = new Array(value.length)
    for (let index = 0; index < value.length; index++) {
      const checked = item(value[index])
      if (checked === unsure) return unsure
      copy[index] = checked
    }
    return copy
  }
}

// Plain objects only, string keys only: anything rarer is left to zod's record.
const properties: Check = (value) => {
  if (!isObject(value)) return unsure
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return unsure
  const copy: Record<string, unknown> = {}
  for (const key of Reflect.ownKeys(value)) {
    if (
      typeof key !== 'string' ||
      key === '__proto__' ||
      !Object.prototype.propertyIsEnumerable.call(value, key) ||
      someText(key) === unsure
    )
      return unsure
    const item = value[key]
    if (propertyValueProblem(item) !== undefined) return unsure
    copy[key] = item
  }
  return copy
}

const pathItem: Check = (value) =>
  typeof value === 'string' ? anyText(value) : time(value)

const optional = (check: Check): Field => ({ check })

const nodeFields: Record<string, Field> = {
  id: optional(id),
  typeId: optional(id),
  type: optional(someText),
  externalId: optional(someText),
  properties: optional(properties),
  customProperties: optional(properties),
  createTimeSinceEpoch: optional(time),
  lastUpdateTimeSinceEpoch: optional(time),
}

/** The fields of a node schema, checked as `nodeFields` or by `own` for the table's own. */
function nodeObject(
  shape: Record<string, unknown>,
  own: Record<string, Field>,
): Check {
  const fields: Record<string, Field> = {}
  for (const key of Object.keys(shape)) {
    const field = own[key] ?? nodeFields[key]
    if (field === undefined)
      throw new Error(`valid-requests: no fast check for field ${key}`)
    fields[key] = field
  }
  return strictObject(fields)
}

const artifact = nodeObject(artifactSchema.shape, {
  name: optional(anyText),
  uri: optional(anyText),
  version: optional(anyText),
  fingerprint: optional(anyText),
  state: optional(oneOf(artifactStateSchema.options)),
})

const execution = nodeObject(executionSchema.shape, {
  name: optional(anyText),
  lastKnownState: optional(oneOf(executionStateSchema.options)),
  startTimeSinceEpoch: optional(time),
  endTimeSinceEpoch: optional(time),
  error: optional(
    strictObject({
      name: optional(anyText),
      message: { check: anyText, required: true },
      stack: optional(anyText),
    }),
  ),
  cacheKey: optional(anyText),
  codeVersion: optional(anyText),
})

const context = nodeObject(contextSchema.shape, { name: optional(someText) })

const metric = strictObject({
  key: { check: text(1, 1024), required: true },
  value: {
    check: (value) =>
      typeof value === 'number' && Number.isFinite(value) ? value : unsure,
    required: true,
  },
  step: {
    check: (value) => (Number.isSafeInteger(value) ? value : unsure),
    fallback: () => 0,
  },
  timestampMs: optional(time),
  externalId: optional(text(1, 255)),
})

const request = strictObject({
  execution: { check: execution, required: true },
  artifactEventPairs: {
    check: array(
      strictObject({
        artifact: { check: artifact, required: true },
        event: optional(
          strictObject({
            type: { check: oneOf(eventTypeSchema.options), required: true },
            path: optional(array(pathItem, 32)),
            millisecondsSinceEpoch: optional(time),
          }),
        ),
      }),
    ),
    fallback: () => [],
  },
  contexts: { check: array(context), fallback: () => [] },
  metrics: { check: array(metric), fallback: () => [] },
  options: optional(
    strictObject({
      reuseContextIfAlreadyExist: optional(boolean),
      reuseArtifactIfAlreadyExistByExternalId: optional(boolean),
      reuseExecutionIfAlreadyExistByExternalId: optional(boolean),
    }),
  ),
})

const requestKeys = Object.keys(putExecutionRequestSchema.shape).join()
if (requestKeys !== 'execution,artifactEventPairs,contexts,metrics,options')
  throw new Error(`valid-requests: the request schema changed (${requestKeys})`)

/**
 * Validate a batch of `putExecution` requests by {@link putExecutionRequestSchema}'s rules,
 * and return them copied with their defaults, as `validateInput` would.
 *
 * A batch is on the path of every step record, and zod's general machinery (a context and
 * an issue list per value, a check run per string) was a sixth of its time. So each request
 * first goes through a plain check of the same rules that vouches only for what it is sure
 * zod accepts unchanged; a batch with anything else (an invalid request, a getter, a class
 * instance) goes to zod whole, which decides and words the error, naming field and value.
 * The test `valid-requests.test.ts` holds the two to the same answers.
 *
 * @example
 * const valid = validRequests(requests, 'requests') // throws INVALID_ARGUMENT on a bad one
 */
export function validRequests(requests: unknown, what: string): ValidRequest[] {
  if (Array.isArray(requests)) {
    const copies: ValidRequest[] = new Array(requests.length)
    let sure = true
    for (let index = 0; index < requests.length && sure; index++) {
      const copy = request(requests[index])
      if (copy === unsure) sure = false
      else copies[index] = copy as ValidRequest
    }
    if (sure) return copies
  }
  return validateInput(requestBatchSchema, requests, what)
}

/** One request, as {@link validRequests} checks a batch's. */
export function validRequest(value: unknown, what: string): ValidRequest {
  const copy = request(value)
  if (copy !== unsure) return copy as ValidRequest
  return validateInput(putExecutionRequestSchema, value, what)
}
