import ELK, { type ELK as Elk } from 'elkjs/lib/elk-api.js'
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url'
import {
  maxLayoutEdges,
  maxLayoutNodes,
} from '../../../store/src/server/layout-limits.js'
import { callApi } from '../api/lore-api.js'
import { lineageLayoutOptions } from './lineage-layout-options.js'

/** Where elk put a node. */
export interface NodePosition {
  x: number
  y: number
}

/** Node size the layout reserves; the node components draw at this size. */
export const nodeWidth = 260
export const nodeHeight = 64

/*
 * elk is Java compiled to JavaScript by GWT: a first layout in a fresh engine spends most of
 * its time compiling elk's own code (a 500-node graph about 0.9 s cold against 0.2 s warm). A
 * page's engine is always cold, so the store server lays graphs out in an engine it keeps warm
 * (`layoutGraph`). A server without one (404) leaves it to elk in this page's Web Worker.
 */
let serverLays: boolean | undefined
let preparing = false
let worker: Elk | undefined

function inPage(
  nodes: string[],
  edges: { source: string; target: string }[],
): Promise<[number, number][]> {
  worker ??= new ELK({ workerUrl: elkWorkerUrl })
  return worker
    .layout({
      id: 'lineage',
      layoutOptions: lineageLayoutOptions,
      children: nodes.map((id) => ({
        id,
        width: nodeWidth,
        height: nodeHeight,
      })),
      edges: edges.map((edge, index) => ({
        id: `e${index}`,
        sources: [edge.source],
        targets: [edge.target],
      })),
    })
    .then((laidOut) => {
      const at = new Map(
        (laidOut.children ?? []).map((child) => [child.id, child]),
      )
      return nodes.map((id) => [at.get(id)?.x ?? 0, at.get(id)?.y ?? 0])
    })
}

/** The server's layout, or `undefined` when it has none (this page then lays graphs out). */
async function onServer(
  nodes: string[],
  edges: { source: string; target: string }[],
): Promise<[number, number][] | undefined> {
  if (serverLays === false) return undefined
  try {
    const answer = await callApi<{ positions: [number, number][] }>(
      'layoutGraph',
      { nodes, edges, nodeWidth, nodeHeight },
    )
    serverLays = true
    return answer.positions
  } catch (error) {
    if ((error as { details?: { status?: number } }).details?.status === 404)
      serverLays = false
    // Any other failure (a stopped engine, a server gone) is the page's own to lay out.
    return undefined
  }
}

/**
 * Ask the server to get its layout engine ready (an empty graph), so the first lineage is laid
 * out warm. Called once the app has drawn its first page; errors do not matter here.
 */
export function prepareLayout(): void {
  if (preparing || serverLays !== undefined) return
  preparing = true
  void onServer([], []).then(() => {
    // Refused (no token yet): ask again when the next page opens.
    preparing = false
  })
}

/**
 * Lay a lineage graph out top to bottom with elk's layered (Sugiyama) algorithm, data
 * flowing from sources to results: on the store server when it can, else in this page.
 *
 * @example
 * const positions = await layoutLineage(['a:1', 'e:2'], [{ id: 'x', source: 'a:1', target: 'e:2' }])
 */
export async function layoutLineage(
  nodes: string[],
  edges: { source: string; target: string }[],
): Promise<Map<string, NodePosition>> {
  const plain = edges.map(({ source, target }) => ({ source, target }))
  const positions =
    (nodes.length <= maxLayoutNodes && edges.length <= maxLayoutEdges
      ? await onServer(nodes, plain)
      : undefined) ?? (await inPage(nodes, plain))
  return new Map(
    nodes.map((id, index) => {
      const [x, y] = positions[index] ?? [0, 0]
      return [id, { x, y }]
    }),
  )
}
