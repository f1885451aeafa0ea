import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createStoreServer,
  runMetricRoutes,
  storeRoutes,
} from '../src/server/index.js'
import { LoreError, openStore, type MetadataStore } from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import { isLoopbackHost } from '../src/server/loopback-host.js'
import {
  serveStore,
  storeContents,
  type ServedStore,
} from './fixtures/serve-store.js'

async function defineTypes(served: ServedStore): Promise<void> {
  await served.store.putArtifactType({
    name: 'Dataset',
    properties: { rows: 'INT' },
  })
  await served.store.putExecutionType({ name: 'Train' })
  await served.store.putArtifacts([
    { type: 'Dataset', name: 'keep', uri: 's3://bucket/keep' },
  ])
}

describe('store server', () => {
  let served: ServedStore
  beforeEach(async () => {
    served = await serveStore()
    await defineTypes(served)
  })
  afterEach(() => served.close())

  it('serves every MetadataStore operation as POST /v1/<operation>', async () => {
    const operations = storeRoutes.map((route) => route.operation).sort()
    const methods = Object.getOwnPropertyNames(RemoteStore.prototype)
      .filter(
        (name) => name !== 'constructor' && name !== 'close' && name !== 'url',
      )
      .sort()
    expect(operations).toEqual(methods)
    const { status, json } = await served.post('/v1/getArtifactTypes', {})
    expect(status).toBe(200)
    expect(json.result).toMatchObject([{ name: 'Dataset' }])
  })

  it('answers GET /health', async () => {
    const response = await fetch(`${served.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('lists the zod issues of an invalid body in a 400, with paths into the body', async () => {
    const { status, json } = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', state: 'ALIVE', uri: 7 }],
    })
    expect(status).toBe(400)
    expect(json.error.code).toBe('INVALID_ARGUMENT')
    expect(json.error.message).toMatch(
      /^invalid artifacts\[0\]\.uri: .*\(and 1 more issue\)$/,
    )
    expect(json.error.issues).toEqual([
      {
        path: ['artifacts', 0, 'uri'],
        code: 'invalid_type',
        message: expect.stringMatching(/^artifacts\[0\]\.uri: .*given: 7/),
      },
      {
        path: ['artifacts', 0, 'state'],
        code: 'invalid_value',
        message: expect.stringMatching(/^artifacts\[0\]\.state: .*'ALIVE'/),
      },
    ])
  })

  it('says what an embedded store says for the same bad input', async () => {
    const embedded = await served.store
      .putArtifacts([{ type: 'Dataset', state: 'ALIVE' } as never])
      .catch((error: unknown) => error as LoreError)
    const { json } = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', state: 'ALIVE' }],
    })
    expect(json.error.message).toBe((embedded as LoreError).message)
  })

  it('names a missing argument with its path in the body', async () => {
    const { status, json } = await served.post('/v1/putExecutionBatch', {})
    expect(status).toBe(400)
    expect(json.error.issues).toMatchObject([
      { path: ['requests'], message: expect.stringMatching(/^requests: /) },
    ])
    const nested = await served.post('/v1/putExecution', {
      request: { execution: { type: 'Train', lastKnownState: 'DONE' } },
    })
    expect(nested.json.error.issues).toMatchObject([
      { path: ['request', 'execution', 'lastKnownState'] },
    ])
  })

  it('refuses unknown fields in the body and in records', async () => {
    const top = await served.post('/v1/putArtifacts', {
      artifacts: [],
      dropTables: true,
    })
    expect(top.status).toBe(400)
    expect(top.json.error.issues[0]).toMatchObject({
      path: [],
      code: 'unrecognized_keys',
      message: expect.stringMatching(/^body: .*dropTables/),
    })
    const nested = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', colour: 'red' }],
    })
    expect(nested.status).toBe(400)
    expect(nested.json.error.message).toMatch(/colour/)
  })

  it('answers malformed JSON, an empty body and other media types with a 4xx in JSON', async () => {
    const before = await storeContents(served.store)
    const malformed = await served.post('/v1/putArtifacts', '{"artifacts": [')
    expect(malformed.status).toBe(400)
    expect(malformed.json.error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/not valid JSON/),
    })
    const empty = await served.post('/v1/putArtifacts', '')
    expect(empty.status).toBe(400)
    expect(empty.json.error.code).toBe('INVALID_ARGUMENT')
    const text = await served.post('/v1/putArtifacts', 'artifacts', {
      'content-type': 'text/plain',
    })
    expect(text.status).toBe(415)
    expect(text.json.error.message).toMatch(/application\/json/)
    const array = await served.post('/v1/putArtifacts', [1, 2])
    expect(array.status).toBe(400)
    const poisoned = await served.post(
      '/v1/putArtifacts',
      '{"artifacts":[],"__proto__":{"admin":true}}',
    )
    expect(poisoned.status).toBe(400)
    expect(await storeContents(served.store)).toEqual(before)
  })

  it('answers an unknown route with a 404 in JSON', async () => {
    const post = await served.post('/v1/dropDatabase', {})
    expect(post.status).toBe(404)
    expect(post.json.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no route POST \/v1\/dropDatabase/),
    })
    const get = await fetch(`${served.url}/v1/getArtifacts`)
    expect(get.status).toBe(404)
    expect(((await get.json()) as any).error.code).toBe('NOT_FOUND')
  })

  it('maps LoreError codes to HTTP statuses', async () => {
    const notFound = await served.post('/v1/getArtifactType', {
      name: 'Nothing',
    })
    expect([notFound.status, notFound.json.error.code]).toEqual([
      404,
      'NOT_FOUND',
    ])
    await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', externalId: 'ds-1' }],
    })
    const exists = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', externalId: 'ds-1' }],
    })
    expect([exists.status, exists.json.error.code]).toEqual([
      409,
      'ALREADY_EXISTS',
    ])
    const invalid = await served.post('/v1/getArtifacts', {
      query: { filter: "type = 'Dataset' AND" },
    })
    expect([invalid.status, invalid.json.error.code]).toEqual([
      400,
      'INVALID_ARGUMENT',
    ])
    expect(invalid.json.error.details.position).toBe(21)
  })

  it('keeps SQL in filters and names as data, and changes nothing on refusal', async () => {
    const name = "x'; DROP TABLE artifact; --"
    const put = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', name }],
    })
    expect(put.status).toBe(200)
    const before = await storeContents(served.store)
    const found = await served.post('/v1/getArtifacts', {
      query: { filter: `name = 'x''; DROP TABLE artifact; --'` },
    })
    expect(found.json.result.items.map((item: any) => item.name)).toEqual([
      name,
    ])
    const injected = await served.post('/v1/getArtifacts', {
      query: { filter: "name = 'a'; DROP TABLE artifact; --" },
    })
    expect(injected.status).toBe(400)
    const byType = await served.post('/v1/getArtifacts', {
      query: { type: "Dataset' OR '1'='1" },
    })
    expect(byType.json.result.items).toEqual([])
    const typeName = await served.post('/v1/getArtifactType', {
      name: "Dataset'; DROP TABLE type; --",
    })
    expect(typeName.status).toBe(404)
    const field = await served.post('/v1/getArtifacts', {
      query: { filter: 'properties.`rows` = 1; DELETE FROM artifact' },
    })
    expect(field.status).toBe(400)
    expect(await storeContents(served.store)).toEqual(before)
  })

  it('answers a body over the size limit with a 413 in JSON', async () => {
    const small = await serveStore({ bodyLimit: 1024 })
    try {
      const { status, json } = await small.post('/v1/putArtifacts', {
        artifacts: [{ type: 'Dataset', name: 'n'.repeat(2000) }],
      })
      expect(status).toBe(413)
      expect(json.error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/larger than .* 1024 bytes/),
        details: { bodyLimit: 1024 },
      })
      expect((await fetch(`${small.url}/health`)).status).toBe(200)
    } finally {
      await small.close()
    }
  })

  it('refuses a huge body at the default limit and stays up', async () => {
    const before = await storeContents(served.store)
    const huge = JSON.stringify({
      artifacts: [{ type: 'Dataset', name: 'h'.repeat(17 * 1024 * 1024) }],
    })
    const { status } = await served.post('/v1/putArtifacts', huge)
    expect(status).toBe(413)
    expect((await fetch(`${served.url}/health`)).status).toBe(200)
    expect(await storeContents(served.store)).toEqual(before)
  })

  it('refuses deep nesting with a 400 before parsing, and stays up', async () => {
    const before = await storeContents(served.store)
    const depth = 200_000
    const deep = `{"artifacts":[{"type":"Dataset","customProperties":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`
    const { status, json } = await served.post('/v1/putArtifacts', deep)
    expect(status).toBe(400)
    expect(json.error.message).toMatch(/deeper than 64 levels/)
    // Brackets inside strings are text, not nesting.
    const inString = await served.post('/v1/putArtifacts', {
      artifacts: [{ type: 'Dataset', name: '['.repeat(1000) }],
    })
    expect(inString.status).toBe(200)
    const shallow = await served.post('/v1/putArtifacts', {
      artifacts: [
        { type: 'Dataset', customProperties: { x: [[[[{ y: [1] }]]]] } },
      ],
    })
    expect(shallow.status).toBe(200)
    const after = (await storeContents(served.store)) as {
      artifacts: unknown[]
    }
    expect(after.artifacts).toHaveLength(
      (before as { artifacts: unknown[] }).artifacts.length + 2,
    )
  })

  it('answers an unexpected failure with a 500 that leaks nothing', async () => {
    const failing = new Proxy(served.store, {
      get(target, property, receiver) {
        if (property === 'getArtifactTypes') {
          return () => Promise.reject(new Error('secret internals at /etc/x'))
        }
        return Reflect.get(target, property, receiver)
      },
    })
    const other = await serveStore({}, failing)
    try {
      const { status, json } = await other.post('/v1/getArtifactTypes', {})
      expect(status).toBe(500)
      expect(json.error.code).toBe('INTERNAL')
      expect(json.error.message).not.toMatch(/secret/)
      expect(json.error.message).toMatch(/its log has the cause/)
    } finally {
      await other.server.close()
    }
  })

  it('answers calls on a closed store with a 412', async () => {
    const closed = await openStore('sqlite::memory:')
    const other = await serveStore({}, closed)
    await closed.close()
    try {
      const { status, json } = await other.post('/v1/getArtifactTypes', {})
      expect([status, json.error.code]).toEqual([412, 'FAILED_PRECONDITION'])
    } finally {
      await other.server.close()
    }
  })

  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const response = await fetch(`${served.url}/openapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as any
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths)).toHaveLength(
      storeRoutes.length + runMetricRoutes.length + 2,
    )
    const batch = document.paths['/v1/putExecutionBatch'].post
    expect(batch.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PutExecutionBatchBody',
    })
    const { schemas } = document.components
    expect(schemas.PutExecutionBatchBody.properties.requests.items).toEqual({
      $ref: '#/components/schemas/PutExecutionRequest',
    })
    expect(schemas.ArtifactInput.properties.state.enum).toContain('LIVE')
    expect(schemas.ArtifactInput.additionalProperties).toBe(false)
    // Every reference points at a schema of the document.
    const references = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? []
    for (const reference of new Set(references)) {
      const name = reference.slice('"$ref":"#/components/schemas/'.length, -1)
      expect(schemas[name], reference).toBeDefined()
    }
  })
})

describe('createStoreServer', () => {
  it('refuses a non-loopback address without auth, before binding anything', async () => {
    const store = await openStore('sqlite::memory:')
    try {
      for (const host of ['0.0.0.0', '::', '192.0.2.10', 'store.example']) {
        let error: unknown
        try {
          createStoreServer(store, { host })
        } catch (caught) {
          error = caught
        }
        expect(LoreError.isInstance(error)).toBe(true)
        expect((error as LoreError).code).toBe('FAILED_PRECONDITION')
        expect((error as LoreError).message).toMatch(/without auth/)
      }
    } finally {
      await store.close()
    }
  })

  it('knows which hosts are loopback', () => {
    expect(
      [
        '127.0.0.1',
        '127.1.2.3',
        'localhost',
        '::1',
        '[::1]',
        '::ffff:127.0.0.1',
      ].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true, true])
    expect(
      ['0.0.0.0', '::', '10.0.0.1', 'example.com', '127.0.0.1.nip.io'].map(
        isLoopbackHost,
      ),
    ).toEqual([false, false, false, false, false])
  })

  it('lets a request in flight finish on close, then refuses connections', async () => {
    const store = await openStore('sqlite::memory:')
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: MetadataStore = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'putArtifactType') {
          return async (
            ...args: Parameters<MetadataStore['putArtifactType']>
          ) => {
            entered()
            await gate
            return target.putArtifactType(...args)
          }
        }
        return Reflect.get(target, property, receiver)
      },
    })
    const served = await serveStore({}, slow)
    const remote = new RemoteStore(served.url, { maxRetries: 0 })
    try {
      const call = remote.putArtifactType({ name: 'Model' })
      await inside
      let closed = false
      const closing = served.server.close().then(() => (closed = true))
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(closed).toBe(false)
      release()
      expect(await call).toBeGreaterThan(0)
      await closing
      expect(await store.getArtifactType('Model')).toMatchObject({
        name: 'Model',
      })
      await expect(fetch(`${served.url}/health`)).rejects.toThrow()
    } finally {
      await remote.close()
      await store.close()
    }
  })
})
