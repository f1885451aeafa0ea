import type { Context, MetadataStore, MetricPoint } from '@lore/store'
import { LoreError } from '@lore/store'
import {
  checkMetric,
  newMetricId,
  type LogMetricOptions,
} from '../core/metric-point.js'
import {
  aliasesHeldBy,
  aliasMap,
  replayAliases,
  type AliasMove,
  type AliasState,
} from './alias-move.js'
import { checkModelFile } from './check-model-file.js'
import { defaultActor } from './default-actor.js'
import { findProducer } from './find-producer.js'
import {
  toModelVersion,
  type ModelVersion,
  type ModelVersionRef,
} from './model-version.js'
import { moveAlias, type MoveDecision } from './move-alias.js'
import type { ForcedFileCheck, MoveOptions } from './record-alias-move.js'
import { registerVersion } from './register-version.js'
import {
  requireAliasState,
  requireModelContext,
  requireVersionContext,
} from './registry-lookups.js'
import { checkAlias, checkModelName, checkVersion } from './registry-names.js'
import { aliasMoves, artifactsOf, versionContexts } from './registry-reads.js'
import { ensureRegistryTypes } from './registry-types.js'
import {
  resolveModelArtifact,
  type ModelSource,
} from './resolve-model-artifact.js'
import { VersionMetrics } from './version-metrics.js'
import type {
  ModelRegistryOptions,
  RegisteredModel,
  RegisterOptions,
} from './registry-options.js'

/**
 * The model registry over a metadata store, mapped onto MLMD: a registered model is a
 * `RegisteredModel` context; version N is the `Model` artifact attributed to it (and to its
 * own `ModelVersion` context, `iris/v3`), linked to the run and step that produced it; every
 * alias move is an append-only `Deploy` execution whose inputs are the versions involved.
 * Who holds an alias, and its history and rollbacks, are read from those records — there is
 * no mutable pointer.
 *
 * Errors are `LoreError`s: NOT_FOUND for an unknown model, version or alias;
 * INVALID_ARGUMENT for bad names, versions or metric values; FAILED_PRECONDITION for a
 * rollback with nothing to roll back to.
 *
 * @example
 * const registry = await modelRegistry()
 * const v1 = await registry.register('iris', result.model)
 * await registry.setAlias('iris', 'production', v1.version, { reason: 'first model' })
 * const live = await registry.getByAlias('iris', 'production')
 */
export class ModelRegistry {
  readonly #store: MetadataStore
  readonly #options: Readonly<ModelRegistryOptions>
  readonly #metrics: VersionMetrics

  constructor(store: MetadataStore, options: ModelRegistryOptions = {}) {
    this.#store = store
    this.#options = Object.freeze({ ...options })
    this.#metrics = new VersionMetrics(store, () => this.location)
  }

  /** The store the registry reads and writes. */
  get store(): MetadataStore {
    return this.#store
  }

  /** Where the store is, for messages. */
  get location(): string {
    return (
      this.#options.location ??
      (this.#store as { location?: string }).location ??
      'the store'
    )
  }

  #actor(actor: string | undefined): string {
    return actor ?? this.#options.actor ?? defaultActor()
  }

  /**
   * Register a model as the next version of `name` (1, 2, …), creating the model on first use.
   * `model` is what a training step returned (or an artifact handle, record or id); it must be
   * a `Model` artifact. Registering the same artifact again returns its version.
   */
  async register(
    name: string,
    model: ModelSource,
    options: RegisterOptions = {},
  ): Promise<ModelVersion> {
    checkModelName(name)
    const metrics = Object.entries(options.metrics ?? {}).map(([key, value]) =>
      checkMetric(key, value, { step: 0 }, `registering model '${name}'`),
    )
    await ensureRegistryTypes(this.#store)
    const artifact = await resolveModelArtifact(
      this.#store,
      model,
      this.location,
    )
    const producer = await findProducer(this.#store, artifact.id)
    const version = await registerVersion(this.#store, {
      model: name,
      artifact,
      producer,
      actor: this.#actor(options.actor),
      description: options.description,
    })
    if (metrics.length > 0)
      await this.#store.putMetrics(
        metrics.map((point) => ({
          contextId: version.contextId,
          key: point.key,
          value: point.value,
          step: 0,
          timestampMs: point.timestampMs,
          externalId: newMetricId(),
        })),
      )
    return this.getVersion(name, version.version)
  }

  /** Every registered model, by name. */
  async listModels(): Promise<RegisteredModel[]> {
    const contexts = (
      await this.#store.getContexts({
        type: 'RegisteredModel',
        orderBy: 'name',
        limit: 10_000,
      })
    ).items
    return Promise.all(contexts.map((context) => this.#summary(context)))
  }

  /** One registered model. Throws NOT_FOUND for an unknown name. */
  async getModel(name: string): Promise<RegisteredModel> {
    return this.#summary(await this.#modelContext(name))
  }

  /** Every version of a model, oldest first, with the aliases each holds now. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    await this.#modelContext(name)
    const contexts = await versionContexts(this.#store, name)
    const artifacts = await artifactsOf(
      this.#store,
      contexts.map((context) => Number(context.properties.artifactId)),
    )
    const states = await this.#aliasStates(name)
    return contexts.map((context) =>
      toModelVersion(
        context,
        artifacts.get(Number(context.properties.artifactId))!,
        aliasesHeldBy(states, Number(context.properties.version)),
      ),
    )
  }

  /** Version `version` of a model. Throws NOT_FOUND for an unknown model or version. */
  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const number = checkVersion(version, checkModelName(name))
    const context = await requireVersionContext(
      this.#store,
      name,
      number,
      this.location,
    )
    const artifactId = Number(context.properties.artifactId)
    const artifacts = await artifactsOf(this.#store, [artifactId])
    return toModelVersion(
      context,
      artifacts.get(artifactId)!,
      aliasesHeldBy(await this.#aliasStates(name), number),
    )
  }

  /** The version an alias points to. Throws NOT_FOUND for an unknown model or alias. */
  async getByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkAlias(alias)
    await this.#modelContext(name)
    const state = requireAliasState(await this.#aliasStates(name), name, alias)
    return this.getVersion(name, state.version)
  }

  /** Each alias of a model and the version holding it. */
  async aliases(name: string): Promise<Record<string, number>> {
    await this.#modelContext(name)
    return aliasMap(await this.#aliasStates(name))
  }

  /**
   * Point `alias` at `version`, recording who, why, and from which version, as a `Deploy`
   * execution. Setting an alias to the version it already holds records nothing and returns
   * the move that put it there. A version whose model file changed since it was registered
   * (overwritten in place) or is gone is refused, unless `options.force` with a `reason`:
   * the move then records the file's check under its `forced` custom property.
   */
  async setAlias(
    name: string,
    alias: string,
    version: number,
    options: MoveOptions = {},
  ): Promise<AliasMove> {
    checkAlias(alias)
    const found = await this.getVersion(name, version)
    const target = found.version
    const forced = await checkModelFile(found, options)
    return this.#move(
      name,
      alias,
      options,
      (state) =>
        state?.version === target ? undefined : { action: 'set', to: target },
      forced,
    )
  }

  /**
   * Point `alias` back at the version that held it before its last promotion, recorded as a
   * `rollback` move. Throws NOT_FOUND for an unknown alias, FAILED_PRECONDITION when the alias
   * has had only one holder.
   */
  async rollback(
    name: string,
    alias: string,
    options: MoveOptions = {},
  ): Promise<AliasMove> {
    checkAlias(alias)
    await this.#modelContext(name)
    requireAliasState(await this.#aliasStates(name), name, alias)
    return this.#move(name, alias, options, (state) => {
      const previous = state?.previous.at(-1)
      if (state === undefined || previous === undefined)
        throw new LoreError(
          'FAILED_PRECONDITION',
          `alias '${alias}' of model '${name}' has had no other version before v${state?.version ?? '?'}, so there is nothing to roll back to; promote another version with: lore models promote ${name} <version> ${alias}`,
          { details: { model: name, alias } },
        )
      return { action: 'rollback', to: previous }
    })
  }

  /** Every alias move of a model (or of one alias), oldest first. */
  async history(
    name: string,
    options: { alias?: string } = {},
  ): Promise<AliasMove[]> {
    await this.#modelContext(name)
    if (options.alias !== undefined) checkAlias(options.alias)
    const moves = await aliasMoves(this.#store, name)
    return options.alias === undefined
      ? moves
      : moves.filter((move) => move.alias === options.alias)
  }

  /**
   * Log a metric point on a model version — a prediction service's accuracy on a window of
   * labelled traffic, say. Without `step`, the point follows the key's latest step. Throws
   * INVALID_ARGUMENT for NaN, Infinity or an empty key; NOT_FOUND for an unknown version.
   */
  logMetric(
    ref: ModelVersionRef,
    key: string,
    value: number,
    options: LogMetricOptions = {},
  ): Promise<void> {
    return this.#metrics.log(ref, key, value, options)
  }

  /** A version's series of one metric, by step; `last` keeps only the last N points. */
  getMetrics(
    ref: ModelVersionRef,
    key: string,
    options: { last?: number } = {},
  ): Promise<MetricPoint[]> {
    return this.#metrics.series(ref, key, options)
  }

  async #move(
    name: string,
    alias: string,
    options: MoveOptions,
    decide: MoveDecision,
    forced?: ForcedFileCheck,
  ): Promise<AliasMove> {
    return moveAlias(
      this.#store,
      {
        model: name,
        modelContext: await this.#modelContext(name),
        alias,
        actor: this.#actor(options.actor),
        location: this.location,
      },
      options,
      decide,
      forced,
    )
  }

  async #summary(context: Context): Promise<RegisteredModel> {
    const versions = await versionContexts(this.#store, context.name)
    const model: RegisteredModel = {
      name: context.name,
      contextId: context.id,
      createdAt: context.createTimeSinceEpoch,
      versionCount: versions.length,
      aliases: aliasMap(await this.#aliasStates(context.name)),
    }
    const description = context.properties.description
    if (typeof description === 'string') model.description = description
    return model
  }

  #modelContext(name: string): Promise<Context> {
    return requireModelContext(this.#store, name, this.location)
  }

  async #aliasStates(name: string): Promise<Map<string, AliasState>> {
    return replayAliases(await aliasMoves(this.#store, name))
  }
}
