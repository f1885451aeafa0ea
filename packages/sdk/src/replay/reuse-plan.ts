import {
  readableNodeName,
  LoreError,
  type Context,
  type Execution,
  type MetadataStore,
} from '@lore/store'
import { keptOf } from '../cache/cache-index.js'
import type { ReusePlan } from '../cache/run-cache.js'
import { getRunDetails } from '../query/run-details.js'

/**
 * The plan of `replay --from <step>`: the original's top-level step calls by name, in order.
 * Throws before anything runs when the step never ran in the original, or when a step before
 * it has no kept outputs to hand back.
 *
 * @example
 * const reuse = await reusePlan(store, original, 'train')
 */
export async function reusePlan(
  store: MetadataStore,
  original: Context,
  from: string,
): Promise<ReusePlan> {
  const runId = original.externalId ?? String(original.id)
  const steps = (await getRunDetails(store, original)).steps.map(
    (node) => node.execution,
  )
  const names = [
    ...new Set(
      steps.map((execution) => readableNodeName(execution.name) ?? ''),
    ),
  ]
  const at = steps.findIndex(
    (execution) => readableNodeName(execution.name) === from,
  )
  if (at < 0)
    throw new LoreError(
      'INVALID_ARGUMENT',
      `--from ${from}: run ${runId} has no step '${from}'; its steps are ${names.join(', ')}`,
      { details: { from, steps: names } },
    )
  const unusable = steps.slice(0, at).flatMap((execution) => {
    const kept = keptOf(execution)
    if (kept !== undefined && 'kept' in kept) return []
    const why = kept === undefined ? 'no kept outputs' : kept.notKept
    return [`${readableNodeName(execution.name) ?? execution.id}: ${why}`]
  })
  if (unusable.length > 0)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `--from ${from}: earlier steps of run ${runId} cannot hand back their outputs (${unusable.join('; ')}); replay from an earlier step`,
      { details: { from } },
    )
  const byName = new Map<string, Execution[]>()
  for (const execution of steps.slice(0, at)) {
    const list = byName.get(readableNodeName(execution.name) ?? '') ?? []
    list.push(execution)
    byName.set(readableNodeName(execution.name) ?? '', list)
  }
  return { from, originalRunId: runId, byName, used: new Map(), reached: false }
}
