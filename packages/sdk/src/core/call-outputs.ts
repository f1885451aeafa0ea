import { ArtifactHandle } from '../artifact/artifact-handle.js'
import {
  identityTracker,
  newTrackedArtifact,
  type TrackedArtifact,
} from '../capture/identity-tracker.js'
import { isPlainObject } from '../capture/json-value.js'
import type { StepCall } from './step-call.js'

/** Parts of a returned value that are tracked as standing for it. */
const maxTrackedParts = 1000

/** One output of a call, as decided when it ended. */
export type PlannedOutput =
  | { kind: 'handle'; field: string; handle: ArtifactHandle }
  | { kind: 'tracked'; field: string; tracked: TrackedArtifact; value: unknown }
  | { kind: 'value'; field: string; value: unknown }
  | { kind: 'redacted'; field: string }

/**
 * The outputs of a finished call, decided the moment it ends so that the next step given one
 * of them links it: artifact handles and objects become OUTPUT artifacts (objects as tracked
 * artifacts of the step's output type), a plain object's fields each become one, other
 * values are shown inline. Only identity is registered here; serialising and hashing are the
 * recorder's, later.
 */
export interface OutputPlan {
  readonly outputs: PlannedOutput[]
  /** True when the result is a plain record also shown inline (when it is small). */
  readonly inlineResult: boolean
  /** True when the result's fields were planned one by one. */
  readonly byField: boolean
}

/**
 * Let the parts of an output stand for it: array items, their fields and an object's fields,
 * two levels down, so that `score(partitions[0])` or `fit(table.rows)` links the output they
 * came from. Parts that already stand for something keep it.
 */
function trackParts(value: object, tracked: TrackedArtifact): void {
  let budget = maxTrackedParts
  const visit = (part: object, depth: number): void => {
    const children = Array.isArray(part)
      ? part
      : isPlainObject(part)
        ? Object.values(part)
        : []
    for (const child of children) {
      if (budget-- <= 0) return
      if (
        typeof child !== 'object' ||
        child === null ||
        identityTracker.get(child) !== undefined
      )
        continue
      identityTracker.set(child, { kind: 'part', of: tracked })
      if (depth < 2) visit(child, depth + 1)
    }
  }
  if (Array.isArray(value) || isPlainObject(value)) visit(value, 1)
}

function plan(call: StepCall, value: unknown, field: string): PlannedOutput {
  if (value instanceof ArtifactHandle)
    return { kind: 'handle', field, handle: value }
  if (typeof value !== 'object' || value === null)
    return { kind: 'value', field, value }
  const known = identityTracker.get(value)
  if (known?.kind === 'artifact')
    return { kind: 'tracked', field, tracked: known, value }
  const step = call.step
  const name = field === 'result' ? step.name : `${step.name}.${field}`
  const tracked = newTrackedArtifact(step.outputType, name)
  identityTracker.set(value, tracked)
  trackParts(value, tracked)
  return { kind: 'tracked', field, tracked, value }
}

/**
 * True when the outputs of a finished call must be planned the moment it ends: it returned an
 * object or yielded values, whose identity the next step given them links. A primitive result
 * links nothing, so its plan can wait for the recorder (the caller's path keeps less).
 *
 * @example
 * if (plansIdentity(call)) call.outputs = planOutputs(call)
 */
export function plansIdentity(call: StepCall): boolean {
  const result = call.result
  return (
    call.yielded !== undefined ||
    (typeof result === 'object' && result !== null)
  )
}

/**
 * Plan the outputs of `call` (see {@link OutputPlan}) from its result and yielded values.
 * Never throws: a result that cannot be looked at is recorded as a value.
 *
 * @example
 * call.outputs = planOutputs(call)
 */
export function planOutputs(call: StepCall): OutputPlan {
  const outputs: PlannedOutput[] = []
  try {
    const yielded = call.yielded
    if (yielded !== undefined)
      for (const [index, value] of yielded.entries())
        outputs.push(plan(call, value, `yield.${index}`))
    const result = call.result
    if (result === undefined)
      return { outputs, inlineResult: false, byField: false }
    const plain = isPlainObject(result)
    const hasObjectField =
      plain &&
      Object.values(result).some(
        (value) => typeof value === 'object' && value !== null,
      )
    if (
      !plain ||
      identityTracker.get(result) !== undefined ||
      !hasObjectField
    ) {
      outputs.push(plan(call, result, 'result'))
      return { outputs, inlineResult: plain, byField: false }
    }
    const fields: [string, TrackedArtifact][] = []
    for (const [field, value] of Object.entries(result)) {
      if (call.step.redact(field)) {
        outputs.push({ kind: 'redacted', field })
        continue
      }
      const planned = plan(call, value, field)
      outputs.push(planned)
      if (planned.kind === 'tracked') fields.push([field, planned.tracked])
    }
    if (fields.length > 0)
      identityTracker.set(result, { kind: 'composite', fields })
    return { outputs, inlineResult: false, byField: true }
  } catch {
    // A Proxy that refuses to be looked at: recorded as a value, never a lost record.
    return {
      outputs: [{ kind: 'value', field: 'result', value: '[unreadable]' }],
      inlineResult: false,
      byField: false,
    }
  }
}
