import type { StepCall } from './step-call.js'

/** A result handed back instead of calling the step. */
export interface ReusedResult {
  value: unknown
}

/**
 * The port through which a run's step calls ask, before they run, whether their result can
 * be handed back (the step cache, `replay --from`). The cache implements it; the runtime
 * only calls it. Undefined means: call the step.
 */
export interface StepLookup {
  lookup(call: StepCall): ReusedResult | undefined
}
