import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LoreError,
  type MetadataStore,
  type PutExecutionRequest,
} from '../src/index.js'

/** Opens a new, empty store of the backend under test. */
export type OpenEmptyStore = () => Promise<MetadataStore>

async function expectLoreError(
  promise: Promise<unknown>,
  code: string,
  message?: RegExp,
): Promise<LoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(
    LoreError.isInstance(error),
    `expected a LoreError ${code}, got ${String(error)}`,
  ).toBe(true)
  const loreError = error as LoreError
  expect(loreError.code).toBe(code)
  if (message) expect(loreError.message).toMatch(message)
  return loreError
}

/** Everything a store holds, to prove that a failed call changed nothing. */
async function snapshot(store: MetadataStore): Promise<unknown> {
  const artifacts = await store.getArtifacts({ limit: 10_000 })
  const executions = await store.getExecutions({ limit: 10_000 })
  const contexts = await store.getContexts({ limit: 10_000 })
  const events = await store.getEvents({
    artifactIds: artifacts.items.map((artifact) => artifact.id),
    executionIds: executions.items.map((execution) => execution.id),
  })
  return {
    artifacts: artifacts.items,
    executions: executions.items,
    contexts: contexts.items,
    events,
    types: [
      await store.getArtifactTypes(),
      await store.getExecutionTypes(),
      await store.getContextTypes(),
    ],
  }
}

async function defineTypes(store: MetadataStore): Promise<void> {
  await store.putArtifactType({
    name: 'Dataset',
    baseType: 'Dataset',
    properties: { rows: 'INT', split: 'STRING' },
  })
  await store.putArtifactType({
    name: 'Model',
    baseType: 'Model',
    properties: { accuracy: 'DOUBLE', framework: 'STRING' },
  })
  await store.putExecutionType({
    name: 'Train',
    baseType: 'Train',
    properties: { epochs: 'INT' },
  })
  await store.putContextType({ name: 'Pipeline' })
  await store.putContextType({
    name: 'PipelineRun',
    properties: { status: 'STRING' },
  })
}

/** A step record as the SDK writes it: 2 inputs, 1 output, 3 events, 1 context. */
function stepRecord(
  index: number,
  contextId: number,
  inputs: number[],
): PutExecutionRequest {
  return {
    execution: {
      type: 'Train',
      name: `train-${index}`,
      lastKnownState: 'COMPLETE',
      properties: { epochs: index },
    },
    artifactEventPairs: [
      ...inputs.map((id, position) => ({
        artifact: { id },
        event: { type: 'INPUT' as const, path: ['inputs', position] },
      })),
      {
        artifact: {
          type: 'Model',
          uri: `file:///models/${index}`,
          properties: { accuracy: index / 100 },
        },
        event: { type: 'OUTPUT' as const, path: ['outputs', 0] },
      },
    ],
    contexts: [{ id: contextId }],
  }
}

/**
 * The behaviour every `MetadataStore` backend must have. Written once, run against each
 * backend (SQLite file, SQLite in memory, and later PostgreSQL, MySQL and the remote client).
 */
export function describeStoreConformance(
  backend: string,
  openEmptyStore: OpenEmptyStore,
): void {
  describe(`MetadataStore conformance: ${backend}`, () => {
    let store: MetadataStore

    beforeEach(async () => {
      store = await openEmptyStore()
    })
    afterEach(async () => {
      await store.close()
    })

    describe('types', () => {
      it('returns the same id for the same definition, and the stored definition', async () => {
        const first = await store.putArtifactType({
          name: 'Model',
          properties: { accuracy: 'DOUBLE' },
        })
        const again = await store.putArtifactType({
          name: 'Model',
          properties: { accuracy: 'DOUBLE' },
        })
        expect(again).toBe(first)
        expect(await store.getArtifactType('Model')).toEqual({
          id: first,
          name: 'Model',
          properties: { accuracy: 'DOUBLE' },
        })
      })

      it('adds properties only with canAddFields', async () => {
        await store.putExecutionType({
          name: 'Train',
          properties: { epochs: 'INT' },
        })
        await expectLoreError(
          store.putExecutionType({
            name: 'Train',
            properties: { epochs: 'INT', lr: 'DOUBLE' },
          }),
          'ALREADY_EXISTS',
          /'lr'.*canAddFields/,
        )
        expect((await store.getExecutionType('Train')).properties).toEqual({
          epochs: 'INT',
        })
        await store.putExecutionType(
          { name: 'Train', properties: { epochs: 'INT', lr: 'DOUBLE' } },
          { canAddFields: true },
        )
        expect((await store.getExecutionType('Train')).properties).toEqual({
          epochs: 'INT',
          lr: 'DOUBLE',
        })
      })

      it('omits stored properties only with canOmitFields, and keeps them', async () => {
        await store.putContextType({
          name: 'Run',
          properties: { a: 'STRING', b: 'INT' },
        })
        await expectLoreError(
          store.putContextType({ name: 'Run', properties: { a: 'STRING' } }),
          'ALREADY_EXISTS',
          /canOmitFields/,
        )
        await store.putContextType(
          { name: 'Run', properties: { a: 'STRING' } },
          { canOmitFields: true },
        )
        expect((await store.getContextType('Run')).properties).toEqual({
          a: 'STRING',
          b: 'INT',
        })
      })

      it('never changes the kind of a property, even with both flags', async () => {
        await store.putArtifactType({
          name: 'Model',
          properties: { accuracy: 'DOUBLE' },
        })
        await expectLoreError(
          store.putArtifactType(
            { name: 'Model', properties: { accuracy: 'STRING' } },
            { canAddFields: true, canOmitFields: true },
          ),
          'ALREADY_EXISTS',
          /accuracy.*DOUBLE.*STRING/,
        )
      })

      it('keeps versions of a type apart', async () => {
        const v1 = await store.putArtifactType({
          name: 'Model',
          version: '1',
          properties: { a: 'INT' },
        })
        const v2 = await store.putArtifactType({
          name: 'Model',
          version: '2',
          properties: { a: 'STRING' },
        })
        expect(v2).not.toBe(v1)
        expect((await store.getArtifactType('Model', '2')).properties).toEqual({
          a: 'STRING',
        })
        expect(
          (await store.getArtifactTypes()).map((type) => type.version),
        ).toEqual(['1', '2'])
      })

      it('refuses to change a base type as UNIMPLEMENTED, as MLMD does', async () => {
        await store.putArtifactType({ name: 'Model', baseType: 'Model' })
        await expectLoreError(
          store.putArtifactType({ name: 'Model', baseType: 'Dataset' }),
          'UNIMPLEMENTED',
          /base type/,
        )
        expect((await store.getArtifactType('Model')).baseType).toBe('Model')
      })

      it('keeps type external ids unique', async () => {
        await store.putArtifactType({ name: 'Model', externalId: 'model-type' })
        await expectLoreError(
          store.putArtifactType({ name: 'Other', externalId: 'model-type' }),
          'ALREADY_EXISTS',
          /model-type.*'Model'/,
        )
      })

      it('reports an unknown type as NOT_FOUND with its name', async () => {
        await expectLoreError(
          store.getArtifactType('Nope'),
          'NOT_FOUND',
          /'Nope'/,
        )
      })
    })

    describe('nodes', () => {
      beforeEach(() => defineTypes(store))

      it('inserts artifacts without id, updates those with one, and reads them back', async () => {
        const [id] = await store.putArtifacts([
          {
            type: 'Model',
            uri: 's3://models/1',
            name: 'iris',
            fingerprint: 'ab'.repeat(32),
            properties: { accuracy: 0.93, framework: 'ml.js' },
            customProperties: { tags: ['a', 'b'], approved: true, epochs: 3 },
          },
        ])
        const {
          items: [stored],
        } = await store.getArtifacts({ ids: [id!] })
        expect(stored).toMatchObject({
          id,
          type: 'Model',
          uri: 's3://models/1',
          name: 'iris',
          state: 'LIVE',
          properties: { accuracy: 0.93, framework: 'ml.js' },
          customProperties: { tags: ['a', 'b'], approved: true, epochs: 3 },
        })
        expect(stored!.createTimeSinceEpoch).toBeGreaterThan(0)
        await store.putArtifacts([
          { id: id!, state: 'DELETED', properties: { accuracy: 0.5 } },
        ])
        const {
          items: [updated],
        } = await store.getArtifacts({ ids: [id!] })
        expect(updated).toMatchObject({
          uri: 's3://models/1',
          state: 'DELETED',
          properties: { accuracy: 0.5 },
        })
        expect(updated!.customProperties).toEqual(stored!.customProperties)
      })

      it('keeps context names unique per type and external ids unique', async () => {
        await store.putContexts([
          { type: 'Pipeline', name: 'iris', externalId: 'p-1' },
        ])
        await expectLoreError(
          store.putContexts([{ type: 'Pipeline', name: 'iris' }]),
          'ALREADY_EXISTS',
          /'iris'/,
        )
        await store.putContexts([{ type: 'PipelineRun', name: 'iris' }])
        await expectLoreError(
          store.putContexts([
            { type: 'PipelineRun', name: 'other', externalId: 'p-1' },
          ]),
          'ALREADY_EXISTS',
          /p-1/,
        )
        await store.putExecutions([{ type: 'Train', externalId: 'x-1' }])
        await expectLoreError(
          store.putExecutions([{ type: 'Train', externalId: 'x-1' }]),
          'ALREADY_EXISTS',
        )
        const [other] = await store.putExecutions([
          { type: 'Train', externalId: 'x-2' },
        ])
        await expectLoreError(
          store.putExecutions([{ id: other!, externalId: 'x-1' }]),
          'ALREADY_EXISTS',
          /executions\[0\]\.externalId 'x-1'/,
        )
      })

      it("keeps an artifact's and an execution's name unique within its type, as MLMD does", async () => {
        const [data] = await store.putArtifacts([
          { type: 'Dataset', name: 'iris', uri: 's3://a' },
        ])
        const before = await snapshot(store)
        await expectLoreError(
          store.putArtifacts([
            { type: 'Dataset', name: 'iris', uri: 's3://b' },
          ]),
          'ALREADY_EXISTS',
          /artifacts\[0\]\.name 'iris'.*unique within a type/,
        )
        await expectLoreError(
          store.putArtifacts([
            { type: 'Dataset', name: 'a' },
            { type: 'Dataset', name: 'a' },
          ]),
          'ALREADY_EXISTS',
          /artifacts\[1\]\.name 'a'/,
        )
        expect(await snapshot(store)).toEqual(before)
        // Another type, or no name at all, is no clash.
        await store.putArtifacts([
          { type: 'Model', name: 'iris' },
          { type: 'Dataset' },
          { type: 'Dataset' },
        ])
        const [other] = await store.putArtifacts([
          { type: 'Dataset', name: 'other' },
        ])
        await expectLoreError(
          store.putArtifacts([{ id: other!, name: 'iris' }]),
          'ALREADY_EXISTS',
          /artifacts\[0\]\.name 'iris': artifact \d+/,
        )
        // A node keeps its own name when it is put again.
        await store.putArtifacts([{ id: data!, name: 'iris', uri: 's3://c' }])

        await store.putExecutions([{ type: 'Train', name: 'train' }])
        await expectLoreError(
          store.putExecutions([{ type: 'Train', name: 'train' }]),
          'ALREADY_EXISTS',
          /executions\[0\]\.name 'train'/,
        )
        await expectLoreError(
          store.putExecution({
            execution: { type: 'Train', name: 'train' },
            artifactEventPairs: [],
            contexts: [],
          }),
          'ALREADY_EXISTS',
          /execution\.name 'train'/,
        )
        await expectLoreError(
          store.putExecutionBatch([
            { execution: { type: 'Train', name: 'twice' } },
            { execution: { type: 'Train', name: 'twice' } },
          ]),
          'ALREADY_EXISTS',
          /requests\[1\]\.execution\.name 'twice'/,
        )
        await expectLoreError(
          store.putExecutionBatch([
            {
              execution: { type: 'Train' },
              artifactEventPairs: [
                {
                  artifact: { type: 'Dataset', name: 'iris' },
                  event: { type: 'INPUT' },
                },
              ],
            },
          ]),
          'ALREADY_EXISTS',
          /artifactEventPairs\[0\]\.artifact\.name 'iris'/,
        )
        const names = (await store.getExecutions()).items.map(
          (execution) => execution.name,
        )
        expect(names).toEqual(['train'])
      })

      it('lets a retry with reuse by external id name its own node again', async () => {
        const request: PutExecutionRequest = {
          execution: { type: 'Train', name: 'train#1', externalId: 'call-1' },
          artifactEventPairs: [
            {
              artifact: { type: 'Model', name: 'model#1', externalId: 'm-1' },
              event: { type: 'OUTPUT' },
            },
          ],
          options: {
            reuseArtifactIfAlreadyExistByExternalId: true,
            reuseExecutionIfAlreadyExistByExternalId: true,
          },
        }
        const first = await store.putExecution(request)
        const again = await store.putExecution(request)
        expect(again.executionId).toBe(first.executionId)
        expect(again.artifactIds).toEqual(first.artifactIds)
        const [batched] = await store.putExecutionBatch([request])
        expect(batched?.executionId).toBe(first.executionId)
        await expectLoreError(
          store.putExecution({
            ...request,
            execution: { type: 'Train', name: 'train#1', externalId: 'call-2' },
          }),
          'ALREADY_EXISTS',
          /name 'train#1'/,
        )
      })

      it('updates only the masked fields, and clears masked fields left out', async () => {
        const [id] = await store.putArtifacts([
          {
            type: 'Model',
            uri: 's3://m/1',
            name: 'm',
            properties: { accuracy: 0.5, framework: 'ml.js' },
            customProperties: { owner: 'ana', stage: 'dev' },
          },
        ])
        await store.putArtifacts(
          [
            {
              id: id!,
              uri: 's3://m/2',
              name: 'ignored',
              properties: { accuracy: 0.9 },
              customProperties: { stage: 'prod', extra: 1 },
            },
          ],
          {
            fieldMaskPaths: [
              'uri',
              'version',
              'properties.accuracy',
              'custom_properties.stage',
              'customProperties.owner',
            ],
          },
        )
        const {
          items: [stored],
        } = await store.getArtifacts({ ids: [id!] })
        expect(stored).toMatchObject({
          uri: 's3://m/2',
          name: 'm',
          properties: { accuracy: 0.9, framework: 'ml.js' },
          customProperties: { stage: 'prod' },
        })
        expect(stored!.customProperties).not.toHaveProperty('owner')
        const [execution] = await store.putExecutions([
          { type: 'Train', lastKnownState: 'RUNNING', cacheKey: 'k' },
        ])
        await store.putExecutions(
          [{ id: execution!, lastKnownState: 'COMPLETE', cacheKey: 'other' }],
          { fieldMaskPaths: ['last_known_state'] },
        )
        expect(
          (await store.getExecutions({ ids: [execution!] })).items[0],
        ).toMatchObject({ lastKnownState: 'COMPLETE', cacheKey: 'k' })
        const [context] = await store.putContexts([
          { type: 'PipelineRun', name: 'r', properties: { status: 'running' } },
        ])
        await store.putContexts([{ id: context! }], {
          fieldMaskPaths: ['properties'],
        })
        expect(
          (await store.getContexts({ ids: [context!] })).items[0]?.properties,
        ).toEqual({})
        const before = await snapshot(store)
        await expectLoreError(
          store.putArtifacts([{ id: id!, uri: 'x' }], {
            fieldMaskPaths: ['colour'],
          }),
          'INVALID_ARGUMENT',
          /options\.fieldMaskPaths\[0\] 'colour'/,
        )
        await expectLoreError(
          store.putArtifacts([{ id: id! }], { fieldMaskPaths: ['state'] }),
          'INVALID_ARGUMENT',
          /artifacts\[0\]\.state/,
        )
        expect(await snapshot(store)).toEqual(before)
      })

      it('refuses an update carrying a stale lastUpdateTime, and keeps the time of an unchanged re-put', async () => {
        const [id] = await store.putArtifacts([
          { type: 'Dataset', uri: 'file:///a', properties: { rows: 1 } },
        ])
        const read = async () =>
          (await store.getArtifacts({ ids: [id!] })).items[0]!
        const first = await read()
        await store.putArtifacts([
          { id: id!, uri: 'file:///a', properties: { rows: 1 } },
        ])
        expect((await read()).lastUpdateTimeSinceEpoch).toBe(
          first.lastUpdateTimeSinceEpoch,
        )
        await store.putArtifacts([
          {
            id: id!,
            uri: 'file:///b',
            lastUpdateTimeSinceEpoch: first.lastUpdateTimeSinceEpoch,
          },
        ])
        const second = await read()
        expect(second.uri).toBe('file:///b')
        expect(second.lastUpdateTimeSinceEpoch).toBeGreaterThan(
          first.lastUpdateTimeSinceEpoch,
        )
        const before = await snapshot(store)
        await expectLoreError(
          store.putArtifacts([
            {
              id: id!,
              uri: 'file:///c',
              lastUpdateTimeSinceEpoch: first.lastUpdateTimeSinceEpoch,
            },
          ]),
          'FAILED_PRECONDITION',
          /artifacts\[0\]\.lastUpdateTimeSinceEpoch.*changed since/,
        )
        expect(await snapshot(store)).toEqual(before)
      })

      it('finds nodes by type name and version, and by type id', async () => {
        const v1 = await store.putArtifactType({ name: 'Table', version: '1' })
        const v2 = await store.putArtifactType({ name: 'Table', version: '2' })
        const [a, b] = await store.putArtifacts([
          { typeId: v1, name: 'a' },
          { typeId: v2, name: 'b' },
        ])
        const ids = async (
          query: Parameters<MetadataStore['getArtifacts']>[0],
        ) =>
          (await store.getArtifacts(query)).items.map((artifact) => artifact.id)
        expect(await ids({ type: 'Table', typeVersion: '2' })).toEqual([b])
        expect(await ids({ type: 'Table', typeVersion: '1' })).toEqual([a])
        expect(await ids({ type: 'Table' })).toEqual([a, b])
        expect(await ids({ typeId: v2 })).toEqual([b])
        await expectLoreError(
          store.getArtifacts({ typeVersion: '1' }),
          'INVALID_ARGUMENT',
          /typeVersion '1'.*without type/,
        )
      })

      it('returns every row of a list without a limit, and a page with one', async () => {
        await store.putArtifacts(
          Array.from({ length: 10_050 }, (_, index) => ({
            type: 'Dataset',
            name: `d${index}`,
          })),
        )
        const all = await store.getArtifacts({ type: 'Dataset' })
        expect(all.items).toHaveLength(10_050)
        expect(all.nextPageToken).toBeUndefined()
        expect(new Set(all.items.map((artifact) => artifact.id)).size).toBe(
          10_050,
        )
        const page = await store.getArtifacts({ limit: 100 })
        expect(page.items).toHaveLength(100)
        expect(page.nextPageToken).toBeDefined()
      })

      it('records execution state, times, error, cache key and code version', async () => {
        const [id] = await store.putExecutions([
          {
            type: 'Train',
            name: 'train',
            lastKnownState: 'FAILED',
            startTimeSinceEpoch: 1000,
            endTimeSinceEpoch: 2000,
            error: { name: 'TypeError', message: 'boom', stack: 'at train' },
            cacheKey: 'k1',
            codeVersion: 'abc123',
            properties: { epochs: 3 },
          },
        ])
        const { items } = await store.getExecutions({ ids: [id!] })
        expect(items[0]).toMatchObject({
          lastKnownState: 'FAILED',
          startTimeSinceEpoch: 1000,
          endTimeSinceEpoch: 2000,
          error: { name: 'TypeError', message: 'boom', stack: 'at train' },
          cacheKey: 'k1',
          codeVersion: 'abc123',
          properties: { epochs: 3 },
        })
      })

      it('finds nodes by type, name, uri, external id and context', async () => {
        const [a, b] = await store.putArtifacts([
          {
            type: 'Dataset',
            name: 'train',
            uri: 'file:///a',
            externalId: 'ext-a',
          },
          { type: 'Model', name: 'm', uri: 'file:///b' },
        ])
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'r1' },
        ])
        await store.putAttributionsAndAssociations(
          [{ contextId: run!, artifactId: b! }],
          [],
        )
        const ids = async (
          query: Parameters<MetadataStore['getArtifacts']>[0],
        ) =>
          (await store.getArtifacts(query)).items.map((artifact) => artifact.id)
        expect(await ids({ type: 'Dataset' })).toEqual([a])
        expect(await ids({ name: 'm' })).toEqual([b])
        expect(await ids({ uri: 'file:///a' })).toEqual([a])
        expect(await ids({ externalIds: ['ext-a'] })).toEqual([a])
        expect(await ids({ contextId: run! })).toEqual([b])
        expect(
          (await store.getContexts({ artifactId: b! })).items.map(
            (context) => context.name,
          ),
        ).toEqual(['r1'])
      })
    })

    describe('putExecution', () => {
      beforeEach(() => defineTypes(store))

      it('writes the execution, artifacts, events and context links in one call', async () => {
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'run-1' },
        ])
        const [data] = await store.putArtifacts([
          { type: 'Dataset', uri: 'file:///iris.csv' },
        ])
        const result = await store.putExecution(stepRecord(1, run!, [data!]))
        expect(result.artifactIds).toHaveLength(2)
        expect(result.contextIds).toEqual([run])
        const events = await store.getEvents({
          executionIds: [result.executionId],
        })
        expect(
          events.map((event) => [event.artifactId, event.type, event.path]),
        ).toEqual([
          [data, 'INPUT', ['inputs', 0]],
          [result.artifactIds[1], 'OUTPUT', ['outputs', 0]],
        ])
        expect(
          (await store.getExecutions({ contextId: run! })).items.map(
            (execution) => execution.id,
          ),
        ).toEqual([result.executionId])
        expect(
          (await store.getArtifacts({ contextId: run! })).items.map(
            (artifact) => artifact.id,
          ),
        ).toEqual(result.artifactIds)
      })

      it('creates contexts it is given by name, and reuses existing ones only when asked', async () => {
        const first = await store.putExecution({
          execution: { type: 'Train' },
          contexts: [{ type: 'Pipeline', name: 'iris' }],
        })
        const before = await snapshot(store)
        await expectLoreError(
          store.putExecution({
            execution: { type: 'Train' },
            contexts: [{ type: 'Pipeline', name: 'iris' }],
          }),
          'ALREADY_EXISTS',
          /request\.contexts\[0\].*'iris'.*reuseContextIfAlreadyExist/,
        )
        expect(await snapshot(store)).toEqual(before)
        const second = await store.putExecution({
          execution: { type: 'Train' },
          contexts: [{ type: 'Pipeline', name: 'iris' }],
          options: { reuseContextIfAlreadyExist: true },
        })
        expect(second.contextIds).toEqual(first.contextIds)
        expect((await store.getContexts()).items).toHaveLength(1)
      })

      it('does not rewrite a context it only names', async () => {
        // Concurrent writers of one run all name its context: rewriting the row would
        // make each record wait for the others' lock on it.
        const [run] = await store.putContexts([
          {
            type: 'PipelineRun',
            name: 'busy-run',
            lastUpdateTimeSinceEpoch: 1000,
          },
        ])
        await store.putExecution({
          execution: { type: 'Train' },
          contexts: [{ type: 'PipelineRun', name: 'busy-run' }],
          options: { reuseContextIfAlreadyExist: true },
        })
        const { items } = await store.getContexts({ ids: [run!] })
        expect(items[0]?.lastUpdateTimeSinceEpoch).toBe(1000)
        await store.putExecution({
          execution: { type: 'Train' },
          contexts: [
            {
              type: 'PipelineRun',
              name: 'busy-run',
              properties: { status: 'done' },
            },
          ],
          options: { reuseContextIfAlreadyExist: true },
        })
        const { items: updated } = await store.getContexts({ ids: [run!] })
        expect(updated[0]?.properties).toEqual({ status: 'done' })
        expect(updated[0]?.lastUpdateTimeSinceEpoch).toBeGreaterThan(1000)
      })

      it('writes nothing twice when a request with external ids is retried with reuse', async () => {
        const request: PutExecutionRequest = {
          execution: {
            type: 'Train',
            externalId: 'exec-1',
            lastKnownState: 'COMPLETE',
          },
          artifactEventPairs: [
            {
              artifact: { type: 'Model', externalId: 'model-1' },
              event: { type: 'OUTPUT' },
            },
          ],
          contexts: [{ type: 'PipelineRun', name: 'run-1' }],
          options: {
            reuseContextIfAlreadyExist: true,
            reuseArtifactIfAlreadyExistByExternalId: true,
            reuseExecutionIfAlreadyExistByExternalId: true,
          },
        }
        const first = await store.putExecution(request)
        const second = await store.putExecution(request)
        expect(second).toEqual(first)
        const [third] = await store.putExecutionBatch([request, request])
        expect(third).toEqual(first)
        expect(await snapshot(store)).toMatchObject({
          artifacts: [{ externalId: 'model-1' }],
          executions: [{ externalId: 'exec-1' }],
          events: [{ type: 'OUTPUT' }],
        })
      })

      it('never overwrites an artifact whose external id is taken unless asked', async () => {
        const write = (uri: string, reuse: boolean) =>
          store.putExecution({
            execution: { type: 'Train' },
            artifactEventPairs: [
              {
                artifact: { type: 'Model', externalId: 'model-1', uri },
                event: { type: 'OUTPUT' },
              },
            ],
            ...(reuse
              ? { options: { reuseArtifactIfAlreadyExistByExternalId: true } }
              : {}),
          })
        const first = await write('s3://first', false)
        const before = await snapshot(store)
        await expectLoreError(
          write('s3://second', false),
          'ALREADY_EXISTS',
          /artifactEventPairs\[0\]\.artifact.*'model-1'.*reuseArtifactIfAlreadyExistByExternalId/,
        )
        expect(await snapshot(store)).toEqual(before)
        const reused = await write('s3://second', true)
        expect(reused.artifactIds).toEqual(first.artifactIds)
        const { items } = await store.getArtifacts({ ids: first.artifactIds })
        expect(items.map((artifact) => artifact.uri)).toEqual(['s3://second'])
        // An execution's external id is not reused either, unless asked (Lore's own option).
        await store.putExecution({
          execution: { type: 'Train', externalId: 'x' },
        })
        await expectLoreError(
          store.putExecution({ execution: { type: 'Train', externalId: 'x' } }),
          'ALREADY_EXISTS',
          /reuseExecutionIfAlreadyExistByExternalId/,
        )
      })

      it('refuses an event twice in one request, and skips those a reused execution has', async () => {
        const [data] = await store.putArtifacts([{ type: 'Dataset' }])
        const twice = (externalId: string, reuse: boolean) =>
          store.putExecution({
            execution: { type: 'Train', externalId },
            artifactEventPairs: [
              {
                artifact: { id: data! },
                event: { type: 'INPUT', path: ['a'] },
              },
              {
                artifact: { id: data! },
                event: { type: 'INPUT', path: ['b'] },
              },
            ],
            ...(reuse
              ? { options: { reuseExecutionIfAlreadyExistByExternalId: true } }
              : {}),
          })
        await expectLoreError(
          twice('e-1', false),
          'ALREADY_EXISTS',
          /artifactEventPairs\[1\]\.event.*INPUT.*artifact/,
        )
        const running = await store.putExecution({
          execution: {
            type: 'Train',
            externalId: 'e-2',
            lastKnownState: 'RUNNING',
          },
          artifactEventPairs: [
            { artifact: { id: data! }, event: { type: 'INPUT', path: ['a'] } },
          ],
        })
        const done = await store.putExecution({
          execution: {
            type: 'Train',
            externalId: 'e-2',
            lastKnownState: 'COMPLETE',
          },
          artifactEventPairs: [
            { artifact: { id: data! }, event: { type: 'INPUT', path: ['a'] } },
            {
              artifact: { type: 'Model', uri: 's3://m' },
              event: { type: 'OUTPUT' },
            },
          ],
          options: { reuseExecutionIfAlreadyExistByExternalId: true },
        })
        expect(done.executionId).toBe(running.executionId)
        const events = await store.getEvents({
          executionIds: [done.executionId],
        })
        expect(events.map((event) => event.type)).toEqual(['INPUT', 'OUTPUT'])
        const { items } = await store.getExecutions({ ids: [done.executionId] })
        expect(items[0]?.lastKnownState).toBe('COMPLETE')
      })

      it('is all or nothing: a failure half-way leaves nothing', async () => {
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'run-1' },
        ])
        const before = await snapshot(store)
        await expectLoreError(
          store.putExecution({
            execution: { type: 'Train', name: 'half-way' },
            artifactEventPairs: [
              {
                artifact: { type: 'Model', uri: 'file:///ok' },
                event: { type: 'OUTPUT' },
              },
              { artifact: { id: 999_999 }, event: { type: 'INPUT' } },
            ],
            contexts: [
              { id: run! },
              { type: 'Pipeline', name: 'new-pipeline' },
            ],
          }),
          'INVALID_ARGUMENT',
          /artifactEventPairs\[1\]\.artifact\.id 999999/,
        )
        expect(await snapshot(store)).toEqual(before)
      })

      it('writes a batch in one transaction: one bad request rolls back all', async () => {
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'run-1' },
        ])
        const before = await snapshot(store)
        await expectLoreError(
          store.putExecutionBatch([
            stepRecord(1, run!, []),
            {
              execution: { type: 'Train', properties: { epochs: 'three' } },
            } as unknown as PutExecutionRequest,
          ]),
          'INVALID_ARGUMENT',
          /requests\[1\]\.execution\.properties\.epochs/,
        )
        expect(await snapshot(store)).toEqual(before)
        const results = await store.putExecutionBatch([
          stepRecord(1, run!, []),
          stepRecord(2, run!, []),
        ])
        expect(results).toHaveLength(2)
        expect(
          (await store.getExecutions({ contextId: run! })).items,
        ).toHaveLength(2)
      })

      it('creates one node for a new key two records of a batch name, with the later fields', async () => {
        const request = (index: number): PutExecutionRequest => ({
          options: {
            reuseContextIfAlreadyExist: true,
            reuseArtifactIfAlreadyExistByExternalId: true,
          },
          execution: { type: 'Train', externalId: `step-${index}` },
          artifactEventPairs: [
            {
              artifact: {
                type: 'Dataset',
                externalId: 'shared-data',
                uri: `s3://data/${index}`,
              },
              event: { type: 'INPUT' },
            },
            {
              artifact: { type: 'Model', uri: `s3://model/${index}` },
              event: { type: 'OUTPUT' },
            },
          ],
          contexts: [{ type: 'PipelineRun', name: 'shared-run' }],
        })
        const { options: _options, ...strict } = request(1)
        await expectLoreError(
          store.putExecutionBatch([request(0), strict]),
          'ALREADY_EXISTS',
          /requests\[1\]\.contexts\[0\].*an earlier record/,
        )
        const results = await store.putExecutionBatch([0, 1, 2].map(request))
        const [first, second, third] = results
        expect(second?.artifactIds[0]).toBe(first?.artifactIds[0])
        expect(third?.contextIds).toEqual(first?.contextIds)
        expect(new Set(results.map((result) => result.executionId)).size).toBe(
          3,
        )
        const { items } = await store.getArtifacts({
          ids: results.flatMap((result) => result.artifactIds),
        })
        const uri = (id: number | undefined): string | undefined =>
          items.find((artifact) => artifact.id === id)?.uri
        expect(uri(first?.artifactIds[0])).toBe('s3://data/2')
        expect(results.map((result) => uri(result.artifactIds[1]))).toEqual([
          's3://model/0',
          's3://model/1',
          's3://model/2',
        ])
        expect((await store.getContexts()).items).toHaveLength(1)
      })
    })

    describe('edges', () => {
      beforeEach(() => defineTypes(store))

      it('puts events, refuses one of the same artifact, execution and type, and finds them by either side', async () => {
        const [artifact] = await store.putArtifacts([{ type: 'Dataset' }])
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        const event = {
          artifactId: artifact!,
          executionId: execution!,
          type: 'INPUT' as const,
          path: ['data'],
        }
        await store.putEvents([event])
        await expectLoreError(
          store.putEvents([{ ...event, path: ['other'] }]),
          'ALREADY_EXISTS',
          /events\[0\].*INPUT/,
        )
        await expectLoreError(
          store.putEvents([
            { ...event, type: 'OUTPUT' },
            { ...event, type: 'OUTPUT' },
          ]),
          'ALREADY_EXISTS',
          /events\[1\]/,
        )
        await store.putEvents([{ ...event, type: 'PENDING_OUTPUT' }])
        expect(
          await store.getEvents({ artifactIds: [artifact!] }),
        ).toMatchObject([event, { ...event, type: 'PENDING_OUTPUT' }])
        expect(
          (await store.getEvents({ executionIds: [execution!] })).map(
            (stored) => stored.type,
          ),
        ).toEqual(['INPUT', 'PENDING_OUTPUT'])
      })

      it('refuses a dangling event and names the missing side', async () => {
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        const before = await snapshot(store)
        await expectLoreError(
          store.putEvents([
            { artifactId: 424242, executionId: execution!, type: 'INPUT' },
          ]),
          'INVALID_ARGUMENT',
          /events\[0\]\.artifactId 424242/,
        )
        await expectLoreError(
          store.putAttributionsAndAssociations(
            [],
            [{ contextId: 77, executionId: execution! }],
          ),
          'INVALID_ARGUMENT',
          /associations\[0\]\.contextId 77/,
        )
        expect(await snapshot(store)).toEqual(before)
      })

      it('links parent and child contexts and refuses cycles', async () => {
        const [pipeline, run, child] = await store.putContexts([
          { type: 'Pipeline', name: 'p' },
          { type: 'PipelineRun', name: 'r' },
          { type: 'PipelineRun', name: 'c' },
        ])
        await store.putParentContexts([
          { childId: run!, parentId: pipeline! },
          { childId: child!, parentId: run! },
        ])
        expect(
          (await store.getParentContexts(run!)).map((context) => context.name),
        ).toEqual(['p'])
        expect(
          (await store.getChildContexts(pipeline!)).map(
            (context) => context.name,
          ),
        ).toEqual(['r'])
        await expectLoreError(
          store.putParentContexts([{ childId: pipeline!, parentId: child! }]),
          'INVALID_ARGUMENT',
          /cycle/,
        )
        await expectLoreError(
          store.putParentContexts([{ childId: run!, parentId: pipeline! }]),
          'ALREADY_EXISTS',
          /already a parent/,
        )
        await expectLoreError(
          store.putParentContexts([{ childId: run!, parentId: 54321 }]),
          'INVALID_ARGUMENT',
          /parentContexts\[0\]\.parentId 54321/,
        )
        await expectLoreError(
          store.putParentContexts([
            { childId: pipeline!, parentId: pipeline! },
          ]),
          'INVALID_ARGUMENT',
        )
        expect(await store.getParentContexts(pipeline!)).toEqual([])
        await expectLoreError(store.getParentContexts(12345), 'NOT_FOUND')
      })

      it('writes a context under its parents in one call, found again by key on a retry', async () => {
        await defineTypes(store)
        const request = {
          context: {
            type: 'PipelineRun',
            name: 'iris/run-1',
            externalId: 'run-1',
            customProperties: { status: 'RUNNING' },
          },
          parents: [
            {
              type: 'Pipeline',
              name: 'iris',
              customProperties: { description: 'the iris pipeline' },
            },
          ],
        }
        const first = await store.putContextWithParents(request)
        const again = await store.putContextWithParents({
          ...request,
          context: {
            ...request.context,
            customProperties: { status: 'COMPLETE' },
          },
        })
        expect(again).toEqual(first)
        const [run] = (await store.getContexts({ externalIds: ['run-1'] }))
          .items
        expect(run?.id).toBe(first.contextId)
        expect(run?.customProperties.status).toBe('COMPLETE')
        expect(
          (await store.getParentContexts(first.contextId)).map((context) => [
            context.id,
            context.customProperties.description,
          ]),
        ).toEqual([[first.parentIds[0], 'the iris pipeline']])
        // A parent by id is linked as it is; a missing one changes nothing.
        const before = await snapshot(store)
        await expectLoreError(
          store.putContextWithParents({
            context: { type: 'PipelineRun', name: 'iris/run-2' },
            parents: [{ id: 98_765 }],
          }),
          'INVALID_ARGUMENT',
          /request\.parents\[0\]\.id 98765/,
        )
        expect(await snapshot(store)).toEqual(before)
      })
    })

    describe('filters', () => {
      let ids: number[]
      beforeEach(async () => {
        await defineTypes(store)
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'run-7' },
        ])
        ids = await store.putArtifacts([
          {
            type: 'Model',
            name: 'a',
            uri: 's3://bucket/a',
            properties: { accuracy: 0.95, framework: 'ml.js' },
          },
          {
            type: 'Model',
            name: 'b',
            uri: 's3://bucket/b',
            properties: { accuracy: 0.8 },
            customProperties: { owner: 'ana' },
          },
          {
            type: 'Dataset',
            name: "x' OR 1=1 --",
            uri: 'file:///c',
            properties: { rows: 150 },
          },
          {
            type: 'Model',
            name: 'd',
            uri: 'file:///d',
            state: 'DELETED',
            properties: { accuracy: 0.99 },
          },
        ])
        await store.putAttributionsAndAssociations(
          [{ contextId: run!, artifactId: ids[1]! }],
          [],
        )
      })
      const matching = async (filter: string) =>
        (await store.getArtifacts({ filter })).items.map(
          (artifact) => artifact.name,
        )

      it('compares typed and custom properties, attributes and the type', async () => {
        expect(
          await matching("type = 'Model' AND properties.accuracy > 0.9"),
        ).toEqual(['a', 'd'])
        expect(await matching("uri LIKE 's3://%'")).toEqual(['a', 'b'])
        expect(await matching("custom_properties.owner = 'ana'")).toEqual(['b'])
        expect(
          await matching("properties.accuracy > 0.9 AND NOT state = 'DELETED'"),
        ).toEqual(['a'])
        expect(
          await matching("name IN ('a', 'd') OR properties.rows >= 100"),
        ).toEqual(['a', "x' OR 1=1 --", 'd'])
        expect(await matching('custom_properties.owner IS NULL')).toEqual([
          'a',
          "x' OR 1=1 --",
          'd',
        ])
        expect(await matching("contexts.name = 'run-7'")).toEqual(['b'])
        expect(
          await matching(
            "(properties.accuracy < 0.9 OR properties.accuracy > 0.98) AND type != 'Dataset'",
          ),
        ).toEqual(['b', 'd'])
      })

      it('binds conditions on one alias to one context or event, as MLMD does', async () => {
        const [other, x, runX] = await store.putContexts([
          { type: 'PipelineRun', name: 'other' },
          { type: 'Pipeline', name: 'x' },
          { type: 'PipelineRun', name: 'x' },
        ])
        await store.putAttributionsAndAssociations(
          [
            { contextId: other!, artifactId: ids[0]! },
            { contextId: x!, artifactId: ids[0]! },
            { contextId: runX!, artifactId: ids[3]! },
          ],
          [],
        )
        // Without an alias, each condition may be met by a different context.
        expect(
          await matching(
            "contexts.type = 'PipelineRun' AND contexts.name = 'x'",
          ),
        ).toEqual(['a', 'd'])
        expect(
          await matching(
            "contexts_a.type = 'PipelineRun' AND contexts_a.name = 'x'",
          ),
        ).toEqual(['d'])
        expect(
          await matching(
            "contexts_a.type = 'PipelineRun' AND contexts_b.name = 'x' AND type = 'Model'",
          ),
        ).toEqual(['a', 'd'])
        const { executionId } = await store.putExecution({
          execution: { type: 'Train' },
          artifactEventPairs: [
            { artifact: { id: ids[0]! }, event: { type: 'INPUT' } },
            { artifact: { id: ids[3]! }, event: { type: 'OUTPUT' } },
          ],
        })
        expect(await matching('events_0.type = INPUT')).toEqual(['a'])
        expect(
          await matching(
            `events_0.type = 'OUTPUT' AND events_0.execution_id = ${executionId}`,
          ),
        ).toEqual(['d'])
        expect(
          (
            await store.getExecutions({
              filter: `events_0.artifact_id = ${ids[3]!} AND events_0.type = OUTPUT`,
            })
          ).items.map((execution) => execution.id),
        ).toEqual([executionId])
        await expectLoreError(
          store.getContexts({ filter: 'events_0.type = INPUT' }),
          'INVALID_ARGUMENT',
          /events_<alias>/,
        )
        await expectLoreError(
          store.getArtifacts({ filter: 'contexts_a.colour = 1' }),
          'INVALID_ARGUMENT',
          /contexts_a takes one of/,
        )
      })

      it("accepts MLMD's spelling of property values and unquoted enum values", async () => {
        expect(
          await matching('properties.accuracy.double_value > 0.9'),
        ).toEqual(['a', 'd'])
        expect(await matching('properties.rows.int_value > 3')).toEqual([
          "x' OR 1=1 --",
        ])
        // A DOUBLE is not an int_value, however round.
        expect(await matching('properties.accuracy.int_value > 0')).toEqual([])
        expect(
          await matching("custom_properties.owner.string_value = 'ana'"),
        ).toEqual(['b'])
        expect(await matching('state = DELETED')).toEqual(['d'])
        expect(
          await matching("state IN (LIVE, DELETED) AND name = 'd'"),
        ).toEqual(['d'])
        await expectLoreError(
          store.getArtifacts({ filter: 'state = ALIVE' }),
          'INVALID_ARGUMENT',
          /'ALIVE' is not one of PENDING, LIVE/,
        )
        await expectLoreError(
          store.getArtifacts({ filter: "properties.rows.int_value = 'x'" }),
          'INVALID_ARGUMENT',
          /holds numbers/,
        )
        expect(
          (await store.getExecutions({ filter: 'last_known_state = NEW' }))
            .items,
        ).toEqual([])
      })

      it('keeps quotes and SQL in values as data', async () => {
        expect(await matching("name = 'x'' OR 1=1 --'")).toEqual([
          "x' OR 1=1 --",
        ])
        expect(await matching("name = 'nothing'' OR ''1''=''1'")).toEqual([])
        // Outside quotes, SQL is a syntax error of the filter, never SQL.
        await expectLoreError(
          store.getArtifacts({
            filter: "name = 'a'; DROP TABLE artifact; --'",
          }),
          'INVALID_ARGUMENT',
        )
        expect(await matching("name = 'a''; DROP TABLE artifact; --'")).toEqual(
          [],
        )
        expect((await store.getArtifacts()).items).toHaveLength(4)
      })

      it('points at the position of a malformed filter', async () => {
        const error = await expectLoreError(
          store.getArtifacts({ filter: "type = 'Model' AND" }),
          'INVALID_ARGUMENT',
          /position/,
        )
        // 1-based: the filter ends after 18 characters, so the value is missing at 19.
        expect(error.details.position).toBe(19)
        await expectLoreError(
          store.getArtifacts({ filter: 'nonsense_field = 1' }),
          'INVALID_ARGUMENT',
          /nonsense_field/,
        )
      })
    })

    describe('paging', () => {
      beforeEach(() => defineTypes(store))

      it('neither skips nor repeats while rows are added between pages', async () => {
        await store.putArtifacts(
          Array.from({ length: 25 }, (_, index) => ({
            type: 'Dataset',
            name: `d${index}`,
          })),
        )
        const seen: string[] = []
        let pageToken: string | undefined
        let added = 0
        do {
          const page = await store.getArtifacts({
            type: 'Dataset',
            limit: 7,
            ...(pageToken ? { pageToken } : {}),
          })
          seen.push(...page.items.map((artifact) => artifact.name!))
          pageToken = page.nextPageToken
          if (added < 3)
            await store.putArtifacts([
              { type: 'Dataset', name: `late${added++}` },
            ])
        } while (pageToken)
        expect(new Set(seen).size).toBe(seen.length)
        expect(seen.slice(0, 25)).toEqual(
          Array.from({ length: 25 }, (_, index) => `d${index}`),
        )
        expect(seen).toEqual(
          expect.arrayContaining(['late0', 'late1', 'late2']),
        )
      })

      it('orders by name or time, descending, across pages', async () => {
        await store.putArtifacts(
          ['c', 'a', 'e', 'b', 'd'].map((name) => ({ type: 'Dataset', name })),
        )
        const names: string[] = []
        let pageToken: string | undefined
        do {
          const page = await store.getArtifacts({
            orderBy: 'name',
            descending: true,
            limit: 2,
            ...(pageToken ? { pageToken } : {}),
          })
          names.push(...page.items.map((artifact) => artifact.name!))
          pageToken = page.nextPageToken
        } while (pageToken)
        expect(names).toEqual(['e', 'd', 'c', 'b', 'a'])
      })

      it("orders by a property's value across pages, nodes without it first (last descending)", async () => {
        await store.putContextType({ name: 'TimedRun' })
        const runs: [string, number | undefined, string | undefined][] = [
          ['r1', 5_000, 'COMPLETE'],
          ['r2', 250.5, 'FAILED'],
          ['r3', undefined, 'RUNNING'],
          ['r4', 90_000, 'COMPLETE'],
          ['r5', 250.5, undefined],
        ]
        await store.putContexts(
          runs.map(([name, durationMs, status]) => ({
            type: 'TimedRun',
            name,
            customProperties: {
              ...(durationMs === undefined ? {} : { durationMs }),
              ...(status === undefined ? {} : { status }),
            },
          })),
        )
        const names = async (orderBy: string, descending: boolean) => {
          const seen: string[] = []
          let pageToken: string | undefined
          do {
            const page = await store.getContexts({
              type: 'TimedRun',
              orderBy,
              descending,
              limit: 2,
              ...(pageToken ? { pageToken } : {}),
            })
            seen.push(...page.items.map((context) => context.name!))
            pageToken = page.nextPageToken
          } while (pageToken)
          return seen
        }
        expect(await names('customProperties.durationMs', false)).toEqual([
          'r3',
          'r2',
          'r5',
          'r1',
          'r4',
        ])
        expect(await names('customProperties.durationMs', true)).toEqual([
          'r4',
          'r1',
          'r5',
          'r2',
          'r3',
        ])
        expect(await names('customProperties.status', false)).toEqual([
          'r5',
          'r1',
          'r4',
          'r2',
          'r3',
        ])
        await expect(
          store.getContexts({ orderBy: 'customProperties.a b' }),
        ).rejects.toThrow(/orderBy/)
      })

      it('orders names by code point and compares them case-sensitively, on every backend', async () => {
        await store.putArtifacts(
          ['b', 'B', 'a', 'Ä', 'ab'].map((name) => ({ type: 'Dataset', name })),
        )
        const names = async (
          query: Parameters<MetadataStore['getArtifacts']>[0],
        ) =>
          (await store.getArtifacts(query)).items.map(
            (artifact) => artifact.name,
          )
        expect(await names({ orderBy: 'name', limit: 2 })).toEqual(['B', 'a'])
        expect(await names({ orderBy: 'name' })).toEqual([
          'B',
          'a',
          'ab',
          'b',
          'Ä',
        ])
        expect(await names({ name: 'b' })).toEqual(['b'])
        expect(await names({ filter: "name = 'B'" })).toEqual(['B'])
        expect(await names({ filter: "name IN ('a', 'ä')" })).toEqual(['a'])
        const lower = await store.putArtifactType({ name: 'dataset' })
        expect(lower).not.toBe((await store.getArtifactType('Dataset')).id)
      })

      it('refuses a page token from another query', async () => {
        await store.putArtifacts(
          Array.from({ length: 3 }, () => ({ type: 'Dataset' })),
        )
        const page = await store.getArtifacts({ limit: 1 })
        await expectLoreError(
          store.getArtifacts({
            limit: 1,
            type: 'Model',
            pageToken: page.nextPageToken!,
          }),
          'INVALID_ARGUMENT',
          /different query/,
        )
        await expectLoreError(
          store.getArtifacts({ pageToken: 'garbage' }),
          'INVALID_ARGUMENT',
          /pageToken/,
        )
      })
    })

    describe('lineage', () => {
      // raw → clean → {train → model, stats → report}; model → evaluate → metrics
      let node: Record<string, number>
      beforeEach(async () => {
        await defineTypes(store)
        await store.putExecutionType({ name: 'Step' })
        const [raw] = await store.putArtifacts([
          { type: 'Dataset', name: 'raw' },
        ])
        const step = async (name: string, inputs: number[], output: string) => {
          const result = await store.putExecution({
            execution: { type: 'Step', name },
            artifactEventPairs: [
              ...inputs.map((id) => ({
                artifact: { id },
                event: { type: 'INPUT' as const },
              })),
              {
                artifact: { type: 'Dataset', name: output },
                event: { type: 'OUTPUT' as const },
              },
            ],
          })
          return {
            execution: result.executionId,
            artifact: result.artifactIds.at(-1)!,
          }
        }
        const clean = await step('clean', [raw!], 'clean')
        const train = await step('train', [clean.artifact], 'model')
        const stats = await step('stats', [clean.artifact], 'report')
        const evaluate = await step(
          'evaluate',
          [train.artifact, clean.artifact],
          'metrics',
        )
        node = {
          raw: raw!,
          cleanData: clean.artifact,
          model: train.artifact,
          report: stats.artifact,
          metrics: evaluate.artifact,
          clean: clean.execution,
          train: train.execution,
          stats: stats.execution,
          evaluate: evaluate.execution,
        }
      })

      const names = (graph: {
        artifacts: { name?: string }[]
        executions: { name?: string }[]
      }) => ({
        artifacts: graph.artifacts.map((artifact) => artifact.name).sort(),
        executions: graph.executions.map((execution) => execution.name).sort(),
      })

      it('walks upstream from a model to the raw data, with the events between', async () => {
        const graph = await store.getLineageSubgraph({
          artifactIds: [node.model!],
          direction: 'upstream',
        })
        expect(names(graph)).toEqual({
          artifacts: ['clean', 'model', 'raw'],
          executions: ['clean', 'train'],
        })
        expect(graph.events).toHaveLength(4)
        expect(graph.hops[`a:${node.raw}`]).toBe(4)
      })

      it('walks downstream from the raw data to everything derived from it', async () => {
        const graph = await store.getLineageSubgraph({
          artifactIds: [node.raw!],
          direction: 'downstream',
        })
        expect(names(graph)).toEqual({
          artifacts: ['clean', 'metrics', 'model', 'raw', 'report'],
          executions: ['clean', 'evaluate', 'stats', 'train'],
        })
      })

      it('stops after maxHops', async () => {
        const graph = await store.getLineageSubgraph({
          artifactIds: [node.raw!],
          direction: 'downstream',
          maxHops: 2,
        })
        expect(names(graph)).toEqual({
          artifacts: ['clean', 'raw'],
          executions: ['clean'],
        })
        const three = await store.getLineageSubgraph({
          artifactIds: [node.raw!],
          direction: 'downstream',
          maxHops: 3,
        })
        expect(names(three).executions).toEqual([
          'clean',
          'evaluate',
          'stats',
          'train',
        ])
      })

      it('walks both ways from an execution, reaching siblings as MLMD does', async () => {
        const graph = await store.getLineageSubgraph({
          executionIds: [node.train!],
          direction: 'both',
          maxHops: 2,
        })
        // clean is read by train's siblings stats and evaluate, two hops from train.
        expect(names(graph)).toEqual({
          artifacts: ['clean', 'model'],
          executions: ['clean', 'evaluate', 'stats', 'train'],
        })
        const report = await store.getLineageSubgraph({
          artifactIds: [node.report!],
          direction: 'both',
        })
        expect(names(report).artifacts).toEqual([
          'clean',
          'metrics',
          'model',
          'raw',
          'report',
        ])
      })

      it('stops at boundary artifacts and executions', async () => {
        const graph = await store.getLineageSubgraph({
          artifactIds: [node.raw!],
          direction: 'downstream',
          boundaryExecutions: "name != 'train'",
        })
        expect(names(graph)).toEqual({
          artifacts: ['clean', 'metrics', 'raw', 'report'],
          executions: ['clean', 'evaluate', 'stats'],
        })
        const upstream = await store.getLineageSubgraph({
          artifactIds: [node.metrics!],
          direction: 'upstream',
          boundaryArtifacts: "name != 'clean'",
        })
        expect(names(upstream)).toEqual({
          artifacts: ['metrics', 'model'],
          executions: ['evaluate', 'train'],
        })
        // The starting node is kept even when it does not match.
        const start = await store.getLineageSubgraph({
          artifactIds: [node.raw!],
          boundaryArtifacts: "name = 'nothing'",
        })
        expect(names(start)).toEqual({
          artifacts: ['raw'],
          executions: ['clean'],
        })
        await expectLoreError(
          store.getLineageSubgraph({
            artifactIds: [node.raw!],
            boundaryArtifacts: 'nonsense = 1',
          }),
          'INVALID_ARGUMENT',
          /nonsense/,
        )
      })

      it('returns the contexts of its nodes, their links and the types used', async () => {
        const [run, other] = await store.putContexts([
          { type: 'PipelineRun', name: 'run-1' },
          { type: 'Pipeline', name: 'unrelated' },
        ])
        await store.putAttributionsAndAssociations(
          [{ contextId: run!, artifactId: node.model! }],
          [
            { contextId: run!, executionId: node.train! },
            { contextId: other!, executionId: node.stats! },
          ],
        )
        const graph = await store.getLineageSubgraph({
          artifactIds: [node.model!],
          direction: 'upstream',
        })
        expect(graph.contexts?.map((context) => context.name)).toEqual([
          'run-1',
        ])
        expect(graph.attributions).toEqual([
          { contextId: run!, artifactId: node.model! },
        ])
        expect(graph.associations).toEqual([
          { contextId: run!, executionId: node.train! },
        ])
        expect(graph.artifactTypes?.map((type) => type.name)).toEqual([
          'Dataset',
        ])
        expect(graph.executionTypes?.map((type) => type.name)).toEqual(['Step'])
        expect(graph.contextTypes?.map((type) => type.name)).toEqual([
          'PipelineRun',
        ])
      })

      it('walks 100 hops by default and clamps more instead of refusing them', async () => {
        // A chain of 60 steps: 120 hops from its first artifact to its last.
        let previous = node.raw!
        for (let index = 0; index < 60; index++) {
          const result = await store.putExecution({
            execution: { type: 'Step', name: `chain-${index}` },
            artifactEventPairs: [
              { artifact: { id: previous }, event: { type: 'INPUT' } },
              {
                artifact: { type: 'Dataset', name: `link-${index}` },
                event: { type: 'OUTPUT' },
              },
            ],
          })
          previous = result.artifactIds[1]!
        }
        const reached = (graph: { hops: Record<string, number> }) =>
          Math.max(...Object.values(graph.hops))
        const byDefault = await store.getLineageSubgraph({
          artifactIds: [previous],
          direction: 'upstream',
        })
        expect(reached(byDefault)).toBe(100)
        const clamped = await store.getLineageSubgraph({
          artifactIds: [previous],
          direction: 'upstream',
          maxHops: 5000,
        })
        expect(reached(clamped)).toBe(100)
      })

      it('reports an unknown starting node', async () => {
        await expectLoreError(
          store.getLineageSubgraph({ artifactIds: [987654] }),
          'NOT_FOUND',
          /987654/,
        )
        await expectLoreError(
          store.getLineageSubgraph({}),
          'INVALID_ARGUMENT',
          /starting node/,
        )
      })
    })

    describe('metrics', () => {
      it('stores series and answers by key, step range and latest value', async () => {
        await defineTypes(store)
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'r' },
        ])
        await store.putMetrics([
          { executionId: execution!, key: 'loss', value: 0.9, step: 0 },
          { executionId: execution!, key: 'loss', value: 0.5, step: 1 },
          { executionId: execution!, key: 'loss', value: 0.3, step: 2 },
          { executionId: execution!, key: 'accuracy', value: 0.91 },
          { contextId: run!, key: 'accuracy', value: 0.7, step: 5 },
        ])
        const loss = await store.getMetrics({
          executionId: execution!,
          keys: ['loss'],
        })
        expect(loss.map((point) => point.value)).toEqual([0.9, 0.5, 0.3])
        const middle = await store.getMetrics({
          executionId: execution!,
          keys: ['loss'],
          stepFrom: 1,
          stepTo: 1,
        })
        expect(middle.map((point) => point.value)).toEqual([0.5])
        const latest = await store.getMetrics({
          executionId: execution!,
          latest: true,
        })
        expect(latest.map((point) => [point.key, point.value])).toEqual([
          ['accuracy', 0.91],
          ['loss', 0.3],
        ])
        expect((await store.getMetrics({ contextId: run! }))[0]).toMatchObject({
          key: 'accuracy',
          value: 0.7,
          step: 5,
        })
      })

      it('answers the points of several executions in one query', async () => {
        await defineTypes(store)
        const [first, second, third] = await store.putExecutions([
          { type: 'Train' },
          { type: 'Train' },
          { type: 'Train' },
        ])
        await store.putMetrics([
          { executionId: first!, key: 'loss', value: 1 },
          { executionId: second!, key: 'loss', value: 2 },
          { executionId: second!, key: 'accuracy', value: 0.5 },
          { executionId: third!, key: 'loss', value: 3 },
        ])
        const points = await store.getMetrics({
          executionIds: [first!, second!],
          keys: ['loss'],
        })
        expect(
          points.map((point) => [point.executionId, point.value]).sort(),
        ).toEqual([
          [first!, 1],
          [second!, 2],
        ])
        expect(await store.getMetrics({ executionIds: [] })).toEqual([])
      })

      it('stores the metric points a putExecution request carries with its execution', async () => {
        await defineTypes(store)
        const [run] = await store.putContexts([
          { type: 'PipelineRun', name: 'r' },
        ])
        const request = (index: number): PutExecutionRequest => ({
          ...stepRecord(index, run!, []),
          execution: { type: 'Train', externalId: `step-${index}` },
          options: { reuseExecutionIfAlreadyExistByExternalId: true },
          metrics: [
            {
              key: 'loss',
              value: 1 / index,
              step: 0,
              externalId: `m-${index}`,
            },
            { key: 'accuracy', value: index / 10, externalId: `a-${index}` },
          ],
        })
        const results = await store.putExecutionBatch([request(1), request(2)])
        // A re-sent batch (a retry, an outbox sent twice) stores each point once.
        await store.putExecutionBatch([request(1), request(2)])
        for (const [index, result] of results.entries()) {
          const points = await store.getMetrics({
            executionId: result.executionId,
          })
          expect(points.map((point) => [point.key, point.value])).toEqual([
            ['accuracy', (index + 1) / 10],
            ['loss', 1 / (index + 1)],
          ])
        }
        await expectLoreError(
          store.putExecution({
            execution: { type: 'Train' },
            metrics: [{ key: 'loss', value: Number.POSITIVE_INFINITY }],
          }),
          'INVALID_ARGUMENT',
          /request\.metrics\[0\]\.value/,
        )
      })

      it('stores a point sent twice with the same external id once', async () => {
        await defineTypes(store)
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        const points = [
          {
            executionId: execution!,
            key: 'loss',
            value: 0.5,
            step: 1,
            externalId: 'm-1',
          },
          {
            executionId: execution!,
            key: 'loss',
            value: 0.4,
            step: 2,
            externalId: 'm-2',
          },
          { executionId: execution!, key: 'loss', value: 0.3, step: 3 },
        ]
        await store.putMetrics(points)
        await store.putMetrics(points.slice(0, 2))
        const stored = await store.getMetrics({ executionId: execution! })
        expect(stored.map((point) => [point.step, point.externalId])).toEqual([
          [1, 'm-1'],
          [2, 'm-2'],
          [3, undefined],
        ])
      })

      it('stores a long series in one call, more points than one statement binds, each once', async () => {
        await defineTypes(store)
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        const count = 12_000
        const points = Array.from({ length: count }, (_, index) => ({
          executionId: execution!,
          key: 'loss',
          value: 1 / (index + 1),
          step: index,
          timestampMs: 1_700_000_000_000 + index,
          ...(index % 2 === 0 ? { externalId: `s-${index}` } : {}),
        }))
        // The same external id twice in one call, and the first half sent again.
        await store.putMetrics([...points, points[0]!])
        await store.putMetrics(points.slice(0, count / 2))
        const stored = await store.getMetrics({ executionId: execution! })
        expect(stored).toHaveLength(count + count / 4)
        const once = stored.filter((point) => point.externalId !== undefined)
        expect(once).toHaveLength(count / 2)
        expect(stored.find((point) => point.step === 11_999)).toMatchObject({
          value: 1 / 12_000,
          timestampMs: 1_700_000_011_999,
        })
      })

      it('refuses NaN values and points attached to nothing', async () => {
        await defineTypes(store)
        const [execution] = await store.putExecutions([{ type: 'Train' }])
        await expectLoreError(
          store.putMetrics([
            { executionId: execution!, key: 'loss', value: Number.NaN },
          ]),
          'INVALID_ARGUMENT',
          /metrics\[0\]\.value/,
        )
        await expectLoreError(
          store.putMetrics([{ key: 'loss', value: 1 }]),
          'INVALID_ARGUMENT',
          /executionId or a contextId/,
        )
        await expectLoreError(
          store.putMetrics([{ executionId: 31337, key: 'loss', value: 1 }]),
          'INVALID_ARGUMENT',
          /31337/,
        )
        expect(await store.getMetrics({ executionId: execution! })).toEqual([])
      })
    })

    describe('bad input', () => {
      beforeEach(() => defineTypes(store))

      it('names the field and the value, and changes nothing', async () => {
        await store.putArtifacts([{ type: 'Dataset', name: 'keep' }])
        const before = await snapshot(store)
        const cases: [() => Promise<unknown>, string, RegExp][] = [
          [
            () =>
              store.putArtifacts([
                { type: 'Dataset', state: 'ALIVE' } as never,
              ]),
            'INVALID_ARGUMENT',
            /artifacts\[0\]\.state.*'ALIVE'/,
          ],
          [
            () =>
              store.putArtifacts([{ type: 'Dataset', colour: 'red' } as never]),
            'INVALID_ARGUMENT',
            /colour/,
          ],
          [
            () =>
              store.putArtifacts([
                { type: 'Model', properties: { accuracy: 'high' } },
              ]),
            'INVALID_ARGUMENT',
            /properties\.accuracy.*DOUBLE.*"high"/,
          ],
          [
            () =>
              store.putArtifacts([
                { type: 'Model', properties: { unknown: 1 } },
              ]),
            'INVALID_ARGUMENT',
            /no property 'unknown'/,
          ],
          [
            () =>
              store.putArtifacts([
                { type: 'Dataset', uri: 'x'.repeat(70_000) },
              ]),
            'INVALID_ARGUMENT',
            /artifacts\[0\]\.uri/,
          ],
          [
            () =>
              store.putArtifacts([
                {
                  type: 'Dataset',
                  customProperties: { blob: { data: 'y'.repeat(1_100_000) } },
                },
              ]),
            'INVALID_ARGUMENT',
            /1048576 bytes/,
          ],
          [
            () => store.putArtifacts([{ type: 'NoSuchType' }]),
            'NOT_FOUND',
            /'NoSuchType'/,
          ],
          [
            () => store.putArtifacts([{ uri: 'file:///no-type' }]),
            'INVALID_ARGUMENT',
            /give its type/,
          ],
          [
            () =>
              store.putExecutions([
                { type: 'Train', lastKnownState: 'DONE' } as never,
              ]),
            'INVALID_ARGUMENT',
            /lastKnownState.*'DONE'/,
          ],
          [
            () => store.putArtifacts([{ id: 4242, state: 'LIVE' }]),
            'INVALID_ARGUMENT',
            /artifacts\[0\]\.id 4242/,
          ],
          [
            () =>
              store.putArtifacts([
                { type: 'Dataset', properties: { rows: 1.5 } },
              ]),
            'INVALID_ARGUMENT',
            /rows.*INT/,
          ],
          [
            () => store.putArtifactType({ name: '', properties: {} }),
            'INVALID_ARGUMENT',
            /artifactType\.name/,
          ],
          [
            () =>
              store.putArtifactType({
                name: 'T',
                properties: { p: 'FLOAT' },
              } as never),
            'INVALID_ARGUMENT',
            /'FLOAT'/,
          ],
          [
            () => store.getArtifacts({ limit: -1 }),
            'INVALID_ARGUMENT',
            /query\.limit/,
          ],
        ]
        cases.push(
          [
            () =>
              store.putArtifacts([
                {
                  type: 'Dataset',
                  customProperties: { shape: { mean: Number.NaN } },
                },
              ]),
            'INVALID_ARGUMENT',
            /customProperties\.shape.*NaN/,
          ],
          [
            () =>
              store.putArtifacts([
                { type: 'Dataset', customProperties: { gone: null as never } },
              ]),
            'INVALID_ARGUMENT',
            /customProperties\.gone.*not null/,
          ],
        )
        for (const [call, code, message] of cases)
          await expectLoreError(call(), code, message)
        expect(await snapshot(store)).toEqual(before)
      })
    })

    describe('close', () => {
      it('is idempotent and makes later calls fail clearly', async () => {
        const other = await openEmptyStore()
        await other.close()
        await other.close()
        await expectLoreError(
          other.getArtifacts(),
          'FAILED_PRECONDITION',
          /closed/,
        )
      })
    })
  })
}
