import {
  uniqueNodeName,
  type ContextInput,
  type PutExecutionRequest,
  type Value,
} from '@lore/store'
import { keepOutputs } from '../cache/kept-outputs.js'
import type { JsonValue } from '../capture/json-value.js'
import type { StepCall } from '../core/step-call.js'
import {
  ArtifactReferences,
  type ArtifactMemory,
} from './artifact-references.js'
import { captureInputs } from './capture-inputs.js'
import { captureOutputs } from './capture-outputs.js'
import { describeError } from './describe-error.js'
import { toProperties } from './property-value.js'

/** What building a request needs from its recorder. */
export interface BuildContext extends ArtifactMemory {
  /** The run's context: by id once written, else by type, name and external id. */
  runContext: ContextInput
}

/** A request with what must exist before it is written. */
export interface BuiltRequest {
  request: PutExecutionRequest
  /** The artifact types and execution type it names, to be put first. */
  artifactTypes: Set<string>
  executionType: string
  /** The handle or tracked artifact behind each artifact of the request, in order. */
  artifactKeys: object[]
}

/**
 * Turn a captured step call into one `putExecution` request: the execution with its
 * parameters, timing, outcome and code version; input and output artifacts with their events;
 * and the run's context. This is where values are serialised and hashed — on the recorder's
 * time, never the caller's. A snapshot records a call still in flight (RUNNING at a
 * heartbeat, CANCELED when the process is interrupted), without outputs.
 *
 * @example
 * const { request } = await buildStepRequest(call, context)
 * await store.putExecution(request)
 */
export async function buildStepRequest(
  call: StepCall,
  context: BuildContext,
  snapshot?: 'RUNNING' | 'CANCELED',
): Promise<BuiltRequest> {
  const step = call.step
  const state = snapshot ?? call.state
  const references = new ArtifactReferences(context, {
    limits: step.limits,
    redact: step.redact,
  })
  const params = captureInputs(call, references, context.tracker)
  const finished = state === 'COMPLETE' || state === 'CACHED'
  const outputs = finished ? captureOutputs(call, references) : undefined
  await references.settle()

  // Two custom properties at most: each is a row the store writes, and rows are what a
  // step record costs (see StepFacts for the layout).
  const ended = snapshot === undefined ? call.endMono : performance.now()
  const facts: Record<string, JsonValue> = {}
  if (call.parentId !== undefined) facts.parent = call.parentId
  if (state !== 'RUNNING')
    facts.durationMs = Math.max(0, ended - call.startMono)
  if (outputs !== undefined) facts.outputs = outputs
  if (step.version !== undefined) facts.version = step.version
  if (call.iterated) facts.yielded = call.yieldCount
  if (call.abandoned) facts.abandoned = true
  // Kept so that a cache hit or `replay --from` can hand the result back (see keepOutputs).
  if (finished && !call.iterated) {
    const kept = await keepOutputs(call.result, step.redact)
    if ('kept' in kept) facts.kept = kept.kept
    else facts.notKept = kept.notKept
  }
  const customProperties: Record<string, Value> = toProperties({
    params: Object.keys(params).length > 0 ? params : undefined,
    lore: facts,
    cache: call.cache as JsonValue | undefined,
  })
  const execution: PutExecutionRequest['execution'] = {
    type: step.executionType,
    externalId: call.id,
    // Names are unique within a type (MLMD's rule): the step's name and the call's id.
    name: uniqueNodeName(step.name, call.id),
    lastKnownState: state,
    startTimeSinceEpoch: call.startTime,
    customProperties,
  }
  if (state !== 'RUNNING')
    execution.endTimeSinceEpoch =
      snapshot === undefined ? call.endTime : Date.now()
  execution.codeVersion = step.codeVersion
  if (call.cache?.key !== undefined) execution.cacheKey = call.cache.key
  if (state === 'FAILED') execution.error = describeError(call.error)
  if (state === 'CANCELED')
    execution.error = {
      name: 'Interrupted',
      message: 'the process was interrupted while this step ran',
    }
  return {
    request: {
      execution,
      artifactEventPairs: references.pairs,
      contexts: [context.runContext],
      // Every node of a step record carries a client-made key (the call's id, an artifact's
      // identity, the run's context), so a retry, a snapshot's final record and a second run
      // that reads the same data all name stored nodes on purpose.
      options: {
        reuseContextIfAlreadyExist: true,
        reuseArtifactIfAlreadyExistByExternalId: true,
        reuseExecutionIfAlreadyExistByExternalId: true,
      },
    },
    artifactTypes: references.types,
    executionType: step.executionType,
    artifactKeys: references.keys,
  }
}

export { describeError } from './describe-error.js'
