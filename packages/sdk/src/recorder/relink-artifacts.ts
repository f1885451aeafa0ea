import type { MetadataStore, PutExecutionRequest } from '@lore/store'

/** An artifact a step named under another type than the one the store has it as. */
export interface TypeMismatch {
  externalId: string
  uri: string | undefined
  /** The type the store has (from the first record of it). */
  stored: string
  /** The type the step gave. */
  given: string
}

/**
 * A request whose artifacts the store already has under another type — the same file given
 * as `artifact.file(p)` after another pipeline recorded it as a `Dataset` — named by the
 * store's id instead, so the step is recorded and linked to the artifact as it is stored (a
 * node's type never changes). Undefined when no artifact of the request is in that case.
 *
 * @example
 * const relinked = await relinkMismatchedArtifacts(store, request)
 * if (relinked) await store.putExecution(relinked.request)
 */
export async function relinkMismatchedArtifacts(
  store: MetadataStore,
  request: PutExecutionRequest,
): Promise<
  { request: PutExecutionRequest; mismatches: TypeMismatch[] } | undefined
> {
  const pairs = request.artifactEventPairs ?? []
  const externalIds = [
    ...new Set(
      pairs.flatMap(({ artifact }) =>
        artifact.id === undefined &&
        artifact.externalId !== undefined &&
        artifact.type !== undefined
          ? [artifact.externalId]
          : [],
      ),
    ),
  ]
  if (externalIds.length === 0) return undefined
  const stored = new Map<string, { id: number; type: string }>()
  for (let start = 0; start < externalIds.length; start += 500) {
    const page = await store.getArtifacts({
      externalIds: externalIds.slice(start, start + 500),
      limit: 500,
    })
    for (const artifact of page.items)
      if (artifact.externalId !== undefined)
        stored.set(artifact.externalId, {
          id: artifact.id,
          type: artifact.type,
        })
  }
  const mismatches: TypeMismatch[] = []
  const relinked = pairs.map((pair) => {
    const { artifact } = pair
    const found =
      artifact.externalId === undefined
        ? undefined
        : stored.get(artifact.externalId)
    if (
      found === undefined ||
      artifact.type === undefined ||
      found.type === artifact.type
    )
      return pair
    mismatches.push({
      externalId: artifact.externalId!,
      uri: artifact.uri,
      stored: found.type,
      given: artifact.type,
    })
    return { ...pair, artifact: { id: found.id } }
  })
  if (mismatches.length === 0) return undefined
  return {
    request: { ...request, artifactEventPairs: relinked },
    mismatches,
  }
}
