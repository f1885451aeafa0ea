import { LoreError, type ContextInput, type MetadataStore } from '@lore/store'
import type { RunIdentity } from './outbox-entry.js'

/** The id of the context whose externalId is `externalId`, if it exists. */
export async function contextIdOf(
  store: MetadataStore,
  externalId: string,
): Promise<number | undefined> {
  return (await store.getContexts({ externalIds: [externalId], limit: 1 }))
    .items[0]?.id
}

/**
 * Create (or find again, on a retry or from a step record that named it first) a run's
 * context under its pipeline's context, with these properties, in one write; returns its id.
 *
 * @example
 * const id = await writeRunStart(store, run, properties, customProperties)
 */
export async function writeRunStart(
  store: MetadataStore,
  run: RunIdentity,
  properties: ContextInput['properties'],
  customProperties: ContextInput['customProperties'],
): Promise<number> {
  const pipeline: ContextInput = { type: 'Pipeline', name: run.pipeline.name }
  if (run.pipeline.description !== undefined)
    pipeline.customProperties = { description: run.pipeline.description }
  const context: ContextInput = {
    type: 'PipelineRun',
    name: run.contextName,
    externalId: run.id,
  }
  if (properties !== undefined) context.properties = properties
  if (customProperties !== undefined)
    context.customProperties = customProperties
  const request = { context, parents: [pipeline] }
  try {
    return (await store.putContextWithParents(request)).contextId
  } catch (error) {
    // Another process created the pipeline (or the run) at the same moment: it is found now.
    if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
      throw error
    return (await store.putContextWithParents(request)).contextId
  }
}

/** Rewrite a context's properties (a run's status, its reproducibility record). */
export async function writeContextUpdate(
  store: MetadataStore,
  contextId: number,
  properties: ContextInput['properties'] | undefined,
  customProperties: ContextInput['customProperties'],
): Promise<void> {
  const context: ContextInput = { id: contextId }
  if (properties !== undefined) context.properties = properties
  if (customProperties !== undefined)
    context.customProperties = customProperties
  await store.putContexts([context])
}
