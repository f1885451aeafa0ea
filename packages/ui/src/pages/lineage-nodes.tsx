import { Handle, Position, type NodeProps, type Node } from '@xyflow/react'
import { memo } from 'react'

/** What a lineage node shows. */
export interface LineageNodeData extends Record<string, unknown> {
  kind: 'artifact' | 'execution'
  title: string
  subtitle: string
  state: string
  start: boolean
  onPath: boolean
}

export type LineageNode = Node<LineageNodeData, 'lineage'>

/** One artifact (a box) or execution (a rounded pill) of the lineage graph. */
export function LineageNodeView({ data }: NodeProps<LineageNode>) {
  return (
    <div
      className={`node-${data.kind} ${data.state}${data.start ? ' node-start' : ''}${data.onPath ? ' node-path' : ''}`}
      data-testid="lineage-node"
      title={`${data.title} — ${data.subtitle}`}
    >
      <Handle type="target" position={Position.Top} />
      <div className="node-title">{data.title}</div>
      <div className="node-sub">{data.subtitle}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  )
}

// memo: React Flow re-renders its nodes on every viewport change; a node redraws only when its data does.
export const nodeTypes = { lineage: memo(LineageNodeView) }
