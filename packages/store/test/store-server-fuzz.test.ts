import fc from 'fast-check'
import type { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  artifactSchema,
  contextSchema,
  eventSchema,
  executionSchema,
  listQuerySchema,
  metricPointSchema,
  putExecutionRequestSchema,
} from '../src/index.js'
import { storeRoutes } from '../src/server/index.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'

/*
 * Random input thrown at a real server. Whatever arrives, the answer is a 2xx or a 4xx (never
 * a 5xx or a dropped connection) and the server keeps answering /health.
 */

const keysOf = (schema: z.ZodType): string[] =>
  Object.keys((schema as unknown as { shape?: object }).shape ?? {})

const fieldNames = [
  ...new Set([
    ...keysOf(artifactSchema),
    ...keysOf(executionSchema),
    ...keysOf(contextSchema),
    ...keysOf(eventSchema),
    ...keysOf(listQuerySchema),
    ...keysOf(putExecutionRequestSchema),
    ...keysOf(metricPointSchema),
    'artifact',
    'event',
    'accuracy',
    'rows',
    'artifactId',
    'executionId',
    'contextId',
    'key',
    'value',
    'step',
  ]),
]

const words = fc.constantFrom(
  'Dataset',
  'Model',
  'Train',
  'Pipeline',
  'LIVE',
  'COMPLETE',
  'INPUT',
  'OUTPUT',
  "x' OR 1=1 --",
  "'; DROP TABLE artifact; --",
  '"; DELETE FROM execution; --',
  '\u0000',
  '%',
  '',
  '__proto__',
  'constructor',
)

/** JSON values of no particular shape. */
const anyValue = fc.oneof(
  words,
  fc.string(),
  fc.integer({ min: -2, max: 6 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)

const smallId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.integer() },
)

/**
 * Records made of the store's own field names, each with a plausible value most of the time,
 * so requests get past the outer checks and into the store's own logic.
 */
const storeObject: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
  object: Record<string, unknown>
}>((tie) => ({
  object: fc
    .subarray(fieldNames, { maxLength: 4 })
    .chain((keys) =>
      fc.record(
        Object.fromEntries(
          keys.map((key) => [key, valueFor(key, tie('object'))]),
        ),
      ),
    ),
})).object

function valueFor(
  key: string,
  nested: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<unknown> {
  if (key === 'id' || key.endsWith('Id')) return fc.oneof(smallId, anyValue)
  if (key.endsWith('Ids')) return fc.array(smallId, { maxLength: 3 })
  if (key === 'properties' || key === 'customProperties') {
    return fc.dictionary(
      fc.constantFrom('accuracy', 'rows', 'owner', ''),
      fc.oneof(fc.double(), fc.integer(), words, fc.constant({ a: [1] })),
      { maxKeys: 3 },
    )
  }
  if (key === 'path') {
    return fc.array(fc.oneof(fc.string(), fc.nat(), fc.integer()), {
      maxLength: 3,
    })
  }
  if (['execution', 'artifact', 'event', 'query', 'request'].includes(key)) {
    return fc.oneof(
      { weight: 4, arbitrary: nested },
      { weight: 1, arbitrary: anyValue },
    )
  }
  if (['artifactEventPairs', 'contexts', 'requests'].includes(key)) {
    return fc.array(nested, { maxLength: 3 })
  }
  return fc.oneof(
    { weight: 3, arbitrary: words },
    { weight: 1, arbitrary: anyValue },
  )
}

const filterPieces = fc.constantFrom(
  'type',
  'name',
  'uri',
  'properties.accuracy',
  'custom_properties.owner',
  'contexts.name',
  '=',
  '!=',
  '>',
  'LIKE',
  'IN',
  'AND',
  'OR',
  'NOT',
  'IS NULL',
  '(',
  ')',
  ',',
  "'Model'",
  "'x'' OR 1=1 --'",
  '0.9',
  '-1e308',
  ';',
  'DROP TABLE artifact',
  '--',
  '`',
  '"',
)

const operations = [
  ...storeRoutes.map((route) => route.operation),
  'createToken',
  'drop',
  '../health',
]

describe('store server under random input', () => {
  let served: ServedStore

  beforeAll(async () => {
    served = await serveStore({ maxDepth: 16 })
    await served.store.putArtifactType({
      name: 'Dataset',
      properties: { rows: 'INT' },
    })
    await served.store.putArtifactType({
      name: 'Model',
      properties: { accuracy: 'DOUBLE' },
    })
    await served.store.putExecutionType({ name: 'Train' })
    await served.store.putContextType({ name: 'Pipeline' })
    await served.store.putExecution({
      execution: { type: 'Train' },
      artifactEventPairs: [
        {
          artifact: { type: 'Dataset', uri: 's3://d' },
          event: { type: 'INPUT' },
        },
      ],
      contexts: [{ type: 'Pipeline', name: 'p' }],
    })
  })
  afterAll(() => served.close())

  async function expectStillUp(): Promise<void> {
    const health = await fetch(`${served.url}/health`)
    expect(health.status).toBe(200)
  }

  it('answers random JSON on every route with a 2xx or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.jsonValue({ maxDepth: 5 }),
        async (operation, body) => {
          const { status } = await served.post(
            `/v1/${operation}`,
            JSON.stringify(body),
          )
          expect(status).toBeGreaterThanOrEqual(200)
          expect(status).toBeLessThan(500)
        },
      ),
      { numRuns: 250 },
    )
    await expectStillUp()
  })

  it('answers bodies shaped like the store arguments with a 2xx or a 4xx', async () => {
    const bodies = fc.constantFrom(...storeRoutes).chain((route) =>
      fc.tuple(
        fc.constant(route.operation),
        fc
          .subarray([...keysOf(route.body), 'extra'], {
            maxLength: Math.min(3, keysOf(route.body).length + 1),
          })
          .chain((keys) =>
            fc.record(
              Object.fromEntries(
                keys.map((key) => [
                  key,
                  fc.oneof(
                    {
                      weight: 4,
                      arbitrary: fc.array(storeObject, { maxLength: 4 }),
                    },
                    { weight: 2, arbitrary: storeObject },
                    { weight: 1, arbitrary: valueFor(key, storeObject) },
                  ),
                ]),
              ),
            ),
          ),
      ),
    )
    await fc.assert(
      fc.asyncProperty(bodies, async ([operation, body]) => {
        const { status, json } = await served.post(`/v1/${operation}`, body)
        expect(status, JSON.stringify(json)).toBeLessThan(500)
        if (status >= 400) expect(typeof json.error.message).toBe('string')
      }),
      { numRuns: 400 },
    )
    await expectStillUp()
  })

  it('answers random filters with a 200 or a 400, never SQL errors', async () => {
    const filters = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .array(filterPieces, { maxLength: 12 })
        .map((pieces) => pieces.join(' ')),
    )
    await fc.assert(
      fc.asyncProperty(filters, async (filter) => {
        const { status, json } = await served.post('/v1/getArtifacts', {
          query: { filter },
        })
        expect([200, 400], JSON.stringify(json)).toContain(status)
      }),
      { numRuns: 300 },
    )
    expect((await served.store.getArtifacts()).items.length).toBeGreaterThan(0)
    await expectStillUp()
  })

  it('answers random text sent as JSON with a 2xx or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(fc.constantFrom('[', '{', ']', '}', '"', ':', ',', '1'), {
              maxLength: 200,
            })
            .map((characters) => characters.join('')),
        ),
        async (operation, text) => {
          const { status } = await served.post(`/v1/${operation}`, text)
          expect(status).toBeGreaterThanOrEqual(200)
          expect(status).toBeLessThan(500)
        },
      ),
      { numRuns: 250 },
    )
    await expectStillUp()
  })
})
