import {
  readableNodeName,
  type Artifact,
  type Context,
  type Event,
  type Execution,
  type MetadataStore,
} from '@lore/store'

/** Everything recorded for one run, for assertions. */
export interface RecordedRun {
  run: Context
  executions: Execution[]
  events: Event[]
  artifacts: Map<number, Artifact>
  /** The execution of the step named `name` (the first, if several). */
  execution(name: string): Execution
  /** Artifacts an execution read or wrote, by the event path after 'inputs' / 'outputs'. */
  inputs(execution: Execution): Record<string, Artifact>
  outputs(execution: Execution): Record<string, Artifact>
}

/** Read a run (by run id) with its executions, events and artifacts. */
export async function readRun(
  store: MetadataStore,
  runId: string,
): Promise<RecordedRun> {
  const [run] = (await store.getContexts({ externalIds: [runId] })).items
  if (run === undefined) throw new Error(`run ${runId} was not recorded`)
  const executions = (
    await store.getExecutions({ contextId: run.id, limit: 10_000 })
  ).items
  const events =
    executions.length === 0
      ? []
      : await store.getEvents({
          executionIds: executions.map((execution) => execution.id),
        })
  const ids = [...new Set(events.map((event) => event.artifactId))]
  const artifacts = new Map(
    ids.length === 0
      ? []
      : (await store.getArtifacts({ ids, limit: 10_000 })).items.map(
          (artifact) => [artifact.id, artifact],
        ),
  )
  const uses = (execution: Execution, kind: 'INPUT' | 'OUTPUT') => {
    const found: Record<string, Artifact> = {}
    for (const event of events) {
      if (event.executionId !== execution.id || event.type !== kind) continue
      const artifact = artifacts.get(event.artifactId)
      if (artifact !== undefined)
        found[event.path.slice(1).join('.')] = artifact
    }
    return found
  }
  return {
    run,
    executions,
    events,
    artifacts,
    execution(name) {
      const found = executions.find(
        (execution) => readableNodeName(execution.name) === name,
      )
      if (found === undefined)
        throw new Error(`no execution named ${name} in run ${runId}`)
      return found
    },
    inputs: (execution) => uses(execution, 'INPUT'),
    outputs: (execution) => uses(execution, 'OUTPUT'),
  }
}
