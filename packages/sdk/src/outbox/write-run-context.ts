import { LoreError, type ContextInput, type MetadataStore } from '@lore/store'
import type { RunIdentity } from './outbox-entry.js'

async function pipelineContextId(
  store: MetadataStore,
  run: RunIdentity,
): Promise<number> {
  const find = async () =>
    (
      await store.getContexts({
        type: 'Pipeline',
        name: run.pipeline.name,
        limit: 1,
      })
    ).items[0]?.id
  const existing = await find()
  if (existing !== undefined) return existing
  const context: ContextInput = { type: 'Pipeline', name: run.pipeline.name }
  if (run.pipeline.description !== undefined)
    context.customProperties = { description: run.pipeline.description }
  try {
    const [id] = await store.putContexts([context])
    if (id !== undefined) return id
  } catch (error) {
    // Another process created it first.
    if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
      throw error
  }
  const id = await find()
  if (id === undefined)
    throw new LoreError(
      'INTERNAL',
      `pipeline context '${run.pipeline.name}' was neither found nor created`,
    )
  return id
}

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
 * context under its pipeline's context, with these properties; returns its id.
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
  const pipelineId = await pipelineContextId(store, run)
  let runId = await contextIdOf(store, run.id)
  if (runId === undefined) {
    const context: ContextInput = {
      type: 'PipelineRun',
      name: run.contextName,
      externalId: run.id,
    }
    if (properties !== undefined) context.properties = properties
    if (customProperties !== undefined)
      context.customProperties = customProperties
    ;[runId] = await store.putContexts([context])
  } else {
    await writeContextUpdate(store, runId, properties, customProperties)
  }
  if (runId === undefined)
    throw new LoreError('INTERNAL', `run ${run.id} was not created`)
  try {
    await store.putParentContexts([{ childId: runId, parentId: pipelineId }])
  } catch (error) {
    // A retry, or a run started again, finds the link made the first time.
    if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
      throw error
  }
  return runId
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
