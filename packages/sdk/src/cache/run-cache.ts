import type { Execution } from '@lore/store'
import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'
import type { ReusedResult, StepLookup } from '../core/step-lookup.js'
import type { CacheIndex } from './cache-index.js'
import { lookupStep } from './lookup-step.js'

/** `replay --from`: the original's top-level executions by step name, reused until `from`. */
export interface ReusePlan {
  readonly from: string
  readonly originalRunId: string
  readonly byName: ReadonlyMap<string, readonly Execution[]>
  readonly used: Map<string, number>
  reached: boolean
}

/** What a run's step lookups read: the cache index (when caching is on) and a reuse plan. */
export interface RunCache extends StepLookup {
  readonly index: CacheIndex | undefined
  readonly reuse: ReusePlan | undefined
}

/**
 * Attach the cache state of a run (done once, before its function is called): it becomes
 * the run's {@link StepLookup}. Runs without one (ad-hoc runs) always call their steps.
 *
 * @example
 * setRunCache(run, { index: await CacheIndex.load(store), reuse: undefined })
 */
export function setRunCache(
  run: RunState,
  cache: Omit<RunCache, 'lookup'>,
): void {
  const state: RunCache = {
    index: cache.index,
    reuse: cache.reuse,
    lookup: (call: StepCall): ReusedResult | undefined =>
      lookupStep(call, state),
  }
  run.lookup = state
}
