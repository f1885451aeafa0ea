import { readableNodeName, type MetadataStore } from '@lore/store'
import { uriOfArtifact } from '../../src/openlineage/dataset-of-artifact.js'

/**
 * A lineage graph as sorted edge lines: `job -> dataset`, `dataset -> job`, `job < parent`,
 * and `job ×n`, how many runs the job had (a step called twice is one job, run twice).
 */
export type EdgeList = string[]

const datasetKey = (artifact: Parameters<typeof uriOfArtifact>[0]): string =>
  `${uriOfArtifact(artifact)}@${artifact.fingerprint ?? ''}`

/** `dataset -> job` for what an execution read, `job -> dataset` for what it wrote. */
async function datasetEdges(
  store: MetadataStore,
  executionId: number,
  job: string,
): Promise<EdgeList> {
  const edges: EdgeList = []
  for (const event of await store.getEvents({ executionIds: [executionId] })) {
    const [artifact] = (await store.getArtifacts({ ids: [event.artifactId] }))
      .items
    if (artifact === undefined) continue
    edges.push(
      event.type.endsWith('INPUT')
        ? `${datasetKey(artifact)} -> ${job}`
        : `${job} -> ${datasetKey(artifact)}`,
    )
  }
  return edges
}

/** The graph of datasets and jobs of one Lore run, from the store that recorded it. */
export async function loreRunGraph(
  store: MetadataStore,
  runId: string,
): Promise<EdgeList> {
  const [context] = (await store.getContexts({ externalIds: [runId] })).items
  if (context === undefined) throw new Error(`no run ${runId}`)
  const pipeline = String(context.properties.pipeline)
  const executions = (await store.getExecutions({ contextId: context.id }))
    .items
  const byExternalId = new Map(
    executions.map((execution) => [execution.externalId, execution]),
  )
  const edges = [`job ${pipeline}`]
  const runs = new Map<string, number>([[pipeline, 1]])
  for (const execution of executions) {
    const job = `${pipeline}.${readableNodeName(execution.name ?? '')}`
    edges.push(`job ${job}`)
    runs.set(job, (runs.get(job) ?? 0) + 1)
    const parentId = (
      execution.customProperties.lore as Record<string, unknown> | undefined
    )?.parent
    const parent =
      typeof parentId === 'string' ? byExternalId.get(parentId) : undefined
    edges.push(
      `${job} < ${parent === undefined ? pipeline : `${pipeline}.${readableNodeName(parent.name ?? '')}`}`,
    )
    edges.push(...(await datasetEdges(store, execution.id, job)))
  }
  for (const [job, count] of runs) edges.push(`${job} ×${count}`)
  return [...new Set(edges)].sort()
}

/** The same graph as the OpenLineage import left it in another store: every imported run. */
export async function importedGraph(store: MetadataStore): Promise<EdgeList> {
  const executions = (await store.getExecutions({})).items
  const edges: string[] = []
  const runs = new Map<string, number>()
  for (const execution of executions) {
    const openlineage = execution.customProperties.openlineage as {
      job: { name: string }
      runId: string
    }
    const job = openlineage.job.name
    edges.push(`job ${job}`)
    runs.set(job, (runs.get(job) ?? 0) + 1)
    const [own] = (
      await store.getContexts({
        externalIds: [`openlineage:run:${openlineage.runId}`],
      })
    ).items
    if (own !== undefined)
      for (const parent of await store.getParentContexts(own.id))
        edges.push(
          `${job} < ${(parent.customProperties.openlineage as { job: { name: string } }).job.name}`,
        )
    edges.push(...(await datasetEdges(store, execution.id, job)))
  }
  for (const [job, count] of runs) edges.push(`${job} ×${count}`)
  return [...new Set(edges)].sort()
}
