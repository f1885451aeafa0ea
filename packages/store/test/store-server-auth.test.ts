import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createStoreServer,
  createToken,
  SqliteTokenStore,
  type CreatedToken,
} from '../src/server/index.js'
import { LoreError, openStore } from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

async function caught(promise: Promise<unknown>): Promise<LoreError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(LoreError.isInstance(error), String(error)).toBe(true)
  return error as LoreError
}

describe('token file', () => {
  it('stores the sha256 of a token, never the token or its secret', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lore-tokens-')), 'tokens.db')
    const created = await createToken(path, { name: 'ci', scope: 'write' })
    expect(created.token).toMatch(/^lore_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    const secret = created.token.split('_').slice(2).join('_')
    const tokens = SqliteTokenStore.open(path)
    try {
      for (const file of [path, `${path}-wal`]) {
        if (!existsSync(file)) continue
        const bytes = readFileSync(file)
        expect(bytes.includes(created.token)).toBe(false)
        expect(bytes.includes(secret)).toBe(false)
      }
      expect(await tokens.verify(created.token)).toMatchObject({
        id: created.id,
        name: 'ci',
        scope: 'write',
      })
      const flipped = `${created.token.slice(0, -1)}${created.token.endsWith('A') ? 'B' : 'A'}`
      expect(await tokens.verify(flipped)).toBeUndefined()
      expect(await tokens.verify('lore_000000000000_' + secret)).toBeUndefined()
      expect(await tokens.verify('nonsense')).toBeUndefined()
    } finally {
      await tokens.close()
    }
  })

  it('refuses a second live token of one name and forgets revoked tokens', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    try {
      const first = await tokens.create({ name: 'ana', scope: 'read' })
      const error = await caught(tokens.create({ name: 'ana', scope: 'admin' }))
      expect(error.code).toBe('ALREADY_EXISTS')
      await tokens.revoke(first.id)
      await tokens.revoke(first.id)
      expect(await tokens.verify(first.token)).toBeUndefined()
      const second = await tokens.create({ name: 'ana', scope: 'read' })
      expect(await tokens.verify(second.token)).toMatchObject({ name: 'ana' })
      expect((await tokens.list()).map((token) => token.name)).toEqual([
        'ana',
        'ana',
      ])
      expect((await caught(tokens.revoke('ffffffffffff'))).code).toBe(
        'NOT_FOUND',
      )
      const invalid = await caught(
        tokens.create({ name: '', scope: 'root' as never }),
      )
      expect(invalid.code).toBe('INVALID_ARGUMENT')
    } finally {
      await tokens.close()
    }
  })
})

describe('store server with auth', () => {
  let tokens: SqliteTokenStore
  let served: ServedStore
  let reader: CreatedToken
  let writer: CreatedToken
  let admin: CreatedToken
  const log: string[] = []

  beforeEach(async () => {
    tokens = SqliteTokenStore.open(':memory:')
    reader = await tokens.create({ name: 'reader', scope: 'read' })
    writer = await tokens.create({ name: 'writer', scope: 'write' })
    admin = await tokens.create({ name: 'admin', scope: 'admin' })
    log.length = 0
    served = await serveStore({
      tokens,
      logger: { level: 'trace', stream: { write: (line) => log.push(line) } },
    })
  })
  afterEach(async () => {
    await served.close()
    await tokens.close()
  })

  it('answers 401 without a token or with a bad one, before reading the body', async () => {
    const missing = await served.post('/v1/getArtifactTypes', {})
    expect(missing.status).toBe(401)
    expect(missing.json.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/Authorization: Bearer/),
    })
    for (const header of [
      `Bearer ${reader.token}x`,
      `Basic ${reader.token}`,
      'Bearer',
      `Bearer lore_${reader.id}_${'A'.repeat(43)}`,
    ]) {
      const bad = await served.post(
        '/v1/getArtifactTypes',
        {},
        {
          authorization: header,
        },
      )
      expect(bad.status, header).toBe(401)
      expect(JSON.stringify(bad.json)).not.toContain(reader.token)
    }
    const unparsed = await served.post('/v1/putArtifacts', '{not json')
    expect(unparsed.status).toBe(401)
  })

  it('answers 403 when the scope is too small, and lets larger scopes through', async () => {
    const put = { artifactType: { name: 'Model' } }
    const denied = await served.post(
      '/v1/putArtifactType',
      put,
      bearer(reader.token),
    )
    expect(denied.status).toBe(403)
    expect(denied.json.error).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(
        /'reader' has scope 'read'.*needs 'write'/,
      ),
    })
    expect(
      (await served.post('/v1/putArtifactType', put, bearer(writer.token)))
        .status,
    ).toBe(200)
    expect(
      (await served.post('/v1/putArtifactType', put, bearer(admin.token)))
        .status,
    ).toBe(200)
    expect(
      (await served.post('/v1/getArtifactTypes', {}, bearer(reader.token))).json
        .result,
    ).toMatchObject([{ name: 'Model' }])
    const tokenAdmin = await served.post(
      '/v1/listTokens',
      {},
      bearer(writer.token),
    )
    expect(tokenAdmin.status).toBe(403)
  })

  it('keeps /health open and everything else closed, unknown routes too', async () => {
    expect((await fetch(`${served.url}/health`)).status).toBe(200)
    expect((await fetch(`${served.url}/openapi.json`)).status).toBe(401)
    const document = await fetch(`${served.url}/openapi.json`, {
      headers: bearer(reader.token),
    })
    expect(document.status).toBe(200)
    expect(((await document.json()) as any).security).toEqual([{ bearer: [] }])
    expect((await served.post('/v1/nothing', {})).status).toBe(401)
    expect(
      (await served.post('/v1/nothing', {}, bearer(reader.token))).status,
    ).toBe(404)
  })

  it('lets admin tokens create, list and revoke tokens', async () => {
    const created = await served.post(
      '/v1/createToken',
      { name: 'pipeline', scope: 'write' },
      bearer(admin.token),
    )
    expect(created.status).toBe(200)
    const token: string = created.json.result.token
    expect(
      (await served.post('/v1/getArtifactTypes', {}, bearer(token))).status,
    ).toBe(200)
    const listed = await served.post('/v1/listTokens', {}, bearer(admin.token))
    expect(listed.json.result.map((info: any) => info.name)).toContain(
      'pipeline',
    )
    expect(JSON.stringify(listed.json)).not.toContain(token)
    await served.post(
      '/v1/revokeToken',
      { id: created.json.result.id },
      bearer(admin.token),
    )
    expect(
      (await served.post('/v1/getArtifactTypes', {}, bearer(token))).status,
    ).toBe(401)
  })

  it('reaches the server through openStore with a token or LORE_TOKEN', async () => {
    const withToken = await openStore(served.url, {
      token: writer.token,
      maxRetries: 0,
    })
    expect(await withToken.putContextType({ name: 'Run' })).toBeGreaterThan(0)
    await withToken.close()

    const previous = process.env.LORE_TOKEN
    process.env.LORE_TOKEN = reader.token
    try {
      const fromEnvironment = await openStore(served.url, { maxRetries: 0 })
      expect(await fromEnvironment.getContextTypes()).toMatchObject([
        { name: 'Run' },
      ])
      const denied = await caught(
        fromEnvironment.putContextType({ name: 'Other' }),
      )
      expect(denied.code).toBe('PERMISSION_DENIED')
      await fromEnvironment.close()
    } finally {
      if (previous === undefined) delete process.env.LORE_TOKEN
      else process.env.LORE_TOKEN = previous
    }
    const environment = { ...process.env }
    process.env.LORE_STORE = served.url
    process.env.LORE_TOKEN = reader.token
    try {
      const fromBoth = await openStore()
      expect(fromBoth).toBeInstanceOf(RemoteStore)
      expect(await fromBoth.getContextTypes()).toHaveLength(1)
      await fromBoth.close()
    } finally {
      process.env = environment
    }
    const anonymous = await openStore(served.url, {
      token: 'lore_000000000000_' + 'x'.repeat(43),
      maxRetries: 0,
    })
    expect((await caught(anonymous.getContextTypes())).code).toBe(
      'UNAUTHENTICATED',
    )
    await anonymous.close()
  })

  it('never writes a token or the Authorization header to its log', async () => {
    await served.post('/v1/getArtifactTypes', {}, bearer(reader.token))
    await served.post(
      '/v1/putArtifactType',
      { artifactType: { name: 'M' } },
      bearer(reader.token),
    )
    await served.post('/v1/getArtifactTypes', {}, bearer(`${writer.token}z`))
    await served.post(
      '/v1/createToken',
      { name: 'x', scope: 'read' },
      bearer(admin.token),
    )
    const text = log.join('')
    expect(log.length).toBeGreaterThan(4)
    for (const token of [reader.token, writer.token, admin.token]) {
      expect(text).not.toContain(token)
      expect(text).not.toContain(token.slice(18))
    }
    expect(text.toLowerCase()).not.toContain('bearer')
  })

  it('may listen beyond loopback once auth is on', async () => {
    const store = await openStore('sqlite::memory:')
    // Constructed only: tests bind nothing but 127.0.0.1.
    expect(() =>
      createStoreServer(store, { host: '0.0.0.0', tokens }),
    ).not.toThrow()
    await store.close()
  })
})
