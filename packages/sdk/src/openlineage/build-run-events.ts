import type { Artifact, Execution, MetricPoint, Value } from '@lore/store'
import { readableNodeName } from '@lore/store'
import type {
  OpenLineageDataset,
  OpenLineageEventType,
  OpenLineageFacets,
  OpenLineageRunEvent,
} from '@lore/store/openlineage'
import { runEventSchemaUrl } from '@lore/store/openlineage'
import { redactText } from '../capture/redact-text.js'
import { isSecretKey, redactedMarker } from '../capture/redact.js'
import { browseUrl } from './browse-url.js'
import { datasetOfArtifact, uriOfArtifact } from './dataset-of-artifact.js'
import { facet, loreProducer, loreVersion } from './openlineage-facets.js'
import { openLineageRunId } from './run-id.js'
import type { RunRecords } from './run-records.js'

/** Options of {@link buildRunEvents}. */
export interface BuildEventsOptions {
  /** The job namespace of Lore's pipelines and steps. @default 'lore' */
  namespace?: string
  /** Execution types whose base type is Train: their steps are `jobType` MODEL. */
  trainTypes?: ReadonlySet<string>
}

const record = (value: Value | undefined): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined
const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

const iso = (millis: number): string => new Date(millis).toISOString()

/** Parameters as OpenLineage's `executionParameters` (values as text), secrets redacted. */
function parameters(values: Record<string, unknown>): OpenLineageFacets {
  const list = Object.entries(values).map(([key, value]) => {
    const shown = isSecretKey(key)
      ? redactedMarker
      : redactText(typeof value === 'string' ? value : JSON.stringify(value))
    return { key, value: shown ?? 'null' }
  })
  return list.length === 0
    ? {}
    : {
        executionParameters: facet('executionParameters', { parameters: list }),
      }
}

function metricsFacet(points: readonly MetricPoint[]): OpenLineageFacets {
  if (points.length === 0) return {}
  const byKey = new Map<string, MetricPoint[]>()
  for (const point of points) {
    const list = byKey.get(point.key) ?? []
    list.push(point)
    byKey.set(point.key, list)
  }
  const metrics = [...byKey].map(([key, list]) => {
    const last = list.reduce((best, point) =>
      point.step > best.step ||
      (point.step === best.step && point.timestampMs >= best.timestampMs)
        ? point
        : best,
    )
    const values = list.map((point) => point.value)
    return {
      key,
      value: last.value,
      step: last.step,
      count: list.length,
      min: Math.min(...values),
      max: Math.max(...values),
    }
  })
  return { lore_metrics: facet('lore_metrics', { metrics }) }
}

function errorFacet(error: unknown): OpenLineageFacets {
  const described = record(error as Value)
  const message = text(described.message)
  if (message === undefined) return {}
  const name = text(described.name)
  const stack = text(described.stack)
  return {
    errorMessage: facet('errorMessage', {
      message: redactText(name === undefined ? message : `${name}: ${message}`),
      programmingLanguage: 'TypeScript',
      ...(stack === undefined ? {} : { stackTrace: redactText(stack) }),
    }),
  }
}

function endType(state: string): OpenLineageEventType | undefined {
  switch (state) {
    case 'COMPLETE':
    case 'CACHED':
      return 'COMPLETE'
    case 'FAILED':
      return 'FAIL'
    case 'CANCELED':
    case 'ABANDONED':
      return 'ABORT'
    default:
      return undefined
  }
}

function uniqueDatasets(artifacts: Artifact[]): OpenLineageDataset[] {
  const seen = new Set<string>()
  const datasets: OpenLineageDataset[] = []
  for (const artifact of artifacts) {
    const key = `${uriOfArtifact(artifact)}@${artifact.fingerprint ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    datasets.push(datasetOfArtifact(artifact))
  }
  // By name, not by the order the store lists events: the live START lists them the same way.
  return datasets.sort((a, b) =>
    `${a.namespace}\n${a.name}`.localeCompare(`${b.namespace}\n${b.name}`),
  )
}

/**
 * The OpenLineage 2-0-2 RunEvents of one recorded pipeline run, in the order they happened:
 * the pipeline run's START, each step call's START (with the inputs known when it started)
 * and its COMPLETE / FAIL / ABORT, and the run's end (ABORT for a CANCELED or ABANDONED run; nothing yet for a RUNNING one).
 *
 * Jobs: the pipeline is the job `<pipeline>` (jobType DAG), a step `<pipeline>.<step>` (TASK,
 * or MODEL for a training step), both in `namespace`. A step's `parent` facet names the call
 * that made it (or the pipeline run), and `root` the pipeline run. Datasets come from the
 * step's artifacts (see datasetOfArtifact). Parameters, errors and stacks are redacted again
 * here, whatever the store holds.
 *
 * @example
 * const events = buildRunEvents(await readRunRecords(store, context), { namespace: 'ml' })
 */
export function buildRunEvents(
  records: RunRecords,
  options: BuildEventsOptions = {},
): OpenLineageRunEvent[] {
  const namespace = options.namespace ?? 'lore'
  const trainTypes = options.trainTypes ?? new Set(['Train'])
  const { context } = records
  const properties = context.properties
  const status = record(context.customProperties)
  const pipeline =
    text(properties.pipeline) ?? context.name.split('/')[0] ?? context.name
  const runId = openLineageRunId(context.externalId ?? context.name)
  const runJob = { namespace, name: pipeline }
  const engine = {
    processing_engine: facet('processing_engine', {
      version: loreVersion,
      name: 'Lore',
      openlineageAdapterVersion: loreVersion,
    }),
  }
  const code = record(properties.code)
  const entry = record(properties.entry)
  const jobFacets = (jobType: string): OpenLineageFacets => {
    const facets: OpenLineageFacets = {
      jobType: facet('jobType', {
        processingType: 'BATCH',
        integration: 'LORE',
        jobType,
      }),
    }
    const commit = text(code.gitCommit)
    if (commit !== undefined) {
      const branch = text(code.gitBranch)
      const path = text(entry.module)
      const remote = text(code.gitRemote)
      facets.sourceCodeLocation = facet('sourceCodeLocation', {
        type: 'git',
        // Without a remote the run knows its commit and paths, not where to browse them.
        url:
          (remote === undefined
            ? undefined
            : browseUrl(remote, commit, path)) ?? `urn:lore:git:${commit}`,
        ...(remote === undefined ? {} : { repoUrl: remote }),
        version: commit,
        ...(branch === undefined ? {} : { branch }),
        ...(path === undefined ? {} : { path }),
      })
    }
    return facets
  }
  const base = (
    eventType: OpenLineageEventType,
    time: number,
  ): Pick<
    OpenLineageRunEvent,
    'eventType' | 'eventTime' | 'producer' | 'schemaURL'
  > => ({
    eventType,
    eventTime: iso(time),
    producer: loreProducer,
    schemaURL: runEventSchemaUrl,
  })

  const startedAt = number(status.startedAt) ?? context.createTimeSinceEpoch
  const first: OpenLineageRunEvent = {
    ...base('START', startedAt),
    run: {
      runId,
      facets: {
        ...engine,
        ...parameters(record(properties.config as Value)),
      },
    },
    job: { ...runJob, facets: jobFacets('DAG') },
    inputs: [],
    outputs: [],
  }

  const byExternalId = new Map<string, Execution>()
  for (const execution of records.executions)
    if (execution.externalId !== undefined)
      byExternalId.set(execution.externalId, execution)
  // Artifacts a step of the run made: a `Value` that none made is one a call made of a large
  // argument when it ended, unknown at its start (see live-start-events).
  const produced = new Set(
    records.events
      .filter((event) => !event.type.endsWith('INPUT'))
      .map((event) => event.artifactId),
  )
  const knownAtStart = (artifact: Artifact): boolean =>
    artifact.type !== 'Value' || produced.has(artifact.id)
  const inputsOf = new Map<number, Artifact[]>()
  const outputsOf = new Map<number, Artifact[]>()
  for (const event of records.events) {
    const artifact = records.artifacts.get(event.artifactId)
    if (artifact === undefined) continue
    const target = event.type.endsWith('INPUT') ? inputsOf : outputsOf
    const list = target.get(event.executionId) ?? []
    list.push(artifact)
    target.set(event.executionId, list)
  }

  const timed: { time: number; event: OpenLineageRunEvent }[] = []
  for (const execution of records.executions) {
    const stepRunId = openLineageRunId(
      execution.externalId ?? `${context.name}/execution/${execution.id}`,
    )
    const job = {
      namespace,
      name: `${pipeline}.${stepName(execution)}`,
    }
    const facts = record(execution.customProperties.lore)
    const parentExecution =
      text(facts.parent) === undefined
        ? undefined
        : byExternalId.get(text(facts.parent)!)
    const parent = facet('parent', {
      run: {
        runId:
          parentExecution === undefined
            ? runId
            : openLineageRunId(parentExecution.externalId!),
      },
      job:
        parentExecution === undefined
          ? runJob
          : {
              namespace,
              name: `${pipeline}.${stepName(parentExecution)}`,
            },
      root: { run: { runId }, job: runJob },
    })
    const runFacets: OpenLineageFacets = {
      parent,
      ...engine,
      ...parameters(record(execution.customProperties.params)),
    }
    const jobType = trainTypes.has(execution.type) ? 'MODEL' : 'TASK'
    const read = inputsOf.get(execution.id) ?? []
    const inputs = uniqueDatasets(read)
    const start =
      execution.startTimeSinceEpoch ?? execution.createTimeSinceEpoch
    timed.push({
      time: start,
      event: {
        ...base('START', start),
        run: { runId: stepRunId, facets: runFacets },
        job: { ...job, facets: jobFacets(jobType) },
        inputs: uniqueDatasets(read.filter(knownAtStart)),
        outputs: [],
      },
    })
    const ended = endType(execution.lastKnownState)
    if (ended === undefined) continue
    const end =
      execution.endTimeSinceEpoch ?? execution.lastUpdateTimeSinceEpoch
    timed.push({
      time: end,
      event: {
        ...base(ended, end),
        run: {
          runId: stepRunId,
          facets: {
            ...runFacets,
            ...(ended === 'FAIL' ? errorFacet(execution.error) : {}),
            ...metricsFacet(records.executionMetrics.get(execution.id) ?? []),
          },
        },
        job: { ...job, facets: jobFacets(jobType) },
        inputs,
        outputs: uniqueDatasets(outputsOf.get(execution.id) ?? []),
      },
    })
  }
  // Stable: a step's START (pushed first) stays before its end at the same millisecond.
  timed.sort((a, b) => a.time - b.time)
  const events = [first, ...timed.map((entry) => entry.event)]

  const runStatus = text(status.status) ?? 'RUNNING'
  const runEnd = endType(runStatus === 'ABANDONED' ? 'ABANDONED' : runStatus)
  if (runEnd !== undefined) {
    const endedAt = Math.max(
      number(status.endedAt) ??
        number(status.abandonedAt) ??
        context.lastUpdateTimeSinceEpoch,
      events.at(-1) === undefined ? 0 : Date.parse(events.at(-1)!.eventTime),
    )
    events.push({
      ...base(runEnd, endedAt),
      run: {
        runId,
        facets: {
          ...engine,
          ...parameters(record(properties.config as Value)),
          ...(runEnd === 'FAIL' ? errorFacet(status.error) : {}),
          ...metricsFacet(records.runMetrics),
        },
      },
      job: { ...runJob, facets: jobFacets('DAG') },
      inputs: [],
      outputs: [],
    })
  }
  return events
}

/** A step's job name: its execution's name without the suffix that keeps it unique. */
const stepName = (execution: Execution): string =>
  execution.name === undefined
    ? execution.type
    : readableNodeName(execution.name)
