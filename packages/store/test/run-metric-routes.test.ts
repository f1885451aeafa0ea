import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type MetadataStore } from '../src/index.js'
import {
  createStoreServer,
  SqliteTokenStore,
  type StoreServer,
} from '../src/server/index.js'

let store: MetadataStore
let server: StoreServer
let url: string

async function call(
  body: unknown,
  token?: string,
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}/v1/summarizeRunMetrics`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, json: await response.json() }
}

beforeEach(async () => {
  store = await openStore('sqlite::memory:')
  server = createStoreServer(store, { host: '127.0.0.1', port: 0 })
  url = await server.listen()
})
afterEach(async () => {
  await server.close()
  await store.close()
})

describe('summarizeRunMetrics', () => {
  it("summarises each run's own points and its steps' points, per key", async () => {
    await store.putExecutionType({ name: 'Train' })
    await store.putExecutionType({ name: 'Evaluate' })
    await store.putContextType({ name: 'PipelineRun' })
    const first = await store.putExecution({
      execution: { type: 'Train' },
      contexts: [{ type: 'PipelineRun', name: 'run-a' }],
    })
    const second = await store.putExecution({
      execution: { type: 'Evaluate' },
      contexts: [{ type: 'PipelineRun', name: 'run-a' }],
      options: { reuseContextIfAlreadyExist: true },
    })
    const other = await store.putExecution({
      execution: { type: 'Train' },
      contexts: [{ type: 'PipelineRun', name: 'run-b' }],
    })
    const [runA] = first.contextIds
    const [runB] = other.contextIds
    await store.putMetrics([
      { executionId: first.executionId, key: 'loss', value: 0.9, step: 0 },
      { executionId: first.executionId, key: 'loss', value: 0.2, step: 2 },
      { executionId: first.executionId, key: 'loss', value: 0.5, step: 1 },
      { executionId: second.executionId, key: 'accuracy', value: 0.8 },
      { contextId: runA, key: 'accuracy', value: 0.95, step: 1 },
      { executionId: other.executionId, key: 'loss', value: 3 },
      { executionId: other.executionId, key: 'unasked', value: 1 },
    ])
    const { status, json } = await call({
      contextIds: [runA, runB, 999],
      keys: ['loss', 'accuracy'],
    })
    expect(status).toBe(200)
    expect(json.result).toEqual({
      [runA!]: {
        loss: { last: 0.2, min: 0.2, max: 0.9, count: 3 },
        accuracy: { last: 0.95, min: 0.8, max: 0.95, count: 2 },
      },
      [runB!]: { loss: { last: 3, min: 3, max: 3, count: 1 } },
      999: {},
    })
  })

  it('counts a step that belongs to two of the runs asked about in both', async () => {
    await store.putExecutionType({ name: 'Train' })
    await store.putContextType({ name: 'PipelineRun' })
    const shared = await store.putExecution({
      execution: { type: 'Train' },
      contexts: [
        { type: 'PipelineRun', name: 'run-a' },
        { type: 'PipelineRun', name: 'run-b' },
      ],
    })
    const [runA, runB] = shared.contextIds
    await store.putMetrics([
      { executionId: shared.executionId, key: 'loss', value: 0.4 },
    ])
    const { json } = await call({ contextIds: [runA, runB], keys: ['loss'] })
    const loss = { last: 0.4, min: 0.4, max: 0.4, count: 1 }
    expect(json.result).toEqual({
      [runA!]: { loss },
      [runB!]: { loss },
    })
  })

  it('refuses a body without keys, or with too many runs, naming the field', async () => {
    const noKeys = await call({ contextIds: [1], keys: [] })
    expect(noKeys.status).toBe(400)
    expect(noKeys.json.error.message).toMatch(/keys/)
    const many = await call({
      contextIds: Array.from({ length: 201 }, (_, index) => index + 1),
      keys: ['loss'],
    })
    expect(many.status).toBe(400)
    expect(many.json.error.message).toMatch(/contextIds/)
  })

  it('needs a read token when auth is on', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    const guarded = createStoreServer(store, {
      host: '127.0.0.1',
      port: 0,
      tokens,
    })
    const base = url
    try {
      url = await guarded.listen()
      expect((await call({ contextIds: [1], keys: ['x'] })).status).toBe(401)
      const { token } = await tokens.create({ name: 'viewer', scope: 'read' })
      expect((await call({ contextIds: [1], keys: ['x'] }, token)).status).toBe(
        200,
      )
    } finally {
      url = base
      await guarded.close()
      await tokens.close()
    }
  })
})
