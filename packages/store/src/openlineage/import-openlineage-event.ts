import { LoreError } from '../lore-error.js'
import type { MetadataStore } from '../metadata-store.js'
import type {
  ArtifactInput,
  ContextInput,
  Execution,
  ExecutionInput,
  ExecutionState,
  JsonValue,
} from '../record-schemas.js'
import type { PutExecutionRequest } from '../request-schemas.js'
import { uniqueNodeName } from '../unique-node-name.js'
import { uriOfDataset } from './dataset-uri.js'
import { fitKey } from './fit-key.js'
import type {
  OpenLineageDataset,
  OpenLineageEvent,
  OpenLineageFacets,
  OpenLineageJob,
  OpenLineageRunEvent,
} from './openlineage-event.js'

/*
 * How OpenLineage lands in the metadata graph (MLMD's concepts only; nothing here knows who
 * sent the event):
 *
 *   job (namespace, name)     → an execution type named `<namespace>/<name>` (base type Train
 *                               for jobType MODEL)
 *   run (runId)               → an execution of that type (external id
 *                               `openlineage:run:<runId>`), its state from the event type, and a
 *                               context of type `OpenLineageRun` (same external id)
 *   parent / root facets      → parent contexts: run ⊂ parent run ⊂ root run; the execution is
 *                               associated with all three, as a step is with its pipeline run
 *   input / output datasets   → artifacts (uri from namespace + name, see dataset-uri.ts;
 *                               `version` facet → fingerprint) linked by INPUT / OUTPUT events
 *
 * A dataset joins an artifact already in the store with the same uri (and fingerprint, when
 * the event gives a version); without a version it joins the newest artifact at that uri.
 * Facets are kept on the nodes under the custom property `openlineage`; a run's facets
 * accumulate over its events, as OpenLineage consumers merge them.
 */

/** The context type of an OpenLineage run. */
export const openLineageRunContextType = 'OpenLineageRun'

/** What importing one event wrote. */
export interface ImportedEvent {
  executionId?: number
  contextIds: number[]
  artifactIds: number[]
}

/** The largest facet kept on a node, as JSON; a larger one is named in `droppedFacets`. */
const maxFacetBytes = 64 * 1024

const runKey = (runId: string): string =>
  `openlineage:run:${runId.toLowerCase()}`

const jobTypeName = (job: { namespace: string; name: string }): string =>
  fitKey(`${job.namespace}/${job.name}`)

function millis(time: string): number | undefined {
  const value = Date.parse(time)
  return Number.isFinite(value) && value >= 0 ? value : undefined
}

function keptFacets(facets: OpenLineageFacets | undefined): {
  facets: Record<string, JsonValue>
  dropped: string[]
} {
  const kept: Record<string, JsonValue> = {}
  const dropped: string[] = []
  for (const [key, facet] of Object.entries(facets ?? {})) {
    const text = JSON.stringify(facet)
    if (text === undefined || text.length > maxFacetBytes) dropped.push(key)
    else kept[key] = JSON.parse(text) as JsonValue
  }
  return { facets: kept, dropped }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

const terminal = new Set<ExecutionState>(['COMPLETE', 'FAILED', 'CANCELED'])

function stateOf(
  event: OpenLineageRunEvent,
  existing: Execution | undefined,
): ExecutionState {
  const previous = existing?.lastKnownState
  switch (event.eventType) {
    case 'COMPLETE':
      return 'COMPLETE'
    case 'FAIL':
      return 'FAILED'
    case 'ABORT':
      return 'CANCELED'
    case 'START':
    case 'RUNNING':
      // Events may arrive out of order: a late START does not reopen a finished run.
      return previous !== undefined && terminal.has(previous)
        ? previous
        : 'RUNNING'
    default:
      return previous ?? 'NEW'
  }
}

/**
 * Maps OpenLineage events into a metadata store (see the mapping above). Keeps the types it
 * has ensured in a field, so one importer serves a server's lifetime without asking the
 * store for them again. Throws the store's LoreError when a write is refused.
 *
 * @example
 * const importer = new OpenLineageImporter(store)
 * for (const event of events) await importer.importEvent(event)
 */
export class OpenLineageImporter {
  readonly #store: MetadataStore
  readonly #types = new Set<string>()

  constructor(store: MetadataStore) {
    this.#store = store
  }

  /** Write one event that has already been validated against the OpenLineage schemas. */
  async importEvent(event: OpenLineageEvent): Promise<ImportedEvent> {
    if ('run' in event) return this.#importRun(event)
    if ('dataset' in event) {
      const artifact = await this.#artifactOf(event.dataset)
      const ids =
        'id' in artifact && Object.keys(artifact).length === 1
          ? [artifact.id as number]
          : await this.#store.putArtifacts([artifact])
      return { contextIds: [], artifactIds: ids }
    }
    await this.#ensureExecutionType(event.job)
    return { contextIds: [], artifactIds: [] }
  }

  async #importRun(event: OpenLineageRunEvent): Promise<ImportedEvent> {
    const runId = event.run.runId
    const parent = record(event.run.facets?.parent)
    const parentRun = record(parent.run)
    const parentJob = record(parent.job)
    const root = record(parent.root)
    const rootRun = record(root.run)
    const rootJob = record(root.job)
    const parentId =
      typeof parentRun.runId === 'string' ? parentRun.runId : undefined
    const rootId = typeof rootRun.runId === 'string' ? rootRun.runId : undefined
    if (parentId?.toLowerCase() === runId.toLowerCase()) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `run.facets.parent.run.runId '${parentId}' is the event's own runId; a run cannot be its own parent — give the id of the run that started this one`,
        {
          issues: [
            {
              path: ['run', 'facets', 'parent', 'run', 'runId'],
              code: 'custom',
              message: `run.facets.parent.run.runId: '${parentId}' is the run's own id`,
            },
          ],
        },
      )
    }
    const executionType = await this.#ensureExecutionType(event.job)
    const [existing] = (
      await this.#store.getExecutions({
        externalIds: [runKey(runId)],
        limit: 1,
      })
    ).items
    const before = record(existing?.customProperties.openlineage)
    const runFacets = keptFacets(event.run.facets)
    const jobFacets = keptFacets(event.job.facets)
    const time = millis(event.eventTime)
    const state = stateOf(event, existing)
    const openlineage: Record<string, JsonValue> = {
      job: { namespace: event.job.namespace, name: event.job.name },
      runId,
      producer: event.producer,
      eventType: event.eventType ?? 'OTHER',
      eventTime: event.eventTime,
      runFacets: {
        ...(record(before.runFacets) as Record<string, JsonValue>),
        ...runFacets.facets,
      },
      jobFacets: {
        ...(record(before.jobFacets) as Record<string, JsonValue>),
        ...jobFacets.facets,
      },
    }
    const dropped = [
      ...new Set([
        ...(Array.isArray(before.droppedFacets)
          ? (before.droppedFacets as string[])
          : []),
        ...runFacets.dropped,
        ...jobFacets.dropped,
      ]),
    ]
    if (dropped.length > 0) openlineage.droppedFacets = dropped
    const execution: ExecutionInput = {
      type: executionType,
      externalId: runKey(runId),
      // Names are unique within a type, and a job runs many times: the job and the run.
      name: uniqueNodeName(event.job.name, runKey(runId)),
      lastKnownState: state,
      customProperties: { openlineage },
    }
    if (event.eventType === 'START' && time !== undefined)
      execution.startTimeSinceEpoch = time
    if (
      terminal.has(state) &&
      time !== undefined &&
      (existing === undefined || !terminal.has(existing.lastKnownState))
    ) {
      execution.endTimeSinceEpoch = time
    }
    const errorFacet = record(event.run.facets?.errorMessage)
    if (event.eventType === 'FAIL' && typeof errorFacet.message === 'string') {
      execution.error = {
        name: `${typeof errorFacet.programmingLanguage === 'string' ? errorFacet.programmingLanguage : 'Unknown'} error`,
        message: errorFacet.message.slice(0, 65_536),
        ...(typeof errorFacet.stackTrace === 'string'
          ? { stack: errorFacet.stackTrace.slice(0, 65_536) }
          : {}),
      }
    }

    const runContext = (
      id: string,
      job: Record<string, unknown> | OpenLineageJob,
    ): ContextInput => ({
      type: openLineageRunContextType,
      externalId: runKey(id),
      name: fitKey(`${String(job.namespace)}/${String(job.name)}/${id}`, 1024),
      customProperties: {
        openlineage: {
          job: { namespace: String(job.namespace), name: String(job.name) },
          runId: id,
        },
      },
    })
    const contexts: ContextInput[] = [runContext(runId, event.job)]
    if (parentId !== undefined) contexts.push(runContext(parentId, parentJob))
    if (rootId !== undefined && rootId !== parentId && rootId !== runId)
      contexts.push(runContext(rootId, rootJob))

    const pairs: PutExecutionRequest['artifactEventPairs'] = []
    for (const [key, list, type] of [
      ['inputs', event.inputs, 'INPUT'],
      ['outputs', event.outputs, 'OUTPUT'],
    ] as const) {
      for (const dataset of list ?? []) {
        pairs.push({
          artifact: await this.#artifactOf(dataset),
          event: {
            type,
            path: [key, fitKey(dataset.name, 1024)],
            ...(time === undefined ? {} : { millisecondsSinceEpoch: time }),
          },
        })
      }
    }
    await this.#ensureArtifactTypes(pairs.map((pair) => pair.artifact))
    const result = await this.#store.putExecution({
      execution,
      artifactEventPairs: pairs,
      contexts,
      // A run's events (START, then COMPLETE…) name the same run, contexts and datasets.
      options: {
        reuseContextIfAlreadyExist: true,
        reuseArtifactIfAlreadyExistByExternalId: true,
        reuseExecutionIfAlreadyExistByExternalId: true,
      },
    })
    const [own, parentContext, rootContext] = result.contextIds
    const links = []
    if (own !== undefined && parentContext !== undefined)
      links.push({ childId: own, parentId: parentContext })
    if (parentContext !== undefined && rootContext !== undefined)
      links.push({ childId: parentContext, parentId: rootContext })
    for (const link of links) {
      try {
        await this.#store.putParentContexts([link])
      } catch (error) {
        // A later event of the same run finds the link its START made.
        if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
          throw error
      }
    }
    return result
  }

  async #ensureExecutionType(job: OpenLineageJob): Promise<string> {
    const name = jobTypeName(job)
    if (this.#types.has(`execution:${name}`)) return name
    try {
      await this.#store.getExecutionType(name)
    } catch (error) {
      if (!(LoreError.isInstance(error) && error.code === 'NOT_FOUND'))
        throw error
      await this.#ensureContextType()
      const jobType = record(job.facets?.jobType)
      await this.#store.putExecutionType({
        name,
        description: fitKey(
          `OpenLineage job '${job.name}' in namespace '${job.namespace}'`,
          4096,
        ),
        ...(jobType.jobType === 'MODEL' ? { baseType: 'Train' as const } : {}),
      })
    }
    this.#types.add(`execution:${name}`)
    return name
  }

  async #ensureContextType(): Promise<void> {
    if (this.#types.has('context')) return
    try {
      await this.#store.getContextType(openLineageRunContextType)
    } catch (error) {
      if (!(LoreError.isInstance(error) && error.code === 'NOT_FOUND'))
        throw error
      await this.#store.putContextType({
        name: openLineageRunContextType,
        description:
          'One run of an OpenLineage job: its execution, and the runs it started as child contexts',
      })
    }
    this.#types.add('context')
  }

  async #ensureArtifactTypes(artifacts: readonly object[]): Promise<void> {
    for (const artifact of artifacts) {
      const type = (artifact as ArtifactInput).type
      if (type === undefined || this.#types.has(`artifact:${type}`)) continue
      try {
        await this.#store.getArtifactType(type)
      } catch (error) {
        if (!(LoreError.isInstance(error) && error.code === 'NOT_FOUND'))
          throw error
        await this.#store.putArtifactType({
          name: type,
          baseType: type as 'Dataset' | 'Model',
        })
      }
      this.#types.add(`artifact:${type}`)
    }
  }

  /** The stored artifact a dataset joins (by id), or the record of a new one. */
  async #artifactOf(
    dataset: OpenLineageDataset,
  ): Promise<ArtifactInput | { id: number }> {
    const uri = uriOfDataset(dataset)
    const versionFacet = record(dataset.facets?.version)
    const version =
      typeof versionFacet.datasetVersion === 'string'
        ? versionFacet.datasetVersion
        : undefined
    const candidates = (
      await this.#store.getArtifacts({
        uri,
        orderBy: 'id',
        descending: true,
        limit: 100,
      })
    ).items
    // With a version: the artifact of that version, else one another tool named at this uri
    // without a version (Airflow reports files unversioned; the Lore run that reads the file
    // knows its hash), so that the writer and the reader still meet at one node.
    const joined =
      version === undefined
        ? candidates[0]
        : (candidates.find((artifact) => artifact.fingerprint === version) ??
          candidates.find((artifact) => artifact.fingerprint === undefined))
    if (joined !== undefined) return { id: joined.id }
    const typeFacet = record(dataset.facets?.datasetType)
    const facets = keptFacets(dataset.facets)
    const openlineage: Record<string, JsonValue> = {
      namespace: dataset.namespace,
      name: dataset.name,
      facets: facets.facets,
    }
    if (facets.dropped.length > 0) openlineage.droppedFacets = facets.dropped
    const externalId = fitKey(
      `openlineage:dataset:${uri}${version === undefined ? '' : `@${version}`}`,
    )
    // Names are unique within a type: the dataset's last path part and its own key.
    const artifact: ArtifactInput = {
      type: typeFacet.datasetType === 'MODEL' ? 'Model' : 'Dataset',
      uri,
      name: uniqueNodeName(
        dataset.name.slice(dataset.name.lastIndexOf('/') + 1) || dataset.name,
        externalId,
      ),
      externalId,
      state: 'LIVE',
      customProperties: { openlineage },
    }
    if (version !== undefined) artifact.fingerprint = version
    await this.#ensureArtifactTypes([artifact])
    return artifact
  }
}
