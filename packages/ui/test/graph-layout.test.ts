import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openStore, type MetadataStore } from '@lore/store'
import {
  createStoreServer,
  SqliteTokenStore,
  type GraphLayoutRequest,
  type StoreServer,
} from '@lore/store/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphLayout,
  maxWaitingLayouts,
  type ElkGraphLayout,
} from '../node/index.js'

/** A chain `a → b → c` with a side branch `a → d`. */
const graph: GraphLayoutRequest = {
  nodes: ['a', 'b', 'c', 'd'],
  edges: [
    { source: 'a', target: 'b' },
    { source: 'b', target: 'c' },
    { source: 'a', target: 'd' },
  ],
  nodeWidth: 200,
  nodeHeight: 50,
}

/** Whether two laid-out nodes of the graph's size overlap. */
function overlap(one: [number, number], other: [number, number]): boolean {
  return (
    Math.abs(one[0] - other[0]) < graph.nodeWidth &&
    Math.abs(one[1] - other[1]) < graph.nodeHeight
  )
}

function expectLaidOut(positions: [number, number][]): void {
  expect(positions).toHaveLength(graph.nodes.length)
  const at = new Map(
    graph.nodes.map((node, index) => [node, positions[index]!]),
  )
  // Top to bottom: every edge points down, by at least a node's height.
  for (const { source, target } of graph.edges)
    expect(at.get(target)![1]).toBeGreaterThanOrEqual(
      at.get(source)![1] + graph.nodeHeight,
    )
  for (let one = 0; one < positions.length; one++)
    for (let other = one + 1; other < positions.length; other++)
      expect(overlap(positions[one]!, positions[other]!)).toBe(false)
}

describe('createGraphLayout (elkjs in a worker thread)', () => {
  let layout: ElkGraphLayout
  beforeAll(() => {
    layout = createGraphLayout()
  })
  afterAll(() => layout.close())

  it('lays a graph out top to bottom, nodes apart, in the order of `nodes`', async () => {
    expectLaidOut((await layout.layout(graph)).positions)
    // The same graph with its nodes listed the other way round: the answer follows the order.
    const reversed = await layout.layout({
      ...graph,
      nodes: [...graph.nodes].reverse(),
    })
    const forward = (await layout.layout(graph)).positions
    expect(reversed.positions).toEqual([...forward].reverse())
  })

  it('answers an empty graph at once, and a layout asked during the warm-up is still right', async () => {
    const warming = createGraphLayout()
    try {
      expect(await warming.layout({ ...graph, nodes: [], edges: [] })).toEqual({
        positions: [],
      })
      // The warm-up is under way (the empty graph started it); a real graph cuts in.
      expectLaidOut((await warming.layout(graph)).positions)
    } finally {
      await warming.close()
    }
  })

  it('starts a new worker after close, and fails what was waiting with a clear error', async () => {
    const closing = createGraphLayout()
    const failed = expect(closing.layout(graph)).rejects.toThrow(
      /the layout engine stopped \(closed\) before answering; try again/,
    )
    await closing.close()
    await failed
    expectLaidOut((await closing.layout(graph)).positions)
    await closing.close()
  })

  it('refuses a layout at once while it holds as many as it may, and takes them again after', async () => {
    const busy = createGraphLayout()
    try {
      const held = Array.from({ length: maxWaitingLayouts }, () =>
        busy.layout(graph),
      )
      await expect(busy.layout(graph)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining(
          `the layout engine is busy with ${maxWaitingLayouts} graphs; try again`,
        ),
      })
      for (const answer of await Promise.all(held))
        expectLaidOut(answer.positions)
      expectLaidOut((await busy.layout(graph)).positions)
    } finally {
      await busy.close()
    }
  })

  it('never keeps a process alive: a script that leaves one engine warming up and one idle exits by itself', async () => {
    const script = `
      import { createGraphLayout } from ${JSON.stringify(fileURLToPath(new URL('../node/index.ts', import.meta.url)))}
      // One engine left warming up, one left idle after answering.
      createGraphLayout().warmUp()
      const layout = createGraphLayout()
      const { positions } = await layout.layout(${JSON.stringify(graph)})
      console.log(JSON.stringify(positions))
    `
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@lore/source',
        '--input-type=module',
        '--eval',
        script,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)) },
    )
    expectLaidOut(JSON.parse(stdout) as [number, number][])
  })
})

describe('the store server with a layout: POST /v1/layoutGraph', () => {
  let store: MetadataStore
  let layout: ElkGraphLayout
  let tokens: SqliteTokenStore
  let server: StoreServer
  let url: string
  let read: string

  beforeAll(async () => {
    store = await openStore('sqlite::memory:')
    layout = createGraphLayout()
    tokens = SqliteTokenStore.open(':memory:')
    read = (await tokens.create({ name: 'viewer', scope: 'read' })).token
    server = createStoreServer(store, {
      host: '127.0.0.1',
      port: 0,
      layout,
      tokens,
    })
    url = await server.listen()
  })
  afterAll(async () => {
    await server?.close()
    await layout?.close()
    await tokens?.close()
    await store?.close()
  })

  const post = async (body: unknown, token: string | null = read) => {
    const response = await fetch(`${url}/v1/layoutGraph`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }

  it('lays a graph out for a read token, and refuses without one', async () => {
    const answer = await post(graph)
    expect(answer.status).toBe(200)
    expectLaidOut(answer.body.result.positions)
    expect((await post(graph, null)).status).toBe(401)
  })

  it('names the node listed twice and the edge to an unknown node', async () => {
    const answer = await post({
      ...graph,
      nodes: [...graph.nodes, 'b'],
      edges: [...graph.edges, { source: 'c', target: 'nowhere' }],
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.code).toBe('INVALID_ARGUMENT')
    const issues = (
      answer.body.error.issues as {
        path: (string | number)[]
        message: string
      }[]
    ).map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    expect(issues).toEqual([
      "nodes.4: nodes[4]: this node is listed before; list each node once (given: 'b')",
      "edges.3.target: edges[3].target: not one of the graph's nodes; an edge must join two listed nodes (given: 'nowhere')",
    ])
  })

  it('refuses a graph over its limits, and a store server without a layout has no such route', async () => {
    const many = Array.from({ length: 5001 }, (_, index) => `n${index}`)
    const tooBig = await post({ ...graph, nodes: many, edges: [] })
    expect(tooBig.status).toBe(400)
    expect(JSON.stringify(tooBig.body.error.issues)).toMatch(/nodes/)

    const plain = createStoreServer(store, { host: '127.0.0.1', port: 0 })
    try {
      const response = await fetch(`${await plain.listen()}/v1/layoutGraph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(graph),
      })
      expect(response.status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
