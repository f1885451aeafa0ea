import { ViewportPortal } from '@xyflow/react'
import type { NodePosition } from './layout-lineage.js'

/**
 * A big graph's edges as two SVG paths, plain and on the highlighted path, each a straight line
 * from the bottom middle of its source to the top middle of its target, under the nodes. React
 * Flow draws each edge as a component of its own: for 716 edges that was about half of a
 * 500-node graph's drawing time (pnpm bench).
 */
export function BulkEdges({
  edges,
  positions,
  highlighted,
  nodeWidth,
  nodeHeight,
}: {
  edges: readonly { id: string; source: string; target: string }[]
  positions: ReadonlyMap<string, NodePosition>
  highlighted: ReadonlySet<string>
  nodeWidth: number
  nodeHeight: number
}) {
  let plain = ''
  let onPath = ''
  let drawn = 0
  for (const edge of edges) {
    const from = positions.get(edge.source)
    const to = positions.get(edge.target)
    if (from === undefined || to === undefined) continue
    const line = `M${from.x + nodeWidth / 2} ${from.y + nodeHeight}L${to.x + nodeWidth / 2} ${to.y}`
    if (highlighted.has(edge.id)) onPath += line
    else plain += line
    drawn++
  }
  return (
    <ViewportPortal>
      <svg
        className="lineage-bulk-edges"
        data-testid="lineage-bulk-edges"
        data-edges={drawn}
      >
        {/* Lines keep their width on screen at any zoom: a big graph is fitted small. */}
        <path
          d={plain}
          stroke="#90a4ae"
          fill="none"
          vectorEffect="non-scaling-stroke"
        />
        <path
          data-testid="lineage-bulk-path"
          d={onPath}
          stroke="#ef8f00"
          strokeWidth={3}
          fill="none"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
    </ViewportPortal>
  )
}
