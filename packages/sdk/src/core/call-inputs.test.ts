import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultCaptureLimits } from '../capture/capture-limits.js'
import {
  identityTracker,
  newTrackedArtifact,
} from '../capture/identity-tracker.js'
import { copyPlain, readPlain } from '../capture/plain-copy.js'
import { createRedactor } from '../capture/redact.js'
import { Serializer } from '../capture/safe-serialize.js'
import { sizeInputs, snapshotInputs } from './call-inputs.js'
import { StepDefinition } from './step-definition.js'

// Two parameters: a single plain-object argument would be named by its own keys.
function train(config: unknown, seed: unknown): unknown {
  return [config, seed]
}
const definition = new StepDefinition(train, {}, undefined)
const serialize = (value: unknown) =>
  new Serializer({
    limits: defaultCaptureLimits,
    redact: createRedactor(),
  }).serialize(value)

// Plain data as users pass it, with what a copy must keep exactly: -0, NaN, undefined,
// `__proto__` and secret-looking keys, token-like strings, long strings and deep nesting.
const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('__proto__', 'password', 'apiKey', 'name', 'value', '0'),
)
const leaf = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, undefined, null, true, false),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    'postgres://user:pa55@db/x',
    'Bearer abc.def.ghi',
    'ghp_0123456789abcdefghij0123456789abcdef',
    'x'.repeat(1_200),
  ),
)
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 6 }),
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 6 })
      .map((entries) => JSON.parse(JSON.stringify(toObject(entries)))),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map(toObject),
  ),
})).value

function toObject(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  for (const [name, item] of entries)
    Object.defineProperty(object, name, {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return object
}

describe('copyPlain', () => {
  it('serialises to exactly what the value itself serialises to', () => {
    let copied = 0
    fc.assert(
      fc.property(plain, (value) => {
        const copy = copyPlain(value, defaultCaptureLimits, () => false)
        if (copy === undefined) return
        copied++
        expect(serialize(readPlain(copy))).toStrictEqual(serialize(value))
      }),
      { numRuns: 2_000 },
    )
    // Not vacuous: most generated values are plain data within the limits.
    expect(copied).toBeGreaterThan(1_000)
  })

  it('keeps every copy whole across many blocks', () => {
    const values = Array.from({ length: 3_000 }, (_, index) => ({
      index,
      stats: { mean: index / 3, tags: ['a', `t${index}`] },
    }))
    const copies = values.map((value) =>
      copyPlain(value, defaultCaptureLimits, () => false)!,
    )
    expect(new Set(copies.map((copy) => copy.block)).size).toBeGreaterThan(1)
    copies.forEach((copy, index) =>
      expect(readPlain(copy)).toStrictEqual(values[index]),
    )
  })

  it('gives up on what is not plain data, so that it is serialised the slow way', () => {
    const limits = defaultCaptureLimits
    const deep = JSON.parse('['.repeat(20) + ']'.repeat(20)) as unknown
    for (const value of [
      new Map([[1, 2]]),
      { when: new Date(0) },
      [1n],
      { fn: () => 1 },
      { bytes: new Uint8Array(2) },
      deep,
      Array.from({ length: limits.maxItems + 1 }, () => 0),
    ])
      expect(copyPlain(value, limits, () => false)).toBeUndefined()
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(copyPlain(cycle, limits, () => false)).toBeUndefined()
    // An enumerable key assigned to Object.prototype would be listed as every object's own.
    Object.defineProperty(Object.prototype, 'polluted', {
      value: 1,
      enumerable: true,
      writable: true,
      configurable: true,
    })
    try {
      expect(copyPlain({ a: 1 }, limits, () => false)).toBeUndefined()
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted
    }
    expect(copyPlain({ a: 1 }, limits, () => false)).toBeDefined()
    const tracked = { rows: [1] }
    expect(copyPlain({ tracked }, limits, (o) => o === tracked)).toBe(undefined)
  })
})

describe('snapshotInputs', () => {
  it('records what a step was given, though the step changes it after', () => {
    const config = { lr: 0.1, layers: [64, 32], name: 'base' }
    const inputs = snapshotInputs(definition, [config, 7])
    config.lr = 0.5
    config.layers.push(16)
    config.name = 'changed'
    expect(inputs.params).toStrictEqual({
      config: { lr: 0.1, layers: [64, 32], name: 'base' },
      seed: 7,
    })
  })

  it('keeps the parameters in the order of the arguments', () => {
    function fit(a: unknown, b: unknown, c: unknown) {
      return [a, b, c]
    }
    const inputs = snapshotInputs(new StepDefinition(fit, {}, undefined), [
      { x: 1 },
      2,
      new Map([['k', 1]]),
    ])
    expect(Object.keys(inputs.params)).toStrictEqual(['a', 'b', 'c'])
    expect(inputs.params.a).toStrictEqual({ x: 1 })
  })

  it('redacts a copied argument as it redacts any other', () => {
    const inputs = snapshotInputs(definition, [
      { password: 'hunter2', url: 'postgres://u:s3cret@db/x' },
      1,
    ])
    expect(JSON.stringify(inputs.params)).not.toMatch(/hunter2|s3cret/)
  })

  it('moves a copied argument too large for a parameter to the large inputs', () => {
    const big = { rows: Array.from({ length: 40 }, () => 'r'.repeat(200)) }
    const inputs = snapshotInputs(definition, [big, 1])
    sizeInputs(inputs, definition.limits.maxParamBytes)
    expect(inputs.params).toStrictEqual({ seed: 1 })
    expect(inputs.large.map((input) => input.value)).toStrictEqual([big])
  })

  it('finds an artifact inside an argument, which a copy does not take', () => {
    const rows = [{ id: 1 }]
    identityTracker.set(rows, newTrackedArtifact('Dataset', 'rows'))
    const inputs = snapshotInputs(definition, [{ rows, seed: 1 }, 2])
    expect(inputs.references).toHaveLength(1)
    expect(inputs.params.config).toMatchObject({ seed: 1 })
  })

  it('copies an argument whose getter takes a snapshot of its own', () => {
    const inner = { depth: 2 }
    const outer = {
      get nested() {
        return snapshotInputs(definition, [inner, 1]).params
      },
    }
    const inputs = snapshotInputs(definition, [outer, 2])
    expect(inputs.params).toStrictEqual({
      config: { nested: { config: { depth: 2 }, seed: 1 } },
      seed: 2,
    })
  })

  it('records a getter that throws as unreadable, and nothing else is lost', () => {
    function fit(a: unknown, b: unknown) {
      return [a, b]
    }
    const inputs = snapshotInputs(new StepDefinition(fit, {}, undefined), [
      {
        get broken(): never {
          throw Object.create(null)
        },
      },
      { fine: true },
    ])
    expect(inputs.params.a).toMatchObject({
      broken: { $type: 'Unreadable' },
    })
    expect(inputs.params.b).toStrictEqual({ fine: true })
  })
})
