import { LoreError } from '@lore/store'
import type { StepCall } from '../core/step-call.js'
import type { CacheFacts } from '../core/cache-facts.js'
import type { ReusedResult } from '../core/step-lookup.js'
import { keptOf } from './cache-index.js'
import { cacheKeyOf } from './cache-key.js'
import { describeKeyChange } from './describe-key-change.js'
import { restoreOutputs } from './restore-outputs.js'
import type { RunCache, ReusePlan } from './run-cache.js'

function reuseFromOriginal(
  call: StepCall,
  plan: ReusePlan,
): ReusedResult | undefined {
  if (plan.reached || call.parentId !== undefined) return undefined
  const name = call.step.name
  if (name === plan.from) {
    plan.reached = true
    return undefined
  }
  const occurrence = plan.used.get(name) ?? 0
  plan.used.set(name, occurrence + 1)
  const original = plan.byName.get(name)?.[occurrence]
  const kept = original === undefined ? undefined : keptOf(original)
  if (original === undefined || kept === undefined || 'notKept' in kept)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `replay --from ${plan.from}: step '${name}' (call ${occurrence + 1}) of run ${plan.originalRunId} has no outputs to reuse${kept !== undefined && 'notKept' in kept ? ` (${kept.notKept})` : ''}; replay from '${name}' or an earlier step`,
      { details: { step: name, from: plan.from } },
    )
  const restored = restoreOutputs(kept.kept)
  if ('reason' in restored)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `replay --from ${plan.from}: cannot reuse step '${name}' of run ${plan.originalRunId}: ${restored.reason}; replay from '${name}' or an earlier step`,
      { details: { step: name, from: plan.from } },
    )
  call.cache = {
    reused: original.externalId ?? '',
    replayedFrom: plan.originalRunId,
  }
  return restored
}

/**
 * Decide, before a step runs, whether its result can be handed back: during `replay --from`,
 * top-level steps before the named one take the original's recorded outputs; a `cache: true`
 * step takes those of the newest earlier execution with the same cache key whose outputs
 * were kept and whose files still match. Sets the call's cache facts (key, parts, what it
 * reused or why it missed) for the recorder. Undefined means: call the step.
 *
 * @example
 * const reused = lookupStep(call, runCache)
 * if (reused !== undefined) return reused.value
 */
export function lookupStep(
  call: StepCall,
  state: Pick<RunCache, 'index' | 'reuse'>,
): ReusedResult | undefined {
  if (state?.reuse !== undefined) {
    const reused = reuseFromOriginal(call, state.reuse)
    if (reused !== undefined) return reused
  }
  if (!call.step.cache) return undefined
  if (state?.index === undefined) {
    call.cache = { off: true }
    return undefined
  }
  const { key, parts } = cacheKeyOf(call)
  const facts: CacheFacts = { key, parts }
  call.cache = facts
  const reasons: string[] = []
  for (const candidate of state.index.candidates(key)) {
    const kept = keptOf(candidate)
    if (kept === undefined || 'notKept' in kept) {
      reasons.push(
        `execution ${candidate.id} has the same key but its outputs were not kept${kept === undefined ? '' : `: ${kept.notKept}`}`,
      )
      continue
    }
    const restored = restoreOutputs(kept.kept)
    if ('value' in restored) {
      facts.reused = candidate.externalId ?? String(candidate.id)
      return restored
    }
    reasons.push(
      `execution ${candidate.id} has the same key but ${restored.reason}`,
    )
  }
  if (reasons.length > 0) facts.miss = reasons.join('; ')
  else {
    const before = state.index.latestParts(parts.step)
    facts.miss =
      before === undefined
        ? 'no earlier execution of this step with caching on'
        : describeKeyChange(before, parts).join('; ') ||
          'no earlier execution with this key'
  }
  return undefined
}
