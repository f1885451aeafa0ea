import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LoreError,
  latestSchemaVersion,
  openStore,
  type MetadataStore,
} from '../src/index.js'

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'lore-v1.db',
)
/** The fixed time `fixtures/make-v1-database.ts` counts from. */
const time = 1_709_294_400_000

function schemaVersionOf(path: string): number {
  const database = new Database(path, { readonly: true })
  try {
    const rows = database.prepare('SELECT version FROM lore_schema').all() as {
      version: number
    }[]
    expect(rows).toHaveLength(1)
    return Number(rows[0]?.version)
  } finally {
    database.close()
  }
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('schema migrations', () => {
  let directory: string
  let store: MetadataStore | undefined

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'lore-migration-'))
  })
  afterEach(async () => {
    await store?.close()
    store = undefined
    rmSync(directory, { recursive: true, force: true })
  })

  describe('opening a file written at schema version 1', () => {
    let path: string

    beforeEach(async () => {
      path = join(directory, 'lore.db')
      copyFileSync(fixture, path)
      expect(schemaVersionOf(path)).toBe(1)
      store = await openStore(`sqlite:${path}`)
    })

    it('upgrades it to the latest schema version', () => {
      expect(latestSchemaVersion).toBeGreaterThan(1)
      expect(schemaVersionOf(path)).toBe(latestSchemaVersion)
    })

    it('gives its property tables indexes that cover a filtered value and the node id', () => {
      const database = new Database(path, { readonly: true })
      const columns = (index: string) =>
        (
          database.prepare(`PRAGMA index_info(${index})`).all() as {
            name: string
          }[]
        ).map((column) => column.name)
      try {
        for (const owner of ['artifact', 'execution', 'context']) {
          expect(columns(`${owner}_property_string`)).toEqual([
            'name',
            'is_custom',
            'kind',
            'string_value',
            `${owner}_id`,
          ])
          expect(columns(`${owner}_property_number`)).toEqual([
            'name',
            'is_custom',
            'kind',
            'number_value',
            `${owner}_id`,
          ])
        }
      } finally {
        database.close()
      }
    })

    it('makes metric series work for the executions it already held', async () => {
      const opened = store as MetadataStore
      const [training] = (await opened.getExecutions({ name: 'train-iris' }))
        .items
      expect(training).toBeDefined()
      const executionId = training?.id ?? 0
      await opened.putMetrics([
        { executionId, key: 'loss', value: 0.9, step: 0, timestampMs: time },
        { executionId, key: 'loss', value: 0.4, step: 1, timestampMs: time },
      ])
      expect(
        await opened.getMetrics({ executionId, keys: ['loss'], latest: true }),
      ).toEqual([
        { executionId, key: 'loss', value: 0.4, step: 1, timestampMs: time },
      ])
    })

    it('keeps its types', async () => {
      const opened = store as MetadataStore
      expect(await opened.getArtifactType('Model', '1')).toMatchObject({
        name: 'Model',
        version: '1',
        baseType: 'Model',
        properties: {
          accuracy: 'DOUBLE',
          framework: 'STRING',
          hyperparameters: 'STRUCT',
          calibrated: 'BOOLEAN',
        },
      })
      expect(await opened.getArtifactType('Dataset')).toMatchObject({
        description: 'a table of examples',
        properties: { rows: 'INT', split: 'STRING' },
      })
      expect(
        (await opened.getExecutionTypes()).map((type) => type.name),
      ).toEqual(['Train'])
      expect((await opened.getContextTypes()).map((type) => type.name)).toEqual(
        ['Pipeline', 'PipelineRun'],
      )
    })

    it('reads its artifacts back with their properties', async () => {
      const opened = store as MetadataStore
      const artifacts = (await opened.getArtifacts()).items
      expect(artifacts.map((artifact) => artifact.name)).toEqual([
        'iris-train',
        'iris-test',
        'iris-classifier',
      ])
      expect(artifacts[0]).toMatchObject({
        type: 'Dataset',
        uri: 's3://lore-fixtures/iris/train.csv',
        version: '1',
        externalId: 'dataset:iris-train@1',
        fingerprint: 'a'.repeat(64),
        state: 'LIVE',
        properties: { rows: 120, split: 'train' },
        customProperties: { source: 'uci', tags: ['flowers', 'tabular'] },
        createTimeSinceEpoch: time + 1_000,
      })
      expect(artifacts[2]).toMatchObject({
        type: 'Model',
        properties: {
          accuracy: 0.9667,
          framework: 'sklearn',
          hyperparameters: { max_depth: 3, criterion: 'gini' },
          calibrated: true,
        },
        customProperties: { note: `it's "quoted"` },
      })
      const filtered = await opened.getArtifacts({
        filter: 'properties.accuracy > 0.9',
      })
      expect(filtered.items.map((artifact) => artifact.name)).toEqual([
        'iris-classifier',
      ])
    })

    it('reads its executions back with their events and contexts', async () => {
      const opened = store as MetadataStore
      const [training, retry] = (await opened.getExecutions()).items
      expect(training).toMatchObject({
        name: 'train-iris',
        type: 'Train',
        lastKnownState: 'COMPLETE',
        startTimeSinceEpoch: time + 2_000,
        endTimeSinceEpoch: time + 5_000,
        cacheKey: 'train-iris:3f2a',
        codeVersion: 'git:0a1b2c3',
        properties: { epochs: 10, learning_rate: 0.01 },
        customProperties: { host: 'ci-runner-1' },
      })
      expect(retry).toMatchObject({
        name: 'train-iris-retry',
        lastKnownState: 'FAILED',
        error: {
          name: 'ValueError',
          message: 'learning rate must be positive',
        },
        properties: { epochs: 10, learning_rate: -1 },
      })
      const artifactIds = (await opened.getArtifacts()).items.map(
        (artifact) => artifact.id,
      )
      const events = await opened.getEvents({
        executionIds: [training?.id ?? 0],
      })
      expect(events).toEqual([
        {
          artifactId: artifactIds[0],
          executionId: training?.id,
          type: 'INPUT',
          path: ['inputs', 'train'],
          millisecondsSinceEpoch: time + 2_000,
        },
        {
          artifactId: artifactIds[1],
          executionId: training?.id,
          type: 'INPUT',
          path: ['inputs', 'test'],
          millisecondsSinceEpoch: time + 2_000,
        },
        {
          artifactId: artifactIds[2],
          executionId: training?.id,
          type: 'OUTPUT',
          path: ['outputs', 0],
          millisecondsSinceEpoch: time + 5_000,
        },
      ])

      const [run] = (await opened.getContexts({ type: 'PipelineRun' })).items
      expect(run).toMatchObject({
        name: 'iris-2024-03-01',
        externalId: 'run:iris-2024-03-01',
        properties: { started_by: 'ci' },
      })
      const runId = run?.id ?? 0
      expect(
        (await opened.getExecutions({ contextId: runId })).items.map(
          (execution) => execution.name,
        ),
      ).toEqual(['train-iris', 'train-iris-retry'])
      expect(
        (await opened.getArtifacts({ contextId: runId })).items,
      ).toHaveLength(3)
      expect(
        (await opened.getParentContexts(runId)).map((context) => context.name),
      ).toEqual(['iris'])

      const lineage = await opened.getLineageSubgraph({
        artifactIds: [artifactIds[2] ?? 0],
        direction: 'upstream',
      })
      expect(lineage.executions.map((execution) => execution.name)).toEqual([
        'train-iris',
      ])
      expect(lineage.artifacts.map((artifact) => artifact.id)).toEqual(
        artifactIds,
      )
    })

    it('accepts new records next to the old ones', async () => {
      const opened = store as MetadataStore
      const [model] = (await opened.getArtifacts({ name: 'iris-classifier' }))
        .items
      const result = await opened.putExecution({
        execution: { type: 'Train', name: 'fine-tune' },
        artifactEventPairs: [
          { artifact: { id: model?.id ?? 0 }, event: { type: 'INPUT' } },
          {
            artifact: { type: 'Model', properties: { accuracy: 0.98 } },
            event: { type: 'OUTPUT' },
          },
        ],
      })
      const lineage = await opened.getLineageSubgraph({
        artifactIds: [result.artifactIds[1] ?? 0],
        direction: 'upstream',
      })
      expect(lineage.executions.map((execution) => execution.name)).toEqual([
        'train-iris',
        'fine-tune',
      ])
    })
  })

  it('gives a new database the latest schema version', async () => {
    const path = join(directory, 'new', 'lore.db')
    store = await openStore(`sqlite:${path}`)
    expect(schemaVersionOf(path)).toBe(latestSchemaVersion)
  })

  it.each(['wal', 'delete'])(
    'refuses a database from a newer schema version (journal mode %s) and leaves the file as it was',
    async (journalMode) => {
      const path = join(directory, 'newer.db')
      copyFileSync(fixture, path)
      const newer = latestSchemaVersion + 1
      const database = new Database(path)
      database.prepare('UPDATE lore_schema SET version = ?').run(newer)
      database.pragma('wal_checkpoint(TRUNCATE)')
      // A file another tool wrote without WAL: switching it to WAL would rewrite its header.
      database.pragma(`journal_mode = ${journalMode}`)
      database.close()
      const before = sha256Of(path)

      const error = await openStore(`sqlite:${path}`).then(
        (opened) => {
          store = opened
          return undefined
        },
        (caught: unknown) => caught,
      )

      expect(LoreError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ code: 'FAILED_PRECONDITION' })
      const message = (error as LoreError).message
      expect(message).toMatch(new RegExp(`\\b${newer}\\b`))
      expect(message).toMatch(new RegExp(`\\b${latestSchemaVersion}\\b`))
      expect(sha256Of(path)).toBe(before)
      expect(existsSync(`${path}-wal`)).toBe(false)
      expect(schemaVersionOf(path)).toBe(newer)
    },
  )
})
