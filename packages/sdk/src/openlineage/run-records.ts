import type {
  Artifact,
  Context,
  Event,
  Execution,
  MetadataStore,
  MetricPoint,
} from '@lore/store'

/** What the store holds about one pipeline run: what its OpenLineage events are built from. */
export interface RunRecords {
  /** The run's `PipelineRun` context. */
  context: Context
  /** Its step executions, in start order. */
  executions: Execution[]
  /** The events (artifact ↔ execution) of those executions. */
  events: Event[]
  /** The artifacts those events name, by id. */
  artifacts: Map<number, Artifact>
  /** The metric points of each execution that logged any, by execution id. */
  executionMetrics: Map<number, MetricPoint[]>
  /** The metric points logged on the run itself. */
  runMetrics: MetricPoint[]
}

const pageSize = 1000

async function executionsOf(
  store: MetadataStore,
  contextId: number,
): Promise<Execution[]> {
  const executions: Execution[] = []
  let pageToken: string | undefined
  do {
    const page = await store.getExecutions({
      contextId,
      limit: pageSize,
      orderBy: 'id',
      ...(pageToken === undefined ? {} : { pageToken }),
    })
    executions.push(...page.items)
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  return executions.sort(
    (a, b) =>
      (a.startTimeSinceEpoch ?? 0) - (b.startTimeSinceEpoch ?? 0) ||
      a.id - b.id,
  )
}

/**
 * Read a run's records: its executions, their events and artifacts, and the metrics logged
 * on each and on the run — the details only of the executions `options.detailsOf` picks
 * (the live sink skips those it has sent every event of). Reads page by page and in chunks
 * the store accepts.
 *
 * @example
 * const records = await readRunRecords(store, context)
 */
export async function readRunRecords(
  store: MetadataStore,
  context: Context,
  options: { detailsOf?: (execution: Execution) => boolean } = {},
): Promise<RunRecords> {
  const executions = await executionsOf(store, context.id)
  // The executions whose events, artifacts and metrics are wanted (all, unless told).
  const detailed = executions.filter(options.detailsOf ?? (() => true))
  const events: Event[] = []
  for (let start = 0; start < detailed.length; start += pageSize)
    events.push(
      ...(await store.getEvents({
        executionIds: detailed
          .slice(start, start + pageSize)
          .map((execution) => execution.id),
      })),
    )
  const ids = [...new Set(events.map((event) => event.artifactId))]
  const artifacts = new Map<number, Artifact>()
  for (let start = 0; start < ids.length; start += pageSize) {
    const page = await store.getArtifacts({
      ids: ids.slice(start, start + pageSize),
      limit: pageSize,
    })
    for (const artifact of page.items) artifacts.set(artifact.id, artifact)
  }
  const executionMetrics = new Map<number, MetricPoint[]>()
  for (const execution of detailed) {
    const points = await store.getMetrics({ executionId: execution.id })
    if (points.length > 0) executionMetrics.set(execution.id, points)
  }
  const runMetrics = await store.getMetrics({ contextId: context.id })
  return {
    context,
    executions,
    events,
    artifacts,
    executionMetrics,
    runMetrics,
  }
}
