import type { Artifact, Event, Execution, LineageSubgraph } from '@lore/store'

/** The part of the lineage graph the page has read so far, keyed `a:<id>` / `e:<id>`. */
export interface LineageGraph {
  artifacts: Map<number, Artifact>
  executions: Map<number, Execution>
  /** Events by `<artifactId>:<executionId>:<type>`. */
  events: Map<string, Event>
}

/** An empty graph. */
export const emptyGraph = (): LineageGraph => ({
  artifacts: new Map(),
  executions: new Map(),
  events: new Map(),
})

/** The graph with a newly read subgraph added (reading more never removes a node). */
export function mergeSubgraph(
  graph: LineageGraph,
  subgraph: LineageSubgraph,
): LineageGraph {
  const next: LineageGraph = {
    artifacts: new Map(graph.artifacts),
    executions: new Map(graph.executions),
    events: new Map(graph.events),
  }
  for (const artifact of subgraph.artifacts)
    next.artifacts.set(artifact.id, artifact)
  for (const execution of subgraph.executions)
    next.executions.set(execution.id, execution)
  for (const event of subgraph.events)
    next.events.set(
      `${event.artifactId}:${event.executionId}:${event.type}`,
      event,
    )
  return next
}

/** Whether an event is a read (the artifact flows into the execution). */
export const isInput = (event: Event): boolean => event.type.endsWith('INPUT')

/** The edges of the graph, each from the node the data came from to the node it went to. */
export function edgesOf(
  graph: LineageGraph,
): { id: string; source: string; target: string; event: Event }[] {
  const edges: { id: string; source: string; target: string; event: Event }[] =
    []
  for (const [key, event] of graph.events) {
    if (
      !graph.artifacts.has(event.artifactId) ||
      !graph.executions.has(event.executionId)
    )
      continue
    const artifact = `a:${event.artifactId}`
    const execution = `e:${event.executionId}`
    edges.push(
      isInput(event)
        ? { id: key, source: artifact, target: execution, event }
        : { id: key, source: execution, target: artifact, event },
    )
  }
  return edges
}

/**
 * The nodes and edges on a shortest path (ignoring direction) from any start node to
 * `target`, for highlighting; empty sets when there is none.
 */
export function pathTo(
  graph: LineageGraph,
  starts: string[],
  target: string | undefined,
): { nodes: Set<string>; edges: Set<string> } {
  const empty = { nodes: new Set<string>(), edges: new Set<string>() }
  if (target === undefined) return empty
  const neighbours = new Map<string, { node: string; edge: string }[]>()
  for (const edge of edgesOf(graph)) {
    neighbours.set(edge.source, [
      ...(neighbours.get(edge.source) ?? []),
      { node: edge.target, edge: edge.id },
    ])
    neighbours.set(edge.target, [
      ...(neighbours.get(edge.target) ?? []),
      { node: edge.source, edge: edge.id },
    ])
  }
  const previous = new Map<string, { node: string; edge: string } | null>()
  const queue = starts.filter(
    (start) => neighbours.has(start) || start === target,
  )
  for (const start of queue) previous.set(start, null)
  for (let index = 0; index < queue.length; index += 1) {
    const node = queue[index] as string
    if (node === target) break
    for (const next of neighbours.get(node) ?? []) {
      if (previous.has(next.node)) continue
      previous.set(next.node, { node, edge: next.edge })
      queue.push(next.node)
    }
  }
  if (!previous.has(target)) return empty
  const path = { nodes: new Set<string>([target]), edges: new Set<string>() }
  let step = previous.get(target)
  while (step !== undefined && step !== null) {
    path.nodes.add(step.node)
    path.edges.add(step.edge)
    step = previous.get(step.node)
  }
  return path
}
