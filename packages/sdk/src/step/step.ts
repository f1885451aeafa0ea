import { assignedName, callerLocation } from '../capture/caller-file.js'
import {
  stepDecorator,
  type StepDecorator,
} from '../decorators/step-decorator.js'
import { StepDefinition } from '../core/step-definition.js'
import type { StepOptions } from '../core/step-options.js'
import { wrapStep } from '../runtime/wrap-step.js'

/**
 * Record every call of a function as an execution of the current run: arguments (as
 * parameters or artifacts), outputs, timing, the error if it throws, and lineage edges to
 * the steps whose outputs it was given. Returns exactly the type of `fn`: a sync function
 * stays sync, `this` is kept, async functions and async generators are followed to their end.
 *
 * Without a function, `step()` / `step(options)` is the `@step()` method decorator.
 *
 * @example
 * const clean = step(async function clean(raw: FileArtifact) { … })
 * const train = step({ type: 'Train', outputType: 'Model' }, (rows: number[][]) => fit(rows))
 * class Iris { @step() split(rows: Row[], testFraction: number) { … } }
 */
export function step<F extends (...args: any[]) => any>(fn: F): F
export function step<F extends (...args: any[]) => any>(
  options: StepOptions,
  fn: F,
): F
export function step(options?: StepOptions): StepDecorator
export function step(
  first?: StepOptions | ((...args: any[]) => any),
  second?: (...args: any[]) => any,
): unknown {
  const fn = typeof first === 'function' ? first : second
  if (typeof fn !== 'function')
    return stepDecorator(typeof first === 'object' ? first : {})
  const options = typeof first === 'object' ? first : {}
  const location = callerLocation()
  // An anonymous function is named after the variable it is assigned to.
  const fallback = fn.name === '' ? assignedName(location, 'step') : undefined
  return wrapStep(fn, new StepDefinition(fn, options, location?.file, fallback))
}
