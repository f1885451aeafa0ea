import fc from 'fast-check'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { LoreError } from './lore-error.js'
import { putExecutionRequestSchema } from './request-schemas.js'
import { validateInput } from './validate-input.js'
import { validRequest, validRequests } from './valid-requests.js'

const batchSchema = z.array(putExecutionRequestSchema)

/** Keys in order, all the way down: zod copies objects in its shapes' order. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder)
  if (typeof value !== 'object' || value === null) return value
  return Object.entries(value).map(([key, item]) => [key, keyOrder(item)])
}

/** What zod answers: the copy, or the error's message and issues. */
function byZod(requests: unknown): unknown {
  try {
    return keyOrder(validateInput(batchSchema, requests, 'requests'))
  } catch (error) {
    return {
      error: (error as LoreError).message,
      issues: (error as LoreError).issues,
    }
  }
}

function byFastPath(requests: unknown): unknown {
  try {
    return keyOrder(validRequests(requests, 'requests'))
  } catch (error) {
    return {
      error: (error as LoreError).message,
      issues: (error as LoreError).issues,
    }
  }
}

// Valid-looking values with the odd hostile one among them, so that both sides of every rule
// come up: NUL and lone surrogates, empty and long strings, unsafe and negative integers.
const text = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', '\u0000', 'a\ud800', '\udc00b', 'x'.repeat(1025)),
)
const integer = fc.oneof(
  fc.integer({ min: -2, max: 1_000 }),
  fc.constantFrom(0, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
)
const value = fc.oneof(
  text,
  integer,
  fc.boolean(),
  fc.constantFrom(null, undefined, { a: [1, 'b'] }, [{ k: '\ud800' }], {
    deep: { n: Number.NaN },
  }),
)
const properties = fc.oneof(
  fc.dictionary(text, value, { maxKeys: 3 }),
  fc.constantFrom(null, [], 'p', new Map()),
)
const maybe = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.option(arbitrary, { nil: undefined })
const node = (own: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(
    {
      id: integer,
      typeId: integer,
      type: text,
      externalId: text,
      properties,
      customProperties: properties,
      createTimeSinceEpoch: integer,
      lastUpdateTimeSinceEpoch: integer,
      ...own,
      unknownField: fc.constant(1),
      undefinedField: fc.constant(undefined),
    },
    { requiredKeys: [] },
  )
const execution = node({
  name: text,
  lastKnownState: fc.constantFrom('COMPLETE', 'RUNNING', 'DONE'),
  startTimeSinceEpoch: integer,
  endTimeSinceEpoch: integer,
  error: fc.oneof(
    fc.record(
      { name: text, message: text, stack: maybe(text) },
      { requiredKeys: [] },
    ),
    fc.constant('boom'),
  ),
  cacheKey: text,
  codeVersion: text,
})
const artifact = node({
  name: text,
  uri: text,
  version: text,
  fingerprint: text,
  state: fc.constantFrom('LIVE', 'PENDING', 'GONE'),
})
const context = node({ name: text })
const event = fc.record(
  {
    type: fc.constantFrom('INPUT', 'OUTPUT', 'SIDEWAYS'),
    path: fc.oneof(
      fc.array(fc.oneof(text, integer), { maxLength: 3 }),
      fc.constant(Array.from({ length: 33 }, () => 0)),
    ),
    millisecondsSinceEpoch: integer,
  },
  { requiredKeys: [] },
)
const metric = fc.record(
  {
    key: text,
    value: integer,
    step: maybe(integer),
    timestampMs: integer,
    externalId: text,
  },
  { requiredKeys: [] },
)
const request = fc.record(
  {
    execution,
    artifactEventPairs: maybe(
      fc.array(
        fc.record({ artifact, event: maybe(event) }, { requiredKeys: [] }),
        {
          maxLength: 3,
        },
      ),
    ),
    contexts: maybe(fc.array(context, { maxLength: 2 })),
    metrics: maybe(fc.array(metric, { maxLength: 2 })),
    options: maybe(
      fc.record(
        {
          reuseContextIfAlreadyExist: fc.oneof(fc.boolean(), fc.constant(1)),
          reuseArtifactIfAlreadyExistByExternalId: fc.boolean(),
          reuseExecutionIfAlreadyExistByExternalId: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
)

describe('validRequests', () => {
  it('gives what zod gives, copy or error, for generated requests valid and invalid', () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.array(request, { maxLength: 3 }), (requests) => {
        const answer = byZod(requests)
        if (Array.isArray(answer)) accepted++
        expect(byFastPath(requests)).toStrictEqual(answer)
      }),
      { numRuns: 3_000 },
    )
    // Both sides of the rules come up: valid batches as well as refused ones.
    expect(accepted).toBeGreaterThan(300)
    expect(accepted).toBeLessThan(2_700)
  })

  it('copies a step record the way zod does, defaults filled in, and shares no object with it', () => {
    const given = {
      execution: {
        type: 'Train',
        name: 'train',
        properties: { epochs: 3, config: { layers: [1, 2] } },
      },
      artifactEventPairs: [
        {
          artifact: { type: 'Dataset', uri: 's3://d', properties: { rows: 1 } },
          event: { type: 'INPUT' as const, path: ['inputs', 0] },
        },
      ],
      contexts: [{ id: 1 }],
      metrics: [{ key: 'loss', value: 0.5 }],
    }
    const [valid] = validRequests([given], 'requests')
    expect(valid).toStrictEqual(
      validateInput(batchSchema, [given], 'requests')[0],
    )
    expect(valid?.metrics[0]?.step).toBe(0)
    expect(valid?.execution).not.toBe(given.execution)
    expect(valid?.artifactEventPairs[0]?.event?.path).not.toBe(
      given.artifactEventPairs[0]?.event.path,
    )
  })

  it('names the field and the value of a bad request, as validateInput does', () => {
    const bad = [
      { execution: { type: 'Train' } },
      { execution: { type: 'Train', name: 'a\u0000b' } },
    ]
    expect(() => validRequests(bad, 'requests')).toThrow(
      "invalid requests[1].execution.name: holds a NUL character (U+0000) at index 1, which the databases cannot store; remove it, or record binary data as an artifact (given: 'a\u0000b')",
    )
    expect(() => validRequest({ execution: 'x' }, 'request')).toThrow(
      "invalid request.execution: Invalid input: expected object, received string (given: 'x')",
    )
  })

  it('refuses NUL and lone surrogates anywhere in a STRUCT property, and keeps a paired one', () => {
    const struct = (value: unknown) => [
      { execution: { type: 'Train', customProperties: { params: value } } },
    ]
    for (const bad of [
      { a: { b: ['x\u0000'] } },
      { ['k\ud800']: 1 },
      [['\udc00y']],
    ]) {
      expect(() => validRequests(struct(bad), 'requests')).toThrow(
        /customProperties\.params/,
      )
    }
    for (const good of [{ a: '😀' }, { ['\\u0000']: '\\ud800' }]) {
      expect(validRequests(struct(good), 'requests')[0]?.execution).toEqual({
        type: 'Train',
        customProperties: { params: good },
      })
    }
  })

  it('leaves a getter, a class instance and a non-array batch to zod', () => {
    class Properties {
      rows = 1
    }
    const odd: unknown[] = [
      [{ execution: { type: 'T', properties: new Properties() } }],
      [
        {
          execution: {
            type: 'T',
            get name() {
              return 'n'
            },
          },
        },
      ],
      { length: 1, 0: { execution: { type: 'T' } } },
      [Object.assign(Object.create(null), { execution: { type: 'T' } })],
    ]
    for (const requests of odd)
      expect(byFastPath(requests)).toStrictEqual(byZod(requests))
  })
})
