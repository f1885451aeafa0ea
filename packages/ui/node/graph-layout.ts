import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { LoreError } from '@lore/store'
import type {
  GraphLayout,
  GraphLayoutAnswer,
  GraphLayoutRequest,
} from '@lore/store/server'
import { lineageLayoutOptions } from '../src/pages/lineage-layout-options.js'

/*
 * Warm-up graphs, growing, shaped like a lineage (each node reads two of the layer before).
 * elk is Java compiled to JavaScript by GWT, and V8 compiles its hot paths only after they
 * ran: a 500-node graph took 840 ms in a fresh Node process and 224 ms after these (about
 * 2 s of one core, once), measured with elkjs 0.12 on this project's 2-core machine.
 */
const warmUps: [layers: number, width: number][] = [
  [6, 6],
  [10, 12],
  [10, 25],
  [10, 25],
  [20, 25],
  [20, 25],
  [20, 25],
  [20, 25],
]

/**
 * The worker's code, run with `eval` (no file of its own, so it runs the same from sources and
 * from a build). It answers `{ id, graph }` with `{ id, positions }` or `{ id, error }`, one
 * layout at a time, and on `'warm-up'` lays out the made-up graphs until a real one arrives.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const ELK = require(workerData.elkPath)
const elk = new ELK()
const layoutOptions = workerData.layoutOptions
let asked = false
function elkGraph(nodes, edges, width, height) {
  return {
    id: 'graph',
    layoutOptions,
    children: nodes.map((id) => ({ id, width, height })),
    edges: edges.map((edge, index) => ({ id: 'e' + index, sources: [edge.source], targets: [edge.target] })),
  }
}
function warmUpGraph([layers, width]) {
  const nodes = []
  const edges = []
  for (let layer = 0; layer < layers; layer++)
    for (let index = 0; index < width; index++) {
      nodes.push(layer + ':' + index)
      if (layer > 0)
        for (const from of new Set([index, (index * 7 + 3) % width]))
          edges.push({ source: (layer - 1) + ':' + from, target: layer + ':' + index })
    }
  return elkGraph(nodes, edges, 260, 64)
}
function warmUp(step) {
  const size = workerData.warmUps[step]
  if (asked || size === undefined) return
  elk.layout(warmUpGraph(size)).then(() => warmUp(step + 1), () => {})
}
parentPort.on('message', (message) => {
  if (message === 'warm-up') return warmUp(0)
  asked = true
  const { nodes, edges, nodeWidth, nodeHeight } = message.graph
  elk.layout(elkGraph(nodes, edges, nodeWidth, nodeHeight)).then(
    (laidOut) => {
      const at = new Map((laidOut.children || []).map((child) => [child.id, [child.x || 0, child.y || 0]]))
      parentPort.postMessage({ id: message.id, positions: nodes.map((node) => at.get(node) || [0, 0]) })
    },
    (error) => parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) }),
  )
})
`

/**
 * The most layouts one engine holds, running or waiting; more are refused at once (503), and
 * the page lays those out itself. A 5,000-node graph of 20,000 edges, the server's largest,
 * took elk about 19 s here: without a bound, a few of them would keep every lineage waiting.
 */
export const maxWaitingLayouts = 4

interface Pending {
  resolve(answer: GraphLayoutAnswer): void
  reject(error: Error): void
}

/** A {@link GraphLayout} that can be warmed up ahead of use and closed. */
export interface ElkGraphLayout extends GraphLayout {
  /**
   * Start the engine and lay out made-up graphs until the first real one, so that one is laid
   * out by warm code (about 2 s of one core, once). Calling it again does nothing.
   */
  warmUp(): void
  /** Stop the engine's worker; a later layout starts a new one. */
  close(): Promise<void>
}

class ElkWorkerLayout implements ElkGraphLayout {
  #worker: Worker | undefined
  #warming = false
  readonly #pending = new Map<number, Pending>()
  #nextId = 0

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker
    const worker = new Worker(workerSource, {
      eval: true,
      // Not this process's flags: elk needs no TypeScript loader, and under --input-type=module
      // the worker's code would be read as a module and find no `require`.
      execArgv: [],
      workerData: {
        elkPath: createRequire(import.meta.url).resolve(
          'elkjs/lib/elk.bundled.js',
        ),
        layoutOptions: lineageLayoutOptions,
        warmUps,
      },
    })
    worker.on(
      'message',
      (message: {
        id: number
        positions?: [number, number][]
        error?: string
      }) => {
        const pending = this.#pending.get(message.id)
        if (pending === undefined) return
        this.#pending.delete(message.id)
        if (this.#pending.size === 0) worker.unref()
        if (message.positions !== undefined)
          pending.resolve({ positions: message.positions })
        else
          pending.reject(
            new LoreError(
              'INTERNAL',
              `elkjs could not lay the graph out: ${message.error}`,
            ),
          )
      },
    )
    worker.on('error', (error) => this.#stopped(worker, error.message))
    worker.on('exit', (code) => this.#stopped(worker, `exit code ${code}`))
    // An idle engine (warming up or waiting) never keeps the process alive. After the
    // listeners: adding a 'message' listener refs the worker again.
    worker.unref()
    this.#worker = worker
    return worker
  }

  /** The worker died: what waited on it fails; the next layout starts a new one. */
  #stopped(worker: Worker, why: string): void {
    if (this.#worker !== worker) return
    this.#worker = undefined
    this.#warming = false
    for (const pending of this.#pending.values())
      pending.reject(
        new LoreError(
          'UNAVAILABLE',
          `the layout engine stopped (${why}) before answering; try again`,
        ),
      )
    this.#pending.clear()
  }

  warmUp(): void {
    if (this.#warming) return
    this.#start().postMessage('warm-up')
    this.#warming = true
  }

  layout(graph: GraphLayoutRequest): Promise<GraphLayoutAnswer> {
    if (graph.nodes.length === 0) {
      this.warmUp()
      return Promise.resolve({ positions: [] })
    }
    if (this.#pending.size >= maxWaitingLayouts)
      return Promise.reject(
        new LoreError(
          'UNAVAILABLE',
          `the layout engine is busy with ${this.#pending.size} graphs; try again in a moment (the web UI lays the graph out in the page instead)`,
        ),
      )
    const worker = this.#start()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      worker.ref()
      worker.postMessage({ id, graph })
    })
  }

  async close(): Promise<void> {
    const worker = this.#worker
    if (worker === undefined) return
    this.#stopped(worker, 'closed')
    await worker.terminate()
  }
}

/**
 * The web UI's graph layout for the store server (its `layout` option): elkjs's layered
 * algorithm, top to bottom, in a worker thread of its own, so the server's thread stays free
 * and the engine stays warm between requests. The worker starts on first use and never keeps
 * the process alive while idle.
 *
 * @example
 * const layout = createGraphLayout()
 * layout.warmUp()
 * createStoreServer(store, { ui: uiDirectory(), layout })
 */
export function createGraphLayout(): ElkGraphLayout {
  return new ElkWorkerLayout()
}
