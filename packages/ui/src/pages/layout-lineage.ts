import ELK, { type ELK as Elk, type ElkNode } from 'elkjs/lib/elk-api.js'
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url'

/** Where elk put a node. */
export interface NodePosition {
  x: number
  y: number
}

/** Node size the layout reserves; the node components draw at this size. */
export const nodeWidth = 260
export const nodeHeight = 64

const layoutOptions = {
  'elk.algorithm': 'layered',
  // Top to bottom: a lineage is mostly a long chain, and a chain drawn across the (wide)
  // canvas is fitted so small that its names cannot be read; down it, they can.
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '24',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // React Flow draws the edges itself, so elk's orthogonal routing would be wasted work;
  // one crossing-minimisation sweep and no greedy switch lay 500 nodes out in a fraction
  // of the default's time (pnpm bench), with the same layers.
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
}

/*
 * elk is Java compiled to JavaScript by GWT: most of a first layout's time is the engine
 * compiling its own code (a 500-node graph takes several times longer cold than warm). So elk
 * runs in a Web Worker, started when the page loads (its 1.6 MB script is compiled there, off
 * the page's thread) and warmed by a small made-up layout; the page's thread stays free for
 * React Flow.
 */
let worker: Elk | undefined
/** Whether a real layout has been asked for (the warm-up then stops, so as not to hold it up). */
let asked = false

/*
 * Warm-up graphs, growing: a 6 × 6 graph alone left a 500-node layout at ~1 s after the runs
 * page (pnpm bench); elk's code paths for bigger graphs get compiled only by bigger graphs. Each
 * is started only when the one before has finished and no real layout is waiting, so a lineage
 * opened at once waits for at most the small one in progress.
 */
const warmUps: [layers: number, width: number][] = [
  [6, 6],
  [10, 12],
  [10, 25],
  [10, 25],
]

function warmUp(step: number): void {
  const size = warmUps[step]
  if (size === undefined || asked || worker === undefined) return
  const { nodes, edges } = warmUpGraph(...size)
  worker.layout(graphOf(nodes, edges)).then(
    () => warmUp(step + 1),
    () => {
      // A broken engine shows up again, with its message, in the first real layout.
    },
  )
}

function elk(): Elk {
  if (worker === undefined) {
    worker = new ELK({ workerUrl: elkWorkerUrl })
    warmUp(0)
  }
  return worker
}

/** A layered graph shaped like a lineage (each node reads two of the layer before). */
function warmUpGraph(
  layers: number,
  width: number,
): {
  nodes: string[]
  edges: { id: string; source: string; target: string }[]
} {
  const nodes: string[] = []
  const edges: { id: string; source: string; target: string }[] = []
  for (let layer = 0; layer < layers; layer++)
    for (let index = 0; index < width; index++) {
      nodes.push(`${layer}:${index}`)
      if (layer > 0)
        for (const from of new Set([index, (index * 7 + 3) % width]))
          edges.push({
            id: `${layer}:${index}<${from}`,
            source: `${layer - 1}:${from}`,
            target: `${layer}:${index}`,
          })
    }
  return { nodes, edges }
}

function graphOf(
  nodes: string[],
  edges: { id: string; source: string; target: string }[],
): ElkNode {
  return {
    id: 'lineage',
    layoutOptions,
    children: nodes.map((id) => ({ id, width: nodeWidth, height: nodeHeight })),
    edges: edges.map((edge) => ({
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
    })),
  }
}

/**
 * Start elk's worker and its warm-up, so the first lineage graph is laid out by a warm engine.
 * Called once the app has drawn its first page; calling it again does nothing.
 */
export function prepareLayout(): void {
  elk()
}

/**
 * Lay a lineage graph out top to bottom with elk's layered (Sugiyama) algorithm, data
 * flowing from sources to results, in elk's Web Worker.
 *
 * @example
 * const positions = await layoutLineage(['a:1', 'e:2'], [{ id: 'x', source: 'a:1', target: 'e:2' }])
 */
export async function layoutLineage(
  nodes: string[],
  edges: { id: string; source: string; target: string }[],
): Promise<Map<string, NodePosition>> {
  asked = true
  const laidOut = await elk().layout(graphOf(nodes, edges))
  return new Map(
    (laidOut.children ?? []).map((child) => [
      child.id,
      { x: child.x ?? 0, y: child.y ?? 0 },
    ]),
  )
}
