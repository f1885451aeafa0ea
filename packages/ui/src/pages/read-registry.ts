import type { Context } from '@lore/store'
import { browserStore, storeLocation } from '../api/browser-store.js'
import { requireModelContext } from '../../../sdk/src/registry/registry-lookups.js'
import {
  aliasMoves,
  artifactsOf,
  versionContexts,
} from '../../../sdk/src/registry/registry-reads.js'
import {
  aliasMap,
  aliasesHeldBy,
  replayAliases,
} from '../../../sdk/src/registry/alias-move.js'
import {
  toModelVersion,
  type ModelVersion,
} from '../../../sdk/src/registry/model-version.js'
import type { RegisteredModel } from '../../../sdk/src/registry/registry-options.js'

/*
 * The reading half of the SDK's ModelRegistry, put together from the same functions it uses
 * (its class also holds the write paths, which load the SDK's runtime, and the page writes
 * nothing).
 */

async function summary(context: Context): Promise<RegisteredModel> {
  const versions = await versionContexts(browserStore, context.name)
  const model: RegisteredModel = {
    name: context.name,
    contextId: context.id,
    createdAt: context.createTimeSinceEpoch,
    versionCount: versions.length,
    aliases: aliasMap(
      replayAliases(await aliasMoves(browserStore, context.name)),
    ),
  }
  if (typeof context.properties.description === 'string')
    model.description = context.properties.description
  return model
}

/** Every registered model, by name (`ModelRegistry.listModels`). */
export async function listModels(): Promise<RegisteredModel[]> {
  const contexts = (
    await browserStore.getContexts({
      type: 'RegisteredModel',
      orderBy: 'name',
      limit: 10_000,
    })
  ).items
  return Promise.all(contexts.map(summary))
}

/** One model; NOT_FOUND for an unknown name (`ModelRegistry.getModel`). */
export async function getModel(name: string): Promise<RegisteredModel> {
  return summary(await requireModelContext(browserStore, name, storeLocation))
}

/** Every version of a model, oldest first, with the aliases each holds (`ModelRegistry.listVersions`). */
export async function listVersions(name: string): Promise<ModelVersion[]> {
  await requireModelContext(browserStore, name, storeLocation)
  const contexts = await versionContexts(browserStore, name)
  const artifacts = await artifactsOf(
    browserStore,
    contexts.map((context) => Number(context.properties.artifactId)),
  )
  const states = replayAliases(await aliasMoves(browserStore, name))
  return contexts.map((context) =>
    toModelVersion(
      context,
      artifacts.get(Number(context.properties.artifactId))!,
      aliasesHeldBy(states, Number(context.properties.version)),
    ),
  )
}

/** Every alias move of a model, oldest first (`ModelRegistry.history`). */
export async function aliasHistory(name: string) {
  await requireModelContext(browserStore, name, storeLocation)
  return aliasMoves(browserStore, name)
}
