import {
  LoreError,
  readableNodeName,
  type Artifact,
  type Context,
  type ContextInput,
  type MetadataStore,
} from '@lore/store'
import type { ModelProducer } from './model-version.js'
import { findModelContext, versionContexts } from './registry-reads.js'
import { versionContextName } from './registry-names.js'

/** What {@link registerVersion} records. */
export interface VersionRequest {
  model: string
  artifact: Artifact
  producer: ModelProducer | undefined
  actor: string
  description: string | undefined
}

const maxClaimAttempts = 20

async function isModelType(
  store: MetadataStore,
  artifact: Artifact,
): Promise<boolean> {
  if (artifact.type === 'Model') return true
  const type = await store.getArtifactType(artifact.type)
  return type.baseType === 'Model'
}

async function modelContextId(
  store: MetadataStore,
  model: string,
): Promise<number> {
  const existing = await findModelContext(store, model)
  if (existing !== undefined) return existing.id
  try {
    const [id] = await store.putContexts([
      { type: 'RegisteredModel', name: model },
    ])
    if (id !== undefined) return id
  } catch (error) {
    // Another process registered the model first.
    if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
      throw error
  }
  const created = await findModelContext(store, model)
  if (created === undefined)
    throw new LoreError(
      'INTERNAL',
      `model '${model}' was neither found nor created`,
    )
  return created.id
}

/**
 * Record `artifact` as the next version of a model: claim the version's context by its
 * unique name (`iris/v3`; a process that loses the race takes the next number), make it a
 * child of the model's context, attribute the artifact to both, and label the artifact with
 * the version when it has no version of its own. An artifact already registered under this
 * model returns its version; one registered under another model is refused.
 *
 * @example
 * const context = await registerVersion(store, { model: 'iris', artifact, producer, actor: 'ada', description: undefined })
 */
export async function registerVersion(
  store: MetadataStore,
  request: VersionRequest,
): Promise<{ version: number; contextId: number }> {
  const { model, artifact } = request
  if (!(await isModelType(store, artifact)))
    throw new LoreError(
      'INVALID_ARGUMENT',
      `artifact ${artifact.id} (${artifact.name === undefined ? 'unnamed' : readableNodeName(artifact.name)}) is a '${artifact.type}', not a Model; register what a training step returned (give the step outputType: 'Model'), or an artifact of type Model`,
      { details: { artifactId: artifact.id, type: artifact.type } },
    )
  const [registered] = (
    await store.getContexts({
      type: 'ModelVersion',
      artifactId: artifact.id,
      limit: 1,
    })
  ).items
  if (registered !== undefined) return alreadyRegistered(registered, request)
  const modelId = await modelContextId(store, model)
  for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
    const latest = (await versionContexts(store, model)).at(-1)
    const version = Number(latest?.properties.version ?? 0) + 1
    const context: ContextInput = {
      type: 'ModelVersion',
      name: versionContextName(model, version),
      properties: {
        model,
        version,
        artifactId: artifact.id,
        registeredBy: request.actor,
        ...(request.description === undefined
          ? {}
          : { description: request.description }),
        ...(request.producer === undefined
          ? {}
          : {
              producerExecutionId: request.producer.executionId,
              ...(request.producer.runId === undefined
                ? {}
                : { producerRunId: request.producer.runId }),
              ...(request.producer.runContextId === undefined
                ? {}
                : { producerRunContextId: request.producer.runContextId }),
            }),
      },
    }
    let contextId: number | undefined
    try {
      ;[contextId] = await store.putContexts([context])
    } catch (error) {
      if (LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS')
        continue
      throw error
    }
    if (contextId === undefined) break
    await store.putParentContexts([{ childId: contextId, parentId: modelId }])
    await store.putAttributionsAndAssociations(
      [
        { contextId: modelId, artifactId: artifact.id },
        { contextId, artifactId: artifact.id },
      ],
      [],
    )
    if (artifact.version === undefined)
      await store.putArtifacts([{ id: artifact.id, version: String(version) }])
    return { version, contextId }
  }
  throw new LoreError(
    'ABORTED',
    `could not claim a version number for model '${model}' after ${maxClaimAttempts} tries (others kept registering); try again`,
    { details: { model } },
  )
}

function alreadyRegistered(
  context: Context,
  request: VersionRequest,
): { version: number; contextId: number } {
  const owner = context.properties.model
  const version = Number(context.properties.version)
  if (owner === request.model) return { version, contextId: context.id }
  throw new LoreError(
    'ALREADY_EXISTS',
    `artifact ${request.artifact.id} is already version ${version} of model '${String(owner)}'; one artifact is one version of one model (register a copy under '${request.model}' if you mean to)`,
    { details: { artifactId: request.artifact.id, model: owner, version } },
  )
}
