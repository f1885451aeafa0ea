import type { Execution, MetadataStore } from '@lore/store'
import type { CacheFacts, CacheKeyParts } from '../core/cache-facts.js'

export type { CacheFacts } from '../core/cache-facts.js'

/** How many earlier cacheable executions a run reads when it starts. */
const maxEntries = 5000

/** The `cache` custom property of an execution, if any. */
export function cacheFactsOf(execution: Execution): CacheFacts | undefined {
  const value = execution.customProperties.cache
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as CacheFacts)
    : undefined
}

/**
 * The outputs kept with an execution (`lore.kept`), or why they were not (`lore.notKept`);
 * undefined for executions recorded before outputs were kept.
 */
export function keptOf(
  execution: Execution,
): { kept: unknown } | { notKept: string } | undefined {
  const lore = execution.customProperties.lore
  if (typeof lore !== 'object' || lore === null || Array.isArray(lore))
    return undefined
  if ('kept' in lore) return { kept: lore.kept }
  return typeof lore.notKept === 'string'
    ? { notKept: lore.notKept }
    : undefined
}

/**
 * The cacheable executions a run may reuse, read once when the run starts so that the lookup
 * before a (possibly sync) step is a map read: newest first by cache key, and the newest
 * parts seen per step, to say why a key missed.
 *
 * @example
 * const index = await CacheIndex.load(store)
 * index.candidates(key)[0]?.externalId
 */
export class CacheIndex {
  readonly #byKey = new Map<string, Execution[]>()
  readonly #latestByStep = new Map<string, CacheKeyParts>()

  /** Read the newest cacheable executions of `store`. */
  static async load(store: MetadataStore): Promise<CacheIndex> {
    const index = new CacheIndex()
    const page = await store.getExecutions({
      filter:
        "cache_key IS NOT NULL AND (last_known_state = 'COMPLETE' OR last_known_state = 'CACHED')",
      orderBy: 'id',
      descending: true,
      limit: maxEntries,
    })
    for (const execution of page.items) index.add(execution)
    return index
  }

  /** Index one execution (newest first: add in descending order). */
  add(execution: Execution): void {
    const key = execution.cacheKey
    if (key === undefined) return
    const list = this.#byKey.get(key) ?? []
    list.push(execution)
    this.#byKey.set(key, list)
    const parts = cacheFactsOf(execution)?.parts
    if (parts !== undefined && !this.#latestByStep.has(parts.step))
      this.#latestByStep.set(parts.step, parts)
  }

  /** Earlier executions with this key, newest first. */
  candidates(key: string): readonly Execution[] {
    return this.#byKey.get(key) ?? []
  }

  /** The parts of the newest earlier execution of a step (`Type:name`). */
  latestParts(step: string): CacheKeyParts | undefined {
    return this.#latestByStep.get(step)
  }
}
