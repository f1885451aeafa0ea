import { describe, expect, it } from 'vitest'
import { defaultCaptureLimits, resolveCaptureLimits } from './capture-limits.js'
import { createRedactor } from './redact.js'
import { toJsonSafe } from './safe-serialize.js'

const options = { limits: defaultCaptureLimits, redact: createRedactor() }
const json = (value: unknown) => toJsonSafe(value, options).json

class Model {
  weights = [0.5, 0.25]
  #secretState = 'private'
  describe() {
    return this.#secretState
  }
}

describe('toJsonSafe', () => {
  it("records a __proto__ key as a key, without touching the copy's prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "rows": 3}')
    const copy = json(parsed) as Record<string, unknown>
    expect(JSON.stringify(copy)).toBe(
      '{"__proto__":{"polluted":true},"rows":3}',
    )
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it('describes BigInt, Map, Set, Date, RegExp, NaN and Infinity', () => {
    expect(json(12n)).toEqual({ $type: 'BigInt', value: '12' })
    expect(json(new Map([['a', 1n]]))).toEqual({
      $type: 'Map',
      size: 1,
      entries: [['a', { $type: 'BigInt', value: '1' }]],
    })
    expect(json(new Set([1, 2]))).toEqual({
      $type: 'Set',
      size: 2,
      values: [1, 2],
    })
    expect(json(new Date(Date.UTC(2026, 0, 2)))).toEqual({
      $type: 'Date',
      value: '2026-01-02T00:00:00.000Z',
    })
    expect(json(new Date(Number.NaN))).toEqual({
      $type: 'Date',
      value: 'Invalid Date',
    })
    expect(json(/a+/g)).toEqual({ $type: 'RegExp', value: '/a+/g' })
    expect(json([Number.NaN, Infinity, -0])).toEqual([
      { $type: 'Number', value: 'NaN' },
      { $type: 'Number', value: 'Infinity' },
      { $type: 'Number', value: '0' },
    ])
  })

  it('records typed arrays and Buffers by shape and sha256, never their bytes', () => {
    expect(json(new Float64Array([1, 2, 3]))).toEqual({
      $type: 'Float64Array',
      length: 3,
      byteLength: 24,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    const buffer = json(Buffer.from('hello')) as Record<string, unknown>
    expect(buffer.$type).toBe('Buffer')
    expect(buffer.sha256).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    )
    expect(JSON.stringify(buffer)).not.toContain('hello')
  })

  it('describes errors with their name, message, stack and cause', () => {
    const error = new TypeError('bad rows', { cause: new Error('empty file') })
    const described = json(error) as Record<string, unknown>
    expect(described).toMatchObject({
      $type: 'TypeError',
      name: 'TypeError',
      message: 'bad rows',
      cause: { $type: 'Error', message: 'empty file' },
    })
    expect(JSON.stringify(described.stack)).toContain('TypeError: bad rows')
  })

  it('describes class instances by their fields or toJSON, and functions by name', () => {
    expect(json(new Model())).toEqual({ $type: 'Model', weights: [0.5, 0.25] })
    expect(json({ toJSON: () => ({ compact: true }) })).toEqual({
      toJSON: { $type: 'Function', name: 'toJSON' },
    })
    class Tree {
      toJSON() {
        return { depth: 3 }
      }
    }
    expect(json(new Tree())).toEqual({ $type: 'Tree', depth: 3 })
    expect(json(function train() {})).toEqual({
      $type: 'Function',
      name: 'train',
    })
    expect(json(Symbol('seed'))).toEqual({
      $type: 'Symbol',
      description: 'seed',
    })
  })

  it('ends cycles instead of recursing forever', () => {
    const node: Record<string, unknown> = { name: 'root' }
    node.self = node
    node.children = [node]
    expect(json(node)).toEqual({
      name: 'root',
      self: { $type: 'Circular' },
      children: [{ $type: 'Circular' }],
    })
  })

  it('cuts huge strings, arrays and objects and records their true size', () => {
    const limits = resolveCaptureLimits({
      maxStringLength: 5,
      maxItems: 3,
      maxKeys: 2,
    })
    const small = (value: unknown) =>
      toJsonSafe(value, { limits, redact: createRedactor() })
    expect(small('abcdefgh')).toEqual({
      json: { $type: 'String', length: 8, head: 'abcde' },
      truncated: true,
    })
    expect(
      small(Array.from({ length: 1_000_000 }, (_, index) => index)),
    ).toEqual({
      json: { $type: 'Array', length: 1_000_000, items: [0, 1, 2] },
      truncated: true,
    })
    expect(small({ a: 1, b: 2, c: 3, d: 4 })).toEqual({
      json: { a: 1, b: 2, $truncatedKeys: 2 },
      truncated: true,
    })
    expect(small([1, 2]).truncated).toBe(false)
  })

  it('stops at the depth limit', () => {
    const limits = resolveCaptureLimits({ maxDepth: 2 })
    expect(
      toJsonSafe({ a: { b: { c: 1 } } }, { limits, redact: createRedactor() }),
    ).toEqual({
      json: { a: { b: { $type: 'Object', truncated: true } } },
      truncated: true,
    })
  })

  it('survives getters that throw and proxies that refuse to be read', () => {
    const trap = {
      get broken() {
        throw new Error('no access')
      },
      fine: 1,
    }
    expect(json(trap)).toEqual({
      broken: { $type: 'Unreadable', message: 'Error: no access' },
      fine: 1,
    })
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys')
        },
      },
    )
    expect(json({ hostile })).toEqual({
      hostile: { $type: 'Unreadable', message: 'Error: no keys' },
    })
  })

  it('redacts secrets by key at any depth, in objects and Maps', () => {
    expect(
      json({
        user: 'ada',
        password: 'hunter2',
        nested: { apiKey: 'sk-1', headers: { Authorization: 'Bearer x' } },
        settings: new Map([['client_secret', 'abc']]),
      }),
    ).toEqual({
      user: 'ada',
      password: '[REDACTED]',
      nested: {
        apiKey: '[REDACTED]',
        headers: { Authorization: '[REDACTED]' },
      },
      settings: {
        $type: 'Map',
        size: 1,
        entries: [['client_secret', '[REDACTED]']],
      },
    })
  })

  it('lets a replace hook stand in for chosen objects, with their path', () => {
    const special = { big: true }
    const seen: (string | number)[][] = []
    const result = toJsonSafe(
      { rows: [1, special] },
      {
        ...options,
        replace: (value, path) => {
          if (value !== special) return undefined
          seen.push([...path])
          return { $artifact: 'x' }
        },
      },
    )
    expect(result.json).toEqual({ rows: [1, { $artifact: 'x' }] })
    expect(seen).toEqual([['rows', 1]])
  })

  it('never throws on hostile values and records what it cannot read as Unreadable', () => {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {})
    revoke()
    const everyTrapThrows = new Proxy(
      {},
      {
        get() {
          throw new Error('get')
        },
        getPrototypeOf() {
          throw new Error('getPrototypeOf')
        },
        ownKeys() {
          throw new Error('ownKeys')
        },
      },
    )
    const throwsNullPrototype = {
      get field(): never {
        throw Object.create(null)
      },
    }
    class Named {
      static get name(): never {
        throw new Error('name')
      }
    }
    const hostile = {
      revoked,
      everyTrapThrows,
      throwsNullPrototype,
      Named,
      frozen: Object.freeze({ a: 1 }),
      bare: Object.assign(Object.create(null), { b: 2 }),
      symbol: Symbol('seed'),
      big: 2n ** 70n,
    }
    const described = json(hostile) as Record<string, unknown>
    expect(described.revoked).toMatchObject({ $type: 'Unreadable' })
    expect(described.everyTrapThrows).toMatchObject({ $type: 'Unreadable' })
    expect(described.throwsNullPrototype).toEqual({
      field: {
        $type: 'Unreadable',
        message: 'a value that cannot be shown as text ([object Object])',
      },
    })
    expect(described.Named).toEqual({ $type: 'Function', name: '' })
    expect(described.frozen).toEqual({ a: 1 })
    expect(described.bare).toEqual({ b: 2 })
    expect(described.big).toEqual({
      $type: 'BigInt',
      value: '1180591620717411303424',
    })
    expect(json(revoked)).toMatchObject({ $type: 'Unreadable' })
    expect(JSON.parse(JSON.stringify(described))).toEqual(described)
  })

  it('keeps the readable fields of an error whose stack getter throws', () => {
    const error = new Error('disk full')
    Object.defineProperty(error, 'stack', {
      get() {
        throw new Error('no stack')
      },
    })
    expect(json(error)).toMatchObject({
      $type: 'Error',
      name: 'Error',
      message: 'disk full',
      stack: { $type: 'Unreadable', message: 'Error: no stack' },
    })
  })

  it('keeps a failing replace hook away from the caller', () => {
    const result = toJsonSafe(
      { rows: [{}] },
      {
        ...options,
        replace: () => {
          throw new Error('hook broke')
        },
      },
    )
    expect(result.json).toEqual({
      $type: 'Unreadable',
      message: 'Error: hook broke',
    })
  })

  it('redacts secrets inside strings, messages, stacks, URL objects and keys', () => {
    const error = new Error('login to postgres://ada:pw-in-error@db/x failed')
    const described = JSON.stringify(
      json({
        note: 'call with Bearer opaque-token.42',
        dsn: 'Server=db;Password=pw-in-dsn;',
        endpoint: new URL('https://ada:pw-in-url@example.com/v1'),
        error,
        'token=pw-in-key': 1,
        long: `${'x'.repeat(995)} sk-abcdefghijklmnopqrstuvwxyz`,
      }),
    )
    for (const secret of [
      'opaque-token',
      'pw-in-dsn',
      'pw-in-url',
      'pw-in-error',
      'pw-in-key',
      'sk-abcde',
    ])
      expect(described).not.toContain(secret)
    expect(described).toContain('https://ada:***@example.com/v1')
  })

  it('redacts { name, value } pairs and header arrays by the name', () => {
    expect(
      json({
        env: [
          { name: 'password', value: 'p1' },
          { name: 'epochs', value: 3 },
          { Key: 'API_KEY', Value: 'p2' },
        ],
        headers: ['Authorization', 'Bearer x', 'Accept', 'text/plain'],
        pairs: [
          ['x-api-key', 'p3'],
          ['host', 'db'],
        ],
      }),
    ).toEqual({
      env: [
        { name: 'password', value: '[REDACTED]' },
        { name: 'epochs', value: 3 },
        { Key: 'API_KEY', Value: '[REDACTED]' },
      ],
      headers: ['Authorization', '[REDACTED]', 'Accept', 'text/plain'],
      pairs: [
        ['x-api-key', '[REDACTED]'],
        ['host', 'db'],
      ],
    })
  })

  it('keeps lists of ordinary names as they are', () => {
    expect(json(['id', 'author', 'tokens', 'email'])).toEqual([
      'id',
      'author',
      'tokens',
      'email',
    ])
  })
})
