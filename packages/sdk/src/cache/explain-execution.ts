import {
  readableNodeName,
  LoreError,
  type Execution,
  type MetadataStore,
} from '@lore/store'
import { cacheFactsOf, keptOf, type CacheFacts } from './cache-index.js'

/** What `lore explain` says about one execution's cache lookup. */
export interface CacheExplanation {
  executionId: number
  step: string
  state: string
  /** hit: reused an earlier execution; miss: ran; off: caching was off; none: not a cache step. */
  outcome: 'hit' | 'miss' | 'off' | 'none'
  /** The execution whose outputs a hit reused. */
  reused?: { id: number | undefined; externalId: string }
  /** Why a lookup missed: which part of the key changed, or why a same-key entry was unusable. */
  reason?: string
  facts: CacheFacts | undefined
  /** Whether this execution's outputs can be reused later, and if not why. */
  reusable: string
}

async function findExecution(
  store: MetadataStore,
  reference: string,
): Promise<Execution> {
  const wanted = reference.replace(/^execution:/, '')
  const found = /^\d+$/.test(wanted)
    ? (await store.getExecutions({ ids: [Number(wanted)], limit: 1 })).items
    : (
        await store.getExecutions({
          filter: `external_id LIKE 'execution:${wanted.replace(/[^\w-]/g, '')}%'`,
          limit: 2,
        })
      ).items
  if (found.length === 1 && found[0] !== undefined) return found[0]
  throw new LoreError(
    found.length > 1 ? 'INVALID_ARGUMENT' : 'NOT_FOUND',
    found.length > 1
      ? `execution '${reference}' matches several executions; give more characters`
      : `execution '${reference}' not found; see execution ids with: lore show <run>`,
    { details: { reference } },
  )
}

/**
 * Why an execution was or was not served from the cache: the execution a hit reused, or the
 * part of the key that changed since the step's previous cached execution (version, source
 * file, a parameter, an input's fingerprint), or why an entry with the same key was unusable.
 *
 * @example
 * (await explainExecution(store, '42')).reason // 'parameter maxDepth: 5 → 3'
 */
export async function explainExecution(
  store: MetadataStore,
  reference: string,
): Promise<CacheExplanation> {
  const execution = await findExecution(store, reference)
  const facts = cacheFactsOf(execution)
  const kept = keptOf(execution)
  const explanation: CacheExplanation = {
    executionId: execution.id,
    step: readableNodeName(execution.name) ?? execution.type,
    state: execution.lastKnownState,
    outcome: 'none',
    facts,
    reusable:
      kept === undefined
        ? 'no: its outputs were not kept'
        : 'notKept' in kept
          ? `no: ${kept.notKept}`
          : 'yes',
  }
  if (facts?.off === true) explanation.outcome = 'off'
  else if (facts?.reused !== undefined) {
    explanation.outcome = 'hit'
    const [reused] = (
      await store.getExecutions({ externalIds: [facts.reused], limit: 1 })
    ).items
    explanation.reused = { id: reused?.id, externalId: facts.reused }
  } else if (facts?.key !== undefined) {
    explanation.outcome = 'miss'
    if (facts.miss !== undefined) explanation.reason = facts.miss
  }
  return explanation
}
