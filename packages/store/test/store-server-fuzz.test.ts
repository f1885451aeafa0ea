import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  openStore,
  putExecutionRequestSchema,
  type MetadataStore,
} from '../src/index.js'
import { storeRoutes } from '../src/server/index.js'
import {
  serveStore,
  storeContents,
  type ServedStore,
} from './fixtures/serve-store.js'
import {
  mysqlServer,
  postgresServer,
  requireDialects,
} from './fixtures/server-databases.js'

/*
 * Random and hostile input thrown at a real server over each backend. Whatever arrives, the
 * answer is a 2xx or a 4xx (never a 5xx or a dropped connection), a refused request leaves
 * the stored data as it was, and the server keeps answering /health. The figures (requests
 * and answers per backend) are printed at the end of each backend's run.
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
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufffd',
  '%',
  '',
  '__proto__',
  'constructor',
)

/** Numbers a database refuses: past 64 bits, past 2^53, fractional where integers belong. */
const hostileNumbers = fc.constantFrom(
  2 ** 70,
  -(2 ** 64),
  Number.MAX_SAFE_INTEGER + 2,
  1.5,
  -0.25,
  1e308,
  -1e308,
  5e-324,
)

/** JSON values of no particular shape. */
const anyValue = fc.oneof(
  words,
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer({ min: -2, max: 6 }),
  hostileNumbers,
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)

const smallId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: hostileNumbers },
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
      fc.oneof(
        fc.double(),
        fc.integer(),
        hostileNumbers,
        words,
        fc.constant({ a: [1] }),
      ),
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
  '1e309',
  '18446744073709551616',
  '1.5',
  'id',
  'create_time_since_epoch',
  "'\u0000'",
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

const readOperations = new Set(
  storeRoutes
    .filter((route) => route.scope === 'read')
    .map((route) => route.operation),
)

/** A page token as the store makes one (base64url JSON `[value, id, digest]`), forged. */
const forgedPageToken = fc
  .tuple(
    fc.oneof(anyValue, fc.constant(2 ** 70), fc.constant('\u0000')),
    fc.oneof(smallId, anyValue),
    fc.oneof(fc.string({ maxLength: 20 }), anyValue),
  )
  .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url'))

/** Bodies whose text JSON.stringify cannot make: numbers past a double, broken escapes. */
const hostileTexts = fc.constantFrom(
  '{"query":{"limit":1e309}}',
  '{"query":{"ids":[1e400]}}',
  '{"artifacts":[{"type":"Dataset","uri":"\\ud800"}]}',
  '{"artifacts":[{"type":"Dataset","name":"a\\u0000b"}]}',
  '{"query":{"filter":"uri = \'\\udc00\'"}}',
  '{"contextId":18446744073709551616}',
  '{"query":{"pageToken":"\\u0000"}}',
  '{"artifacts":[{"type":"Dataset","properties":{"rows":1e309}}]}',
)

/** Where a backend's stores come from. */
interface Backend {
  name: string
  skip?: string | undefined
  open(): Promise<MetadataStore>
  cleanUp(): Promise<void>
}

const directory = mkdtempSync(join(tmpdir(), 'lore-fuzz-'))
const postgres = await postgresServer()
const mysql = await mysqlServer()
const unreachable = (server: typeof postgres) =>
  server.unreachable !== undefined && !requireDialects
    ? server.unreachable
    : undefined

const backends: Backend[] = [
  {
    name: 'SQLite in memory',
    open: () => openStore('sqlite::memory:'),
    cleanUp: async () => {},
  },
  {
    name: 'SQLite file',
    open: () => openStore(`sqlite:${join(directory, 'fuzz.db')}`),
    cleanUp: async () => rmSync(directory, { recursive: true, force: true }),
  },
  {
    name: 'PostgreSQL',
    skip: unreachable(postgres),
    open: async () => openStore(await postgres.fresh()),
    cleanUp: () => postgres.dropAll(),
  },
  {
    name: 'MySQL',
    skip: unreachable(mysql),
    open: async () => openStore(await mysql.fresh()),
    cleanUp: () => mysql.dropAll(),
  },
]

/** How many runs each property makes; LORE_FUZZ_RUNS scales them (1 = as written). */
const scale = Number(process.env.LORE_FUZZ_RUNS ?? 1) || 1
const runs = (count: number) => Math.max(1, Math.round(count * scale))

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(
    `store server under random input: ${backend.name}${backend.skip === undefined ? '' : ` — skipped, unreachable (${backend.skip})`}`,
    () => {
      let served: ServedStore
      let contents: unknown
      const figures = { requests: 0, ok: 0, refused: 0, checkedUnchanged: 0 }

      beforeAll(async () => {
        served = await serveStore({ maxDepth: 16 }, await backend.open())
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
          execution: { type: 'Train', name: 'train' },
          artifactEventPairs: [
            {
              artifact: { type: 'Dataset', uri: 's3://d', name: 'd' },
              event: { type: 'INPUT' },
            },
          ],
          contexts: [{ type: 'Pipeline', name: 'p' }],
        })
        contents = await storeContents(served.store)
      }, 60_000)
      afterAll(async () => {
        console.log(
          `fuzz figures, ${backend.name}: ${figures.requests} requests, ${figures.ok} answered 2xx, ${figures.refused} answered 4xx, data checked unchanged after ${figures.checkedUnchanged} refused requests, 0 answered 5xx`,
        )
        await served?.close()
        await backend.cleanUp()
      })

      /**
       * Send one request and check the answer: below 500, with an error message when refused,
       * and after a refusal the same stored data as before it.
       */
      async function send(
        operation: string,
        body: string | object | Buffer,
      ): Promise<number> {
        figures.requests++
        let status: number
        let json: any
        if (Buffer.isBuffer(body)) {
          const response = await fetch(`${served.url}/v1/${operation}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
          status = response.status
          json = await response.json().catch(() => undefined)
        } else {
          ;({ status, json } = await served.post(`/v1/${operation}`, body))
        }
        expect(status, JSON.stringify(json)).toBeGreaterThanOrEqual(200)
        expect(status, JSON.stringify(json)).toBeLessThan(500)
        if (status >= 400) {
          figures.refused++
          expect(typeof json?.error?.message, JSON.stringify(json)).toBe(
            'string',
          )
          expect(JSON.stringify(json)).not.toMatch(/\n\s+at /)
          expect(await storeContents(served.store)).toEqual(contents)
          figures.checkedUnchanged++
        } else {
          figures.ok++
          if (!readOperations.has(operation))
            contents = await storeContents(served.store)
        }
        return status
      }

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
              await send(operation, JSON.stringify(body))
            },
          ),
          { numRuns: runs(250) },
        )
        await expectStillUp()
      })

      it('answers bodies shaped like the store arguments, with hostile values, with a 2xx or a 4xx', async () => {
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
            await send(operation, body)
          }),
          { numRuns: runs(400) },
        )
        await expectStillUp()
      })

      it('answers writes that are valid but for a hostile value with a 2xx or a 4xx', async () => {
        // Mostly plain values, so that many writes are stored and the refused ones differ
        // from them by one hostile value.
        const text = fc.oneof(
          { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
          { weight: 1, arbitrary: words },
        )
        const number = fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
          { weight: 1, arbitrary: hostileNumbers },
        )
        const writes = fc.oneof(
          fc
            .record(
              {
                type: fc.constantFrom('Dataset', 'Model', 'Nope'),
                uri: text,
                name: text,
                externalId: text,
                state: fc.constantFrom('LIVE', 'PENDING', 'LIVE', 'live'),
                properties: fc.dictionary(
                  fc.constantFrom('rows', 'accuracy'),
                  fc.oneof(number, text),
                  { maxKeys: 2 },
                ),
                customProperties: fc.dictionary(text, anyValue, { maxKeys: 2 }),
                createTimeSinceEpoch: number,
              },
              { requiredKeys: ['type'] },
            )
            .map((artifact) => ({
              operation: 'putArtifacts',
              body: { artifacts: [artifact] },
            })),
          fc
            .record(
              {
                type: fc.constantFrom('Train', 'Nope'),
                name: text,
                lastKnownState: fc.constantFrom('COMPLETE', 'RUNNING', 'DONE'),
                startTimeSinceEpoch: number,
                endTimeSinceEpoch: number,
                cacheKey: text,
              },
              { requiredKeys: ['type'] },
            )
            .map((execution) => ({
              operation: 'putExecutions',
              body: { executions: [execution] },
            })),
          fc
            .record({ type: fc.constantFrom('Pipeline', 'Nope'), name: text })
            .map((context) => ({
              operation: 'putContexts',
              body: { contexts: [context] },
            })),
          fc
            .record({
              artifactId: smallId,
              executionId: smallId,
              type: fc.constantFrom('INPUT', 'OUTPUT', 'PENDING_OUTPUT', 'x'),
              path: fc.array(fc.oneof(text, number), { maxLength: 2 }),
              millisecondsSinceEpoch: number,
            })
            .map((event) => ({
              operation: 'putEvents',
              body: { events: [event] },
            })),
          fc
            .record({
              executionId: smallId,
              key: text,
              value: fc.oneof(fc.double(), number),
              step: number,
              timestampMs: number,
            })
            .map((point) => ({
              operation: 'putMetrics',
              body: { metrics: [point] },
            })),
          fc
            .record({
              name: text,
              uri: text,
              externalId: text,
              contextName: text,
              reuse: fc.boolean(),
            })
            .map(({ name, uri, externalId, contextName, reuse }) => ({
              operation: 'putExecution',
              body: {
                execution: { type: 'Train', name },
                artifactEventPairs: [
                  {
                    artifact: { type: 'Dataset', uri, externalId },
                    event: { type: 'INPUT' },
                  },
                ],
                contexts: [{ type: 'Pipeline', name: contextName }],
                options: {
                  reuseContextIfAlreadyExist: reuse,
                  reuseArtifactIfAlreadyExistByExternalId: reuse,
                },
              },
            })),
        )
        await fc.assert(
          fc.asyncProperty(writes, async ({ operation, body }) => {
            await send(operation, body)
          }),
          { numRuns: runs(400) },
        )
        await expectStillUp()
      })

      it('answers random filters on every list and lineage route with a 200 or a 400, never SQL errors', async () => {
        const filters = fc.oneof(
          fc.string({ maxLength: 80 }),
          fc
            .array(filterPieces, { maxLength: 12 })
            .map((pieces) => pieces.join(' ')),
        )
        const requests = fc.oneof(
          fc
            .tuple(
              fc.constantFrom('getArtifacts', 'getExecutions', 'getContexts'),
              filters,
            )
            .map(([operation, filter]) => ({
              operation,
              body: { query: { filter } },
            })),
          fc
            .tuple(
              fc.constantFrom('boundaryArtifacts', 'boundaryExecutions'),
              filters,
            )
            .map(([key, filter]) => ({
              operation: 'getLineageSubgraph',
              body: { query: { artifactIds: [1], [key]: filter } },
            })),
        )
        await fc.assert(
          fc.asyncProperty(requests, async ({ operation, body }) => {
            expect([200, 400]).toContain(await send(operation, body))
          }),
          { numRuns: runs(300) },
        )
        await expectStillUp()
      })

      it('answers forged and damaged page tokens with a 200 or a 400', async () => {
        const real = (
          await served.post('/v1/getArtifacts', { query: { limit: 1 } })
        ).json.result.nextPageToken as string | undefined
        const tokens = fc.oneof(
          forgedPageToken,
          fc.string({ maxLength: 60 }),
          fc
            .tuple(fc.nat({ max: 40 }), fc.string({ maxLength: 3 }))
            .map(([at, text]) =>
              real === undefined
                ? text
                : `${real.slice(0, at)}${text}${real.slice(at + text.length)}`,
            ),
        )
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('getArtifacts', 'getExecutions', 'getContexts'),
            tokens,
            fc.constantFrom('id', 'name', 'createTime', 'lastUpdateTime'),
            async (operation, pageToken, orderBy) => {
              expect([200, 400]).toContain(
                await send(operation, { query: { pageToken, orderBy } }),
              )
            },
          ),
          { numRuns: runs(200) },
        )
        await expectStillUp()
      })

      it('answers random and hostile text sent as JSON with a 2xx or a 4xx', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...operations),
            fc.oneof(
              hostileTexts,
              fc.string({ maxLength: 200 }),
              fc.string({ unit: 'binary', maxLength: 200 }),
              fc
                .array(
                  fc.constantFrom('[', '{', ']', '}', '"', ':', ',', '1'),
                  { maxLength: 200 },
                )
                .map((characters) => characters.join('')),
              // Bytes that are not UTF-8 inside a JSON string.
              fc
                .uint8Array({ minLength: 1, maxLength: 8 })
                .map((bytes) =>
                  Buffer.concat([
                    Buffer.from('{"artifacts":[{"type":"Dataset","uri":"'),
                    Buffer.from(bytes.map((byte) => byte | 0x80)),
                    Buffer.from('"}]}'),
                  ]),
                ),
            ),
            async (operation, text) => {
              await send(operation, text)
            },
          ),
          { numRuns: runs(250) },
        )
        await expectStillUp()
      })
    },
  )
}
