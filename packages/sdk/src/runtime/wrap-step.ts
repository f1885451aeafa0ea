import { validateInput } from '@lore/store'
import { snapshotInputs } from '../core/call-inputs.js'
import { planOutputs, plansIdentity } from '../core/call-outputs.js'
import { runStorage } from '../core/run-frame.js'
import { StepCall } from '../core/step-call.js'
import type { StepDefinition } from '../core/step-definition.js'
import type { ReusedResult } from '../core/step-lookup.js'
import { adhocRun } from './adhoc-run.js'
import { inheritedFrame } from './joined-run.js'
import {
  isAsyncIterable,
  trackAsyncIterable,
  type SettleCall,
} from './track-async-iterable.js'

/** Where a function made by `step()` keeps its definition: a field of the function itself. */
const definitionKey = Symbol.for('lore.stepDefinition')

/** The definition of a function made by `step()`, or undefined for any other function. */
export function stepDefinitionOf(fn: unknown): StepDefinition | undefined {
  if (typeof fn !== 'function') return undefined
  const definition = (fn as { [definitionKey]?: unknown })[definitionKey]
  return typeof definition === 'object'
    ? (definition as StepDefinition)
    : undefined
}

/** Ask the run's lookup (cache, `replay --from`) whether the call can be skipped. */
function lookupStep(call: StepCall): ReusedResult | undefined {
  const lookup = call.run.lookup
  if (lookup !== undefined) return lookup.lookup(call)
  if (call.step.cache) call.cache = { off: true }
  return undefined
}

/** Hand a settled call to the recorder; a recording failure never reaches the caller. */
function settle(call: StepCall): void {
  call.run.inFlight.delete(call)
  call.run.settledSteps++
  try {
    call.run.recorder.record(call)
  } catch {
    // The recorder counts and reports its own failures; this only keeps them off the caller.
  }
}

function fail(call: StepCall, error: unknown): void {
  call.end('FAILED', undefined, error)
  call.run.failedSteps++
  settle(call)
}

function complete(call: StepCall, value: unknown): void {
  call.end('COMPLETE', value)
  // Now, not when the record is written: the next step given one of these values links it.
  if (plansIdentity(call)) call.outputs = planOutputs(call)
  settle(call)
}

function reuse(call: StepCall, value: unknown): unknown {
  call.end('CACHED', value)
  if (plansIdentity(call)) call.outputs = planOutputs(call)
  settle(call)
  return call.step.isAsync ? Promise.resolve(value) : value
}

const settleIteration: SettleCall = (call, state, error) => {
  if (state === 'FAILED') fail(call, error)
  else complete(call, undefined)
}

/** A native promise (a custom thenable keeps its type); false for what cannot be asked. */
function isNativePromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise
  } catch {
    // a Proxy whose getPrototypeOf trap throws, or a revoked one
    return false
  }
}

/**
 * Follow an async iterable's iteration, when it can be followed: a frozen or otherwise
 * non-extensible object (or a Proxy that refuses to be looked at) is returned untouched and
 * its call ends now.
 */
function settleResult(call: StepCall, value: unknown): unknown {
  if (isAsyncIterable(value) && canTrack(value))
    return trackAsyncIterable(value, call, settleIteration)
  complete(call, value)
  return value
}

function canTrack(value: object): boolean {
  try {
    return Object.isExtensible(value)
  } catch {
    return false
  }
}

function completeAsync(call: StepCall, value: unknown): unknown {
  const recorder = call.run.recorder
  if ((isAsyncIterable(value) && canTrack(value)) || recorder.hasRoom())
    return settleResult(call, value)
  // Back-pressure: an async step settles once the recorder has room for its record.
  return recorder.waitForRoom().then(() => settleResult(call, value))
}

function checkParams(call: StepCall, definition: StepDefinition): void {
  const schema = definition.params
  if (schema === undefined) return
  const params = Object.fromEntries(
    call.inputs.named.filter(([name]) => definition.paramKeys?.includes(name)),
  )
  validateInput(schema, params, `${definition.name} params`)
}

/**
 * Wrap `fn` so that each call is recorded as an execution: the wrapper finds the run (or the
 * ad-hoc run) and the parent step in AsyncLocalStorage, calls `fn` with the same `this` and
 * arguments inside a frame of its own, and hands the call to the recorder when it settles.
 * A sync function stays sync; a native promise is chained; an async iterable is tracked
 * until its iteration ends. Whatever `fn` throws is rethrown as is.
 *
 * @example
 * const load = wrapStep(loadRows, new StepDefinition(loadRows, {}, undefined))
 */
export function wrapStep<F extends (...args: any[]) => any>(
  fn: F,
  definition: StepDefinition,
): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const frame = runStorage.getStore() ?? inheritedFrame()
    const run = frame === undefined ? adhocRun() : frame.run
    run.recorder.checkStrict()
    const call = new StepCall(
      definition,
      run,
      frame?.parentId,
      snapshotInputs(definition, args),
    )
    run.inFlight.add(call)
    try {
      run.recorder.stepStarted(call)
    } catch {
      // A listener's failure never reaches the caller.
    }
    let result: unknown
    try {
      if (definition.params !== undefined) checkParams(call, definition)
      const reused = lookupStep(call)
      if (reused !== undefined) return reuse(call, reused.value)
      result = runStorage.run(
        { run, parentId: call.id },
        Reflect.apply,
        fn,
        this,
        args,
      )
    } catch (error) {
      fail(call, error)
      throw error
    }
    // Only native promises are chained: a custom thenable (a query builder) keeps its type.
    if (isNativePromise(result)) {
      return result.then(
        (value: unknown) => completeAsync(call, value),
        (error: unknown) => {
          fail(call, error)
          throw error
        },
      )
    }
    return settleResult(call, result)
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true })
  Object.defineProperty(wrapped, 'length', {
    value: fn.length,
    configurable: true,
  })
  Object.defineProperty(wrapped, definitionKey, { value: definition })
  return wrapped as unknown as F
}
