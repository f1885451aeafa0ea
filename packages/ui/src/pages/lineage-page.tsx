import { readableNodeName } from '@lore/store'
import { Background, Controls, ReactFlow, type Edge } from '@xyflow/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { browserStore, storeLocation } from '../api/browser-store.js'
import { resolveLineageStart, type LineageStart } from '../api/sdk-rules.js'
import { useLoad } from '../api/use-load.js'
import { ErrorBox, Loaded } from '../components/loaded.js'
import { navigate, routeHref } from '../router/hash-route.js'
import {
  edgesOf,
  emptyGraph,
  mergeSubgraph,
  pathTo,
  type LineageGraph,
} from './lineage-graph-data.js'
import {
  layoutLineage,
  nodeHeight,
  nodeWidth,
  prepareLayout,
  type NodePosition,
} from './layout-lineage.js'
import { nodeTypes, type LineageNode } from './lineage-nodes.js'
import { BulkEdges } from './lineage-bulk-edges.js'
import { LineageSidePanel } from './lineage-side-panel.js'

type Direction = 'upstream' | 'downstream' | 'both'

/**
 * Above this many edges the graph's edges carry no labels (the side panel still names them)
 * and are drawn as one SVG path ({@link BulkEdges}), not as React Flow edges.
 */
const maxLabelledEdges = 150

interface Loaded {
  start: LineageStart
  graph: LineageGraph
  /** How long reading the start graph took. */
  readMs: number
}

declare global {
  interface Window {
    /**
     * How long the last lineage graph took to read, lay out and draw (read by the benchmark):
     * `layoutMs` from the graph's arrival to elk's positions, `drawMs` from its arrival until
     * React Flow shows every node and edge on screen, fitted.
     */
    loreLineageTiming?: {
      nodes: number
      edges: number
      readMs: number
      layoutMs: number
      drawMs: number
    }
  }
}

/**
 * Calls `done` on the frame after every node and edge of the canvas is shown (React Flow hides
 * a node until it knows its size, and draws an edge only once it knows both ends' handles).
 */
function whenDrawn(
  canvas: HTMLElement,
  count: { nodes: number; edges: number },
  done: () => void,
) {
  const check = (): void => {
    const nodes = canvas.querySelectorAll(
      '.react-flow__node:not([style*="visibility: hidden"])',
    ).length
    const edges =
      canvas.querySelectorAll('.react-flow__edge').length +
      Number(
        canvas
          .querySelector('[data-testid="lineage-bulk-edges"]')
          ?.getAttribute('data-edges') ?? 0,
      )
    if (nodes >= count.nodes && edges >= count.edges)
      requestAnimationFrame(done)
    else requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
}

async function readStart(
  reference: string,
  direction: Direction,
  depth: number,
): Promise<Loaded> {
  prepareLayout()
  const began = performance.now()
  const start = await resolveLineageStart(
    browserStore,
    reference,
    storeLocation,
  )
  const subgraph = await browserStore.getLineageSubgraph({
    artifactIds: start.artifactIds,
    executionIds: start.executionIds,
    direction,
    maxHops: depth,
  })
  return {
    start,
    graph: mergeSubgraph(emptyGraph(), subgraph),
    readMs: performance.now() - began,
  }
}

function LineageCanvas({
  loaded,
  direction,
}: {
  loaded: Loaded
  direction: Direction
}) {
  const [graph, setGraph] = useState(loaded.graph)
  const [selected, setSelected] = useState<string | undefined>()
  const [positions, setPositions] = useState<
    { map: Map<string, NodePosition>; began: number } | undefined
  >()
  const [error, setError] = useState<Error | undefined>()
  useEffect(() => setGraph(loaded.graph), [loaded])
  const starts = useMemo(
    () => [
      ...loaded.start.artifactIds.map((id) => `a:${id}`),
      ...loaded.start.executionIds.map((id) => `e:${id}`),
    ],
    [loaded],
  )
  const ids = useMemo(
    () => [
      ...[...graph.artifacts.keys()].map((id) => `a:${id}`),
      ...[...graph.executions.keys()].map((id) => `e:${id}`),
    ],
    [graph],
  )
  const edges = useMemo(() => edgesOf(graph), [graph])
  useEffect(() => {
    let cancelled = false
    const began = performance.now()
    layoutLineage(ids, edges).then(
      (map) => {
        if (!cancelled) setPositions({ map, began })
        window.loreLineageTiming = {
          nodes: ids.length,
          edges: edges.length,
          readMs: loaded.readMs,
          layoutMs: performance.now() - began,
          drawMs: Number.NaN,
        }
      },
      (layoutError: unknown) => setError(layoutError as Error),
    )
    return () => {
      cancelled = true
    }
  }, [ids, edges, loaded])
  const path = useMemo(
    () => pathTo(graph, starts, selected),
    [graph, starts, selected],
  )
  const nodes: LineageNode[] = useMemo(
    () =>
      ids.map((id) => {
        const [kind, number] = id.split(':')
        const artifact =
          kind === 'a' ? graph.artifacts.get(Number(number)) : undefined
        const execution =
          kind === 'e' ? graph.executions.get(Number(number)) : undefined
        return {
          id,
          type: 'lineage',
          position: positions?.map.get(id) ?? { x: 0, y: 0 },
          // A node with its size known is drawn at once, without a hidden measuring pass.
          width: nodeWidth,
          height: nodeHeight,
          selected: id === selected,
          data: {
            kind: artifact !== undefined ? 'artifact' : 'execution',
            title:
              readableNodeName(artifact?.name) ??
              artifact?.uri ??
              readableNodeName(execution?.name) ??
              id,
            subtitle:
              artifact !== undefined
                ? `${artifact.type} · ${artifact.fingerprint === undefined ? 'no fingerprint' : `sha256 ${artifact.fingerprint.slice(0, 12)}`}`
                : `${execution?.type ?? ''} · ${execution?.lastKnownState ?? ''}`,
            state: execution?.lastKnownState ?? artifact?.state ?? '',
            start: starts.includes(id),
            onPath: path.nodes.has(id),
          },
        }
      }),
    [ids, graph, positions, selected, starts, path],
  )
  const bulk = edges.length > maxLabelledEdges
  const flowEdges: Edge[] = useMemo(
    () =>
      bulk
        ? []
        : edges.map((edge) => ({
            id: edge.id,
            source: edge.source,
            target: edge.target,
            // Argument names on the edges help a small graph.
            label:
              edge.event.path.length > 0
                ? edge.event.path.join('.')
                : undefined,
            labelStyle: { fontSize: 13 },
            // Edges are not clicked, so no invisible wide path for the pointer: half the SVG.
            interactionWidth: 0,
            animated: path.edges.has(edge.id),
            style: path.edges.has(edge.id)
              ? { stroke: '#ef8f00', strokeWidth: 3 }
              : { stroke: '#90a4ae' },
          })),
    [bulk, edges, path],
  )
  const canvas = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (positions === undefined || canvas.current === null) return
    whenDrawn(
      canvas.current,
      { nodes: ids.length, edges: edges.length },
      () => {
        const timing = window.loreLineageTiming
        if (timing !== undefined && Number.isNaN(timing.drawMs))
          timing.drawMs = performance.now() - positions.began
      },
    )
  }, [positions, ids, edges])
  const expand = async (node: string): Promise<void> => {
    const [kind, number] = node.split(':')
    try {
      const subgraph = await browserStore.getLineageSubgraph({
        artifactIds: kind === 'a' ? [Number(number)] : [],
        executionIds: kind === 'e' ? [Number(number)] : [],
        direction,
        maxHops: 2,
      })
      setGraph((old) => mergeSubgraph(old, subgraph))
    } catch (expandError) {
      setError(expandError as Error)
    }
  }
  return (
    <>
      {error !== undefined ? <ErrorBox error={error} /> : null}
      <div className="lineage">
        <div
          ref={canvas}
          className="lineage-canvas"
          data-testid="lineage-canvas"
          data-nodes={ids.length}
          data-edges={edges.length}
          data-laid-out={positions === undefined ? 'false' : 'true'}
        >
          {positions === undefined ? (
            <div className="loading">Laying out {ids.length} nodes…</div>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={flowEdges}
              nodeTypes={nodeTypes}
              fitView
              // A small graph is fitted at a readable size, not blown up to fill the canvas.
              fitViewOptions={{ maxZoom: 1.2 }}
              minZoom={0.05}
              nodesConnectable={false}
              // Nodes are read, not arranged: no drag handlers on 500 nodes.
              nodesDraggable={false}
              onNodeClick={(_event, node) => {
                if (node.id === selected) void expand(node.id)
                setSelected(node.id)
              }}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls showInteractive={false} />
              {bulk ? (
                <BulkEdges
                  edges={edges}
                  positions={positions.map}
                  highlighted={path.edges}
                  nodeWidth={nodeWidth}
                  nodeHeight={nodeHeight}
                />
              ) : null}
            </ReactFlow>
          )}
        </div>
        <LineageSidePanel graph={graph} node={selected} />
      </div>
    </>
  )
}

/**
 * The lineage of an artifact (`a:<id>`), an execution (`e:<id>`) or a run: upstream,
 * downstream or both, two hops at first; clicking a selected node reads two more hops from
 * it. The path from the start to the selected node is highlighted, and a side panel shows the
 * node's properties, fingerprint, events and contexts.
 */
export function LineagePage({
  reference,
  params,
}: {
  reference: string
  params: URLSearchParams
}) {
  const direction = (
    ['upstream', 'downstream', 'both'].includes(params.get('direction') ?? '')
      ? params.get('direction')
      : 'both'
  ) as Direction
  const depth = Math.max(
    1,
    Math.min(1000, Number(params.get('depth') ?? 2) || 2),
  )
  const state = useLoad(`lineage:${reference}:${direction}:${depth}`, () =>
    readStart(reference, direction, depth),
  )
  const go = (changes: Record<string, string>): void =>
    navigate(
      routeHref(['lineage', reference], {
        direction,
        depth: String(depth),
        ...changes,
      }),
    )
  return (
    <>
      <h1>
        Lineage of <span className="mono">{reference}</span>
      </h1>
      <div className="toolbar">
        {(['upstream', 'downstream', 'both'] as const).map((option) => (
          <button
            key={option}
            type="button"
            className={option === direction ? 'primary' : ''}
            onClick={() => go({ direction: option })}
          >
            {option}
          </button>
        ))}
        <span className="muted">depth</span>
        <button
          type="button"
          disabled={depth <= 1}
          onClick={() => go({ depth: String(depth - 1) })}
        >
          −
        </button>
        <span data-testid="lineage-depth">{depth}</span>
        <button type="button" onClick={() => go({ depth: String(depth + 1) })}>
          +
        </button>
        <span className="muted">
          hops · click a node to select it, click it again to expand it
        </span>
      </div>
      <Loaded state={state} what="lineage">
        {(loaded) => (
          <>
            <div className="muted" style={{ marginBottom: 8 }}>
              {loaded.start.description}
            </div>
            <LineageCanvas loaded={loaded} direction={direction} />
          </>
        )}
      </Loaded>
    </>
  )
}
