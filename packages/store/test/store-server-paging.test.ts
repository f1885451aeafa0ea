import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxPageSize } from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'

/*
 * A list without a limit reads every row in the embedded store. Through the server one
 * response holds at most a page (maxPageSize items) and a token for the next, so no request
 * makes the server read and send millions of rows at once; the client API still returns
 * every row, page by page, as MLMD's Python client does.
 */
describe('store server paging', () => {
  const rows = maxPageSize + 5
  let served: ServedStore

  beforeAll(async () => {
    served = await serveStore()
    await served.store.putArtifactType({ name: 'Dataset' })
    for (let start = 0; start < rows; start += 2000) {
      await served.store.putArtifacts(
        Array.from({ length: Math.min(2000, rows - start) }, (_, offset) => ({
          type: 'Dataset',
          uri: `s3://bucket/${start + offset}`,
        })),
      )
    }
  })
  afterAll(() => served.close())

  it.each([
    ['no query', {}],
    ['a query without a limit', { query: { type: 'Dataset' } }],
  ])(
    `answers a list with %s with ${maxPageSize} items and a token for the rest`,
    async (_, body) => {
      const first = await served.post('/v1/getArtifacts', body)
      expect(first.status, JSON.stringify(first.json).slice(0, 300)).toBe(200)
      expect(first.json.result.items).toHaveLength(maxPageSize)
      expect(typeof first.json.result.nextPageToken).toBe('string')
      const second = await served.post('/v1/getArtifacts', {
        query: {
          ...(body as { query?: object } | undefined)?.query,
          pageToken: first.json.result.nextPageToken,
        },
      })
      expect(second.status).toBe(200)
      expect(second.json.result.items).toHaveLength(rows - maxPageSize)
      expect(second.json.result.nextPageToken).toBeUndefined()
      const ids = [...first.json.result.items, ...second.json.result.items].map(
        (artifact: { id: number }) => artifact.id,
      )
      expect(new Set(ids).size).toBe(rows)
    },
  )

  it('refuses a limit above a page with a 400 that names it', async () => {
    const { status, json } = await served.post('/v1/getArtifacts', {
      query: { limit: maxPageSize + 1 },
    })
    expect(status).toBe(400)
    expect(JSON.stringify(json)).toMatch(/limit/)
  })

  it('caps executions and contexts the same way', async () => {
    for (const operation of ['getExecutions', 'getContexts']) {
      const { status, json } = await served.post(`/v1/${operation}`, {})
      expect(status).toBe(200)
      expect(json.result.items).toEqual([])
    }
  })

  it('gives every row to a client that asks without a limit', async () => {
    const remote = new RemoteStore(served.url)
    try {
      const page = await remote.getArtifacts()
      expect(page.items).toHaveLength(rows)
      expect(page.nextPageToken).toBeUndefined()
      expect(new Set(page.items.map((artifact) => artifact.id)).size).toBe(rows)
      const limited = await remote.getArtifacts({ limit: 7 })
      expect(limited.items).toHaveLength(7)
      expect(typeof limited.nextPageToken).toBe('string')
    } finally {
      await remote.close()
    }
  })
})
