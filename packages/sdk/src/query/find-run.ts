import { LoreError, type Context, type MetadataStore } from '@lore/store'

async function runOfNode(
  store: MetadataStore,
  kind: 'a' | 'e',
  id: number,
  reference: string,
  location: string,
): Promise<Context> {
  const what = kind === 'a' ? 'artifact' : 'execution'
  const runs = (
    await store.getContexts({
      type: 'PipelineRun',
      ...(kind === 'a' ? { artifactId: id } : { executionId: id }),
      limit: 50,
    })
  ).items
  if (runs.length === 1 && runs[0] !== undefined) return runs[0]
  if (runs.length > 1 && kind === 'a') {
    // An input file read by several runs belongs to each: the run meant is the one that made it.
    const writers = (await store.getEvents({ artifactIds: [id] }))
      .filter((event) => event.type.endsWith('OUTPUT'))
      .map((event) => event.executionId)
    for (const executionId of writers) {
      const [writer] = (
        await store.getContexts({ type: 'PipelineRun', executionId, limit: 1 })
      ).items
      if (writer !== undefined) return writer
    }
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${reference}: artifact ${id} was made by no run and read by ${runs.length} runs (${runs
        .slice(0, 5)
        .map((run) => (run.externalId ?? String(run.id)).slice(0, 8))
        .join(', ')}${runs.length > 5 ? ', …' : ''}); name one of them`,
      { details: { reference } },
    )
  }
  throw new LoreError(
    'NOT_FOUND',
    `${reference}: no ${what} ${id} in a run in ${location}; see the ids of a run's steps and artifacts with: lore show <run>`,
    { details: { reference, store: location } },
  )
}

/**
 * The run context a user means by `reference`: a full run id (or `run:<id>`), a unique
 * prefix of one (at least 4 characters), the context's numeric id, or a node of the run:
 * `e:<execution id>` (the run the step call is in) or `a:<artifact id>` (the run that made
 * the artifact, or the one run that read it) — the ids `lore show` and `lore lineage` print.
 * Throws NOT_FOUND (or INVALID_ARGUMENT for an ambiguous prefix) with a message saying how
 * to list runs.
 *
 * @example
 * const context = await findRun(store, '8d74613b', 'sqlite:.lore/lore.db')
 * const same = await findRun(store, 'e:12', 'sqlite:.lore/lore.db')
 */
export async function findRun(
  store: MetadataStore,
  reference: string,
  location: string,
): Promise<Context> {
  const node = /^(a|artifact|e|execution):(\d+)$/.exec(reference)
  if (node !== null)
    return runOfNode(
      store,
      node[1]?.startsWith('a') === true ? 'a' : 'e',
      Number(node[2]),
      reference,
      location,
    )
  const wanted = reference.replace(/^run:/, '')
  const byExternalId = (
    await store.getContexts({
      type: 'PipelineRun',
      externalIds: [wanted],
      limit: 1,
    })
  ).items[0]
  if (byExternalId !== undefined) return byExternalId
  if (/^\d+$/.test(wanted)) {
    const [byId] = (
      await store.getContexts({ ids: [Number(wanted)], limit: 1 })
    ).items
    if (byId?.type === 'PipelineRun') return byId
  }
  if (wanted.length >= 4 && /^[\w-]+$/.test(wanted)) {
    const matches = (
      await store.getContexts({
        type: 'PipelineRun',
        filter: `external_id LIKE '${wanted}%'`,
        limit: 2,
      })
    ).items
    if (matches.length === 1 && matches[0] !== undefined) return matches[0]
    if (matches.length > 1)
      throw new LoreError(
        'INVALID_ARGUMENT',
        `run prefix '${wanted}' matches several runs in ${location}; give more characters (list runs with: lore runs)`,
        { details: { reference } },
      )
  }
  throw new LoreError(
    'NOT_FOUND',
    `run '${reference}' not found in ${location}; give a run id or a prefix of one, e:<execution id> or a:<artifact id>; list runs with: lore runs`,
    { details: { reference, store: location } },
  )
}
