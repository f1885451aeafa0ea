import type {
  Artifact,
  Context,
  Event,
  Execution,
  MetadataStore,
} from '@lore/store'
import { executionMetrics } from './execution-metrics.js'
import { markAbandoned } from './mark-abandoned-runs.js'
import { summarizeMetrics, type MetricSummary } from './metric-summary.js'
import { artifactsById, executionsOf } from './read-all.js'
import { stepFacts } from './step-facts.js'
import type { RunSummary } from './run-summary.js'

/** An artifact as one execution saw it: through which argument or output field. */
export interface ArtifactUse {
  path: (string | number)[]
  artifact: Artifact
}

/** One step call in a run, with what it read and wrote and the calls it made. */
export interface StepNode {
  execution: Execution
  inputs: ArtifactUse[]
  outputs: ArtifactUse[]
  /** The metrics logged on this call (or returned under `metrics`), by key. */
  metrics: MetricSummary[]
  children: StepNode[]
}

/** What a replay recorded about the run it replays (`lore replay`). */
export interface ReplayOf {
  /** The id of the run replayed. */
  replayOf: string
  /** False when config values were overridden. */
  faithful: boolean
  overrides: Record<string, unknown>
  /** `--from`: the step from which steps ran again. */
  from?: string
}

/** Everything `lore show` prints about a run. */
export interface RunDetails {
  summary: RunSummary
  context: Context
  /** The top-level step calls, in start order; nested calls under `children`. */
  steps: StepNode[]
  /** Step calls recorded in the store: the nodes of {@link steps}, nested ones included. */
  executionCount: number
  /** The metrics logged on the run itself (outside any step), by key. */
  metrics: MetricSummary[]
  /** Set when the run is a replay of another. */
  replay?: ReplayOf
}

function replayOf(context: Context): ReplayOf | undefined {
  const value = context.properties.replay
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return undefined
  if (typeof value.replayOf !== 'string') return undefined
  const overrides = value.overrides
  const link: ReplayOf = {
    replayOf: value.replayOf,
    faithful: value.faithful !== false,
    overrides:
      typeof overrides === 'object' &&
      overrides !== null &&
      !Array.isArray(overrides)
        ? overrides
        : {},
  }
  if (typeof value.from === 'string') link.from = value.from
  return link
}

const byStart = (a: StepNode, b: StepNode): number =>
  (a.execution.startTimeSinceEpoch ?? 0) -
    (b.execution.startTimeSinceEpoch ?? 0) || a.execution.id - b.execution.id

/**
 * Read a run's step calls as a tree (by their `parent`), with the artifacts each read and
 * wrote and the metrics each logged, the run's own metrics and, for a replay, what it
 * replays. Marks the run ABANDONED first if it is dead.
 *
 * @example
 * const details = await getRunDetails(store, await findRun(store, id, location))
 */
export async function getRunDetails(
  store: MetadataStore,
  context: Context,
  onProgress?: (read: number) => void,
): Promise<RunDetails> {
  const summary = await markAbandoned(store, context)
  const executions = await executionsOf(store, context.id, onProgress)
  const events: Event[] = []
  for (let start = 0; start < executions.length; start += 5000) {
    events.push(
      ...(await store.getEvents({
        executionIds: executions
          .slice(start, start + 5000)
          .map((execution) => execution.id),
      })),
    )
  }
  const artifacts = await artifactsById(
    store,
    events.map((event) => event.artifactId),
  )
  const metrics = await executionMetrics(
    store,
    executions.map((execution) => execution.id),
  )
  const nodes = new Map<number, StepNode>()
  const byExternalId = new Map<string, StepNode>()
  for (const execution of executions) {
    const node: StepNode = {
      execution,
      inputs: [],
      outputs: [],
      metrics: metrics.get(execution.id) ?? [],
      children: [],
    }
    nodes.set(execution.id, node)
    if (execution.externalId !== undefined)
      byExternalId.set(execution.externalId, node)
  }
  for (const event of events) {
    const node = nodes.get(event.executionId)
    const artifact = artifacts.get(event.artifactId)
    if (node === undefined || artifact === undefined) continue
    const use = { path: event.path, artifact }
    if (event.type.endsWith('INPUT')) node.inputs.push(use)
    else node.outputs.push(use)
  }
  const roots: StepNode[] = []
  for (const node of nodes.values()) {
    const parentId = stepFacts(node.execution).parent
    const parent =
      typeof parentId === 'string' ? byExternalId.get(parentId) : undefined
    if (parent !== undefined && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (list: StepNode[]): void => {
    list.sort(byStart)
    for (const node of list) sort(node.children)
  }
  sort(roots)
  const details: RunDetails = {
    summary,
    context,
    steps: roots,
    executionCount: executions.length,
    metrics: summarizeMetrics(
      await store.getMetrics({ contextId: context.id }),
    ),
  }
  const link = replayOf(context)
  if (link !== undefined) details.replay = link
  return details
}
