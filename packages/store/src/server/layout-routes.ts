import { z } from 'zod'
import { maxLayoutEdges, maxLayoutNodes } from './layout-limits.js'
import { defineRoute, type RouteDefinition } from './route-definition.js'

/** A graph to lay out: node ids, every node of one size, and edges between those ids. */
export interface GraphLayoutRequest {
  nodes: string[]
  edges: { source: string; target: string }[]
  nodeWidth: number
  nodeHeight: number
}

/** Where each node goes: `positions[i]` is the top-left corner of `nodes[i]`. */
export interface GraphLayoutAnswer {
  positions: [x: number, y: number][]
}

/**
 * Lays graphs out for the web UI (the server's `layoutGraph` operation). The store server owns
 * no layout engine: `@lore/ui`'s `createGraphLayout()` is one, with elkjs kept warm in a worker
 * thread.
 */
export interface GraphLayout {
  /**
   * Lay `graph` out; a graph with no nodes answers at once and gets the engine ready, so the
   * page can ask for that when it opens.
   */
  layout(graph: GraphLayoutRequest): Promise<GraphLayoutAnswer>
}

const body = z
  .strictObject({
    nodes: z.array(z.string().min(1).max(512)).max(maxLayoutNodes),
    edges: z
      .array(
        z.strictObject({
          source: z.string().max(512),
          target: z.string().max(512),
        }),
      )
      .max(maxLayoutEdges),
    nodeWidth: z.number().positive().max(10_000),
    nodeHeight: z.number().positive().max(10_000),
  })
  .superRefine((graph, context) => {
    const nodes = new Set<string>()
    graph.nodes.forEach((node, index) => {
      if (nodes.has(node))
        context.addIssue({
          code: 'custom',
          path: ['nodes', index],
          input: node,
          message: 'this node is listed before; list each node once',
        })
      nodes.add(node)
    })
    graph.edges.forEach((edge, index) => {
      for (const end of ['source', 'target'] as const)
        if (!nodes.has(edge[end]))
          context.addIssue({
            code: 'custom',
            path: ['edges', index, end],
            input: edge[end],
            message:
              "not one of the graph's nodes; an edge must join two listed nodes",
          })
    })
  })

/** `POST /v1/layoutGraph`: present when the server is given a {@link GraphLayout}. */
export const layoutRoutes: readonly RouteDefinition<GraphLayout>[] = [
  defineRoute<GraphLayout, typeof body>({
    operation: 'layoutGraph',
    scope: 'read',
    summary:
      "Lay a graph out top to bottom (the web UI's lineage page): the top-left corner of each node, in the order of `nodes`.",
    body,
    call: (layout, graph) => layout.layout(graph),
  }),
]
