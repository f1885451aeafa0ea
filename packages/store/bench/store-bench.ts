/**
 * `pnpm bench`: how fast the embedded store is, against raw better-sqlite3 writing the same
 * rows. Prints a table; it never passes or fails. Goals (issues 2 and 11), each beside its
 * yardstick from the same run: ingest ≥ 0.8 × raw better-sqlite3; upstream lineage 10 hops deep
 * in 1,000,000 nodes p50 ≤ 20 ms; downstream lineage reaching ~5,000 nodes p50 ≤ 30 ms; over
 * 1,000,000 artifacts with limit 100, a one-property filter p50 ≤ 20 ms at any selectivity and
 * a two-property one ≤ 50 ms, each within 3 × of hand-written SQL on the same file (the bench
 * checks that SQL returns the same ids).
 *
 * `--reads` skips the ingest section and runs only the lineage and filter queries; `--lineage` or
 * `--filters` runs only that one of them.
 *
 * `--quick` (or `LORE_BENCH_SCALE=0.05`) runs a smaller version; `LORE_BENCH_SCALE` scales the
 * node counts and the ingested records. The large lineage and filter files are built once and
 * kept in `<tmpdir>/lore-bench-cache/`, keyed by the data's version, the schema version and
 * the size (`LORE_BENCH_FRESH=1` builds them again); the rest goes to a temporary folder that
 * is removed.
 *
 * @example
 * pnpm --filter @lore/store bench -- --quick
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { openStore, type PutExecutionRequest } from '../src/index.js'
import { latestSchemaVersion } from '../src/sql/migrations.js'

const quick = process.argv.includes('--quick')
/**
 * The sections to run: every one unless `--reads`, `--lineage`, `--filters` or `--only=ingest`
 * picks some.
 */
const picked = (['lineage', 'filters'] as const).filter((flag) =>
  process.argv.includes(`--${flag}`),
)
const ingestOnly = process.argv.includes('--only=ingest')
const sections = {
  ingest: picked.length === 0 && !process.argv.includes('--reads'),
  lineage: !ingestOnly && (picked.length === 0 || picked.includes('lineage')),
  filters: !ingestOnly && (picked.length === 0 || picked.includes('filters')),
}
const scale = Number(process.env.LORE_BENCH_SCALE ?? (quick ? 0.05 : 1))
if (!(scale > 0)) throw new Error('LORE_BENCH_SCALE must be a positive number')

const nodeCount = Math.round(1_000_000 * scale)
const batchSize = 500
const ingestBatches = Math.max(4, Math.round(40 * scale))
const queryCount = 50
const lineageHops = 10
/** Steps per pipeline run in the lineage graph; deeper than the 10 hops walked. */
const chainLength = 20

type SqliteDatabase = Database.Database

/** Bump when the generated lineage or filter data changes, so cached files are rebuilt. */
const benchDataVersion = 2
const cacheDirectory = join(
  tmpdir(),
  'lore-bench-cache',
  `data${benchDataVersion}-schema${latestSchemaVersion}-${nodeCount}`,
)

/**
 * A large file from the cache, or built by `build` (into a temporary name, renamed when
 * complete, so an interrupted build is never taken for a finished one). Returns its path,
 * the value `build` returned (kept beside it as JSON), and the build's seconds (0 if cached).
 */
async function cached<T>(
  name: string,
  build: (path: string) => Promise<T>,
): Promise<{ path: string; value: T; seconds: number; cached: boolean }> {
  mkdirSync(cacheDirectory, { recursive: true })
  const path = join(cacheDirectory, `${name}.db`)
  const meta = `${path}.json`
  if (
    process.env.LORE_BENCH_FRESH !== '1' &&
    existsSync(path) &&
    existsSync(meta)
  )
    return {
      path,
      value: JSON.parse(readFileSync(meta, 'utf8')) as T,
      seconds: 0,
      cached: true,
    }
  const building = `${path}.building`
  for (const leftover of [building, `${building}-wal`, `${building}-shm`])
    rmSync(leftover, { force: true })
  const start = performance.now()
  const value = await build(building)
  renameSync(building, path)
  writeFileSync(meta, JSON.stringify(value))
  return {
    path,
    value,
    seconds: (performance.now() - start) / 1000,
    cached: false,
  }
}

/** A seeded generator, so every run (and both writers) sees the same data. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value)
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? NaN
}

/** Run `query` `count` times after a short warm-up; milliseconds p50 and p95. */
async function latencies(
  count: number,
  query: (index: number) => Promise<unknown>,
): Promise<{ p50: number; p95: number }> {
  for (let index = 0; index < 3; index++) await query(count + index)
  const durations: number[] = []
  for (let index = 0; index < count; index++) {
    const start = performance.now()
    await query(index)
    durations.push(performance.now() - start)
  }
  durations.sort((a, b) => a - b)
  return { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) }
}

function sizeOnDisk(path: string): number {
  const wal = `${path}-wal`
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0)
}

/** Open a file with better-sqlite3 the way the store's SQLite dialect does. */
function openRaw(path: string): SqliteDatabase {
  const database = new Database(path, { timeout: 10_000 })
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  return database
}

/** Fold the WAL into the file, so that the size on disk counts what is stored. */
function checkpoint(path: string): void {
  const database = new Database(path)
  database.pragma('wal_checkpoint(TRUNCATE)')
  database.close()
}

function typeId(database: SqliteDatabase, kind: string, name: string): number {
  const row = database
    .prepare('SELECT id FROM lore_type WHERE kind = ? AND name = ?')
    .get(kind, name) as { id: number } | undefined
  if (row === undefined) throw new Error(`no ${kind} type ${name}`)
  return row.id
}

/** Create a store's schema and the benchmark's types in a new file. */
async function createStore(path: string): Promise<number> {
  const store = await openStore(`sqlite:${path}`)
  await store.putArtifactType({
    name: 'Dataset',
    baseType: 'Dataset',
    properties: { rows: 'INT' },
  })
  await store.putArtifactType({
    name: 'Model',
    baseType: 'Model',
    properties: { accuracy: 'DOUBLE', framework: 'STRING' },
  })
  await store.putExecutionType({
    name: 'Train',
    baseType: 'Train',
    properties: { epochs: 'INT', learning_rate: 'DOUBLE' },
  })
  await store.putContextType({ name: 'PipelineRun' })
  const [runId] = await store.putContexts([
    { type: 'PipelineRun', name: 'bench-run' },
  ])
  await store.close()
  return runId ?? 0
}

// ---------------------------------------------------------------- ingest of step records

/** One step record: 1 execution, 2 input + 1 output artifacts, 3 events, 1 context. */
interface StepRecord {
  name: string
  epochs: number
  learningRate: number
  time: number
  inputs: { uri: string; fingerprint: string; rows: number }[]
  output: { uri: string; accuracy: number }
}

function stepRecords(count: number, offset: number): StepRecord[] {
  const random = randomSource(offset + 1)
  const time = 1_750_000_000_000
  return Array.from({ length: count }, (_, index) => {
    const step = offset + index
    const input = (part: string) => ({
      uri: `s3://bench/data/${step}/${part}.parquet`,
      fingerprint: (step * 2654435761 + part.length)
        .toString(16)
        .padStart(64, '0'),
      rows: Math.floor(random() * 1_000_000),
    })
    return {
      name: `train-${step}`,
      epochs: 1 + (step % 50),
      learningRate: random() / 100,
      time: time + step,
      inputs: [input('train'), input('validation')],
      output: { uri: `s3://bench/models/${step}.pt`, accuracy: random() },
    }
  })
}

function toRequest(record: StepRecord, runId: number): PutExecutionRequest {
  return {
    execution: {
      type: 'Train',
      name: record.name,
      lastKnownState: 'COMPLETE',
      startTimeSinceEpoch: record.time,
      endTimeSinceEpoch: record.time + 1,
      properties: { epochs: record.epochs, learning_rate: record.learningRate },
    },
    artifactEventPairs: [
      ...record.inputs.map((input, index) => ({
        artifact: {
          type: 'Dataset',
          uri: input.uri,
          fingerprint: input.fingerprint,
          properties: { rows: input.rows },
        },
        event: {
          type: 'INPUT' as const,
          path: ['inputs', index],
          millisecondsSinceEpoch: record.time,
        },
      })),
      {
        artifact: {
          type: 'Model',
          uri: record.output.uri,
          properties: { accuracy: record.output.accuracy },
        },
        event: {
          type: 'OUTPUT',
          path: ['outputs', 0],
          millisecondsSinceEpoch: record.time + 1,
        },
      },
    ],
    contexts: [{ id: runId }],
  }
}

/**
 * The rows `putExecution` writes for a step record, written with prepared statements in one
 * transaction per batch: what a hand-written recorder on better-sqlite3 would do.
 */
function rawWriter(
  database: SqliteDatabase,
  runId: number,
): (records: StepRecord[]) => void {
  const types = {
    dataset: typeId(database, 'ARTIFACT', 'Dataset'),
    model: typeId(database, 'ARTIFACT', 'Model'),
    train: typeId(database, 'EXECUTION', 'Train'),
  }
  const insertExecution = database.prepare(
    'INSERT INTO execution (type_id, create_time_since_epoch, last_update_time_since_epoch, name, last_known_state, start_time_since_epoch, end_time_since_epoch) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const insertExecutionProperty = database.prepare(
    'INSERT INTO execution_property (execution_id, name, is_custom, kind, number_value, string_value) VALUES (?, ?, 0, ?, ?, NULL)',
  )
  const insertArtifact = database.prepare(
    'INSERT INTO artifact (type_id, create_time_since_epoch, last_update_time_since_epoch, uri, fingerprint, state) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const insertArtifactProperty = database.prepare(
    'INSERT INTO artifact_property (artifact_id, name, is_custom, kind, number_value, string_value) VALUES (?, ?, 0, ?, ?, NULL)',
  )
  const insertEvent = database.prepare(
    'INSERT INTO event (artifact_id, execution_id, type, path, milliseconds_since_epoch) VALUES (?, ?, ?, ?, ?)',
  )
  const insertAttribution = database.prepare(
    'INSERT INTO attribution (context_id, artifact_id) VALUES (?, ?)',
  )
  const insertAssociation = database.prepare(
    'INSERT INTO association (context_id, execution_id) VALUES (?, ?)',
  )
  const artifact = (
    type: number,
    uri: string,
    fingerprint: string | null,
    property: [string, string, number],
    now: number,
  ): number => {
    const id = Number(
      insertArtifact.run(type, now, now, uri, fingerprint, 'LIVE')
        .lastInsertRowid,
    )
    insertArtifactProperty.run(id, ...property)
    insertAttribution.run(runId, id)
    return id
  }
  return database.transaction((records: StepRecord[]) => {
    const now = Date.now()
    for (const record of records) {
      const executionId = Number(
        insertExecution.run(
          types.train,
          now,
          now,
          record.name,
          'COMPLETE',
          record.time,
          record.time + 1,
        ).lastInsertRowid,
      )
      insertExecutionProperty.run(executionId, 'epochs', 'INT', record.epochs)
      insertExecutionProperty.run(
        executionId,
        'learning_rate',
        'DOUBLE',
        record.learningRate,
      )
      for (const [index, input] of record.inputs.entries()) {
        const id = artifact(
          types.dataset,
          input.uri,
          input.fingerprint,
          ['rows', 'INT', input.rows],
          now,
        )
        insertEvent.run(
          id,
          executionId,
          'INPUT',
          JSON.stringify(['inputs', index]),
          record.time,
        )
      }
      const id = artifact(
        types.model,
        record.output.uri,
        null,
        ['accuracy', 'DOUBLE', record.output.accuracy],
        now,
      )
      insertEvent.run(
        id,
        executionId,
        'OUTPUT',
        JSON.stringify(['outputs', 0]),
        record.time + 1,
      )
      insertAssociation.run(runId, executionId)
    }
  })
}

/** What both files hold, times left out: equal digests mean the same rows were written. */
function contentDigest(path: string): string {
  const database = new Database(path, { readonly: true })
  const queries = [
    'SELECT id, type_id, name, last_known_state, start_time_since_epoch, end_time_since_epoch FROM execution ORDER BY id',
    'SELECT * FROM execution_property ORDER BY execution_id, name',
    'SELECT id, type_id, uri, fingerprint, state FROM artifact ORDER BY id',
    'SELECT * FROM artifact_property ORDER BY artifact_id, name',
    'SELECT artifact_id, execution_id, type, path, milliseconds_since_epoch FROM event ORDER BY id',
    'SELECT * FROM attribution ORDER BY context_id, artifact_id',
    'SELECT * FROM association ORDER BY context_id, execution_id',
  ]
  const digest = JSON.stringify(
    queries.map((sql) => database.prepare(sql).all()),
  )
  database.close()
  return digest
}

interface IngestResult {
  records: number
  loreRate: number
  rawRate: number
  loreBytes: number
  rawBytes: number
  sameRows: boolean
}

async function benchIngest(directory: string): Promise<IngestResult> {
  const lorePath = join(directory, 'ingest-lore.db')
  const rawPath = join(directory, 'ingest-raw.db')
  const runId = await createStore(lorePath)
  checkpoint(lorePath)
  copyFileSync(lorePath, rawPath)
  const emptySize = sizeOnDisk(lorePath)

  // The first batch warms up both writers (JIT, statement caches) and is not timed.
  const batches = Array.from({ length: ingestBatches + 1 }, (_, index) =>
    stepRecords(batchSize, index * batchSize),
  )
  const requests = batches.map((batch) =>
    batch.map((record) => toRequest(record, runId)),
  )
  const records = batchSize * ingestBatches

  const raw = openRaw(rawPath)
  const writeRaw = rawWriter(raw, runId)
  const store = await openStore(`sqlite:${lorePath}`)
  let rawSeconds = 0
  let loreSeconds = 0
  // The writers take turns batch by batch, so both see the same machine (other processes,
  // page cache, file growth) and the ratio stays steady from run to run.
  for (const [index, batch] of batches.entries()) {
    let start = performance.now()
    writeRaw(batch)
    if (index > 0) rawSeconds += (performance.now() - start) / 1000
    start = performance.now()
    await store.putExecutionBatch(requests[index] ?? [])
    if (index > 0) loreSeconds += (performance.now() - start) / 1000
  }
  raw.close()
  await store.close()

  checkpoint(lorePath)
  checkpoint(rawPath)
  const written = records + batchSize
  return {
    records,
    loreRate: records / loreSeconds,
    rawRate: records / rawSeconds,
    loreBytes: (sizeOnDisk(lorePath) - emptySize) / written,
    rawBytes: (sizeOnDisk(rawPath) - emptySize) / written,
    sameRows: contentDigest(lorePath) === contentDigest(rawPath),
  }
}

// ---------------------------------------------------------------- the large stores

/** Bulk loading: the graph is built raw, then queried through the store. */
function openForLoading(path: string): SqliteDatabase {
  const database = new Database(path)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = OFF')
  database.pragma('cache_size = -262144')
  return database
}

/**
 * A lineage graph of `nodeCount` nodes: pipeline runs of `chainLength` training steps, each
 * step reading the previous step's model and one of 1,000 shared datasets and writing a new
 * model. Returns the final model of every run, where 10-hop upstream walks start, and the
 * datasets, where downstream walks start.
 */
async function buildLineageStore(
  path: string,
): Promise<{ finals: number[]; datasets: number[] }> {
  await createStore(path)
  const database = openForLoading(path)
  const dataset = typeId(database, 'ARTIFACT', 'Dataset')
  const model = typeId(database, 'ARTIFACT', 'Model')
  const train = typeId(database, 'EXECUTION', 'Train')
  const insertArtifact = database.prepare(
    "INSERT INTO artifact (type_id, uri, state, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, 'LIVE', ?, ?)",
  )
  const insertArtifactProperty = database.prepare(
    "INSERT INTO artifact_property (artifact_id, name, is_custom, kind, number_value) VALUES (?, ?, 0, 'DOUBLE', ?)",
  )
  const insertExecution = database.prepare(
    "INSERT INTO execution (type_id, name, last_known_state, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, 'COMPLETE', ?, ?)",
  )
  const insertExecutionProperty = database.prepare(
    "INSERT INTO execution_property (execution_id, name, is_custom, kind, number_value) VALUES (?, 'epochs', 0, 'INT', ?)",
  )
  const insertEvent = database.prepare(
    'INSERT INTO event (artifact_id, execution_id, type, path, milliseconds_since_epoch) VALUES (?, ?, ?, ?, ?)',
  )
  const random = randomSource(7)
  const datasetCount = Math.min(1000, Math.floor(nodeCount / 100))
  const runCount = Math.floor((nodeCount - datasetCount) / (2 * chainLength))
  const time = 1_750_000_000_000
  const datasets = database.transaction(() =>
    Array.from({ length: datasetCount }, (_, index) =>
      Number(
        insertArtifact.run(dataset, `s3://bench/datasets/${index}`, time, time)
          .lastInsertRowid,
      ),
    ),
  )()
  const writeRuns = database.transaction((first: number, last: number) => {
    const finals: number[] = []
    for (let run = first; run < last; run++) {
      let previous = datasets[run % datasetCount] ?? 0
      for (let step = 0; step < chainLength; step++) {
        const at = time + run * chainLength + step
        const executionId = Number(
          insertExecution.run(train, `run-${run}-step-${step}`, at, at)
            .lastInsertRowid,
        )
        insertExecutionProperty.run(executionId, 1 + (step % 10))
        const data = datasets[Math.floor(random() * datasetCount)] ?? 0
        insertEvent.run(previous, executionId, 'INPUT', '["inputs",0]', at)
        insertEvent.run(data, executionId, 'INPUT', '["inputs",1]', at)
        const output = Number(
          insertArtifact.run(model, `s3://bench/models/${run}/${step}`, at, at)
            .lastInsertRowid,
        )
        insertArtifactProperty.run(output, 'accuracy', random())
        insertEvent.run(output, executionId, 'OUTPUT', '["outputs",0]', at)
        previous = output
      }
      finals.push(previous)
    }
    return finals
  })
  const finals: number[] = []
  for (let first = 0; first < runCount; first += 1000)
    finals.push(...writeRuns(first, Math.min(runCount, first + 1000)))
  database.close()
  checkpoint(path)
  return { finals, datasets }
}

/** `nodeCount` Model artifacts with a uniform `accuracy` in [0, 1) and a `framework`. */
async function buildFilterStore(path: string): Promise<void> {
  await createStore(path)
  const database = openForLoading(path)
  const model = typeId(database, 'ARTIFACT', 'Model')
  const insertArtifact = database.prepare(
    "INSERT INTO artifact (type_id, uri, state, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, 'LIVE', ?, ?)",
  )
  const insertAccuracy = database.prepare(
    "INSERT INTO artifact_property (artifact_id, name, is_custom, kind, number_value) VALUES (?, 'accuracy', 0, 'DOUBLE', ?)",
  )
  const insertFramework = database.prepare(
    "INSERT INTO artifact_property (artifact_id, name, is_custom, kind, string_value) VALUES (?, 'framework', 0, 'STRING', ?)",
  )
  const frameworks = ['torch', 'jax', 'sklearn', 'xgboost']
  const random = randomSource(11)
  const time = 1_750_000_000_000
  const write = database.transaction((first: number, last: number) => {
    for (let index = first; index < last; index++) {
      const id = Number(
        insertArtifact.run(
          model,
          `s3://bench/models/${index}`,
          time + index,
          time + index,
        ).lastInsertRowid,
      )
      insertAccuracy.run(id, random())
      insertFramework.run(id, frameworks[index % frameworks.length])
    }
  })
  for (let first = 0; first < nodeCount; first += 50_000)
    write(first, Math.min(nodeCount, first + 50_000))
  database.close()
  checkpoint(path)
}

// ---------------------------------------------------------------- report

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const milliseconds = (value: number) => `${value.toFixed(2)} ms`

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  for (const [index, row] of rows.entries()) {
    console.log(
      row.map((cell, column) => cell.padEnd(widths?.[column] ?? 0)).join('  '),
    )
    if (index === 0)
      console.log(widths?.map((width) => '-'.repeat(width)).join('  '))
  }
}

interface FilterCase {
  label: string
  properties: 1 | 2
  /** The Lore filter, `?` standing for the threshold. */
  lore: string
  threshold: number
  count: number
  /** Hand-written SQL for the same page of ids, one `?` for the threshold. */
  sql: Record<string, string>
}

interface FilterResult {
  label: string
  properties: 1 | 2
  lore: { p50: number; p95: number }
  sql: { p50: number; p95: number; form: string }
  items: number
  sameIds: boolean
}

const accuracy =
  "p.name = 'accuracy' AND p.is_custom = 0 AND p.kind IN ('INT', 'DOUBLE') AND p.number_value > ?"
const jax =
  "f.name = 'framework' AND f.is_custom = 0 AND f.kind = 'STRING' AND f.string_value = 'jax'"
const oneProperty = (
  threshold: number,
  label: string,
  count = 50,
): FilterCase => ({
  label,
  properties: 1,
  lore: 'properties.accuracy > ?',
  threshold,
  count,
  sql: {
    'matches first': `SELECT a.* FROM artifact a WHERE a.id IN (SELECT p.artifact_id FROM artifact_property p WHERE ${accuracy}) ORDER BY a.id LIMIT 100`,
    'id order': `SELECT a.* FROM artifact a WHERE EXISTS (SELECT 1 FROM artifact_property p WHERE p.artifact_id = a.id AND ${accuracy}) ORDER BY a.id LIMIT 100`,
  },
})
const filters: FilterCase[] = [
  oneProperty(0.9999, 'properties.accuracy > 0.9999 (0.01 %)'),
  oneProperty(0.99, 'properties.accuracy > 0.99 (1 %)'),
  oneProperty(0.98, 'properties.accuracy > 0.98 (2 %)'),
  oneProperty(0.9, 'properties.accuracy > 0.9 (10 %)'),
  oneProperty(0.5, 'properties.accuracy > 0.5 (50 %)', 20),
  oneProperty(0, 'properties.accuracy > 0 (100 %)', 20),
  {
    label: "framework = 'jax' AND accuracy > 0.99",
    properties: 2,
    lore: "properties.framework = 'jax' AND properties.accuracy > ?",
    threshold: 0.99,
    count: 50,
    sql: {
      'matches first': `SELECT a.* FROM artifact a WHERE a.id IN (SELECT p.artifact_id FROM artifact_property p WHERE ${accuracy}) AND EXISTS (SELECT 1 FROM artifact_property f WHERE f.artifact_id = a.id AND ${jax}) ORDER BY a.id LIMIT 100`,
      'id order': `SELECT a.* FROM artifact a WHERE EXISTS (SELECT 1 FROM artifact_property p WHERE p.artifact_id = a.id AND ${accuracy}) AND EXISTS (SELECT 1 FROM artifact_property f WHERE f.artifact_id = a.id AND ${jax}) ORDER BY a.id LIMIT 100`,
    },
  },
  {
    label: "framework = 'jax' AND accuracy > 0.5",
    properties: 2,
    lore: "properties.framework = 'jax' AND properties.accuracy > ?",
    threshold: 0.5,
    count: 20,
    sql: {
      'matches first': `SELECT a.* FROM artifact a WHERE a.id IN (SELECT f.artifact_id FROM artifact_property f WHERE ${jax}) AND EXISTS (SELECT 1 FROM artifact_property p WHERE p.artifact_id = a.id AND ${accuracy}) ORDER BY a.id LIMIT 100`,
      'id order': `SELECT a.* FROM artifact a WHERE EXISTS (SELECT 1 FROM artifact_property p WHERE p.artifact_id = a.id AND ${accuracy}) AND EXISTS (SELECT 1 FROM artifact_property f WHERE f.artifact_id = a.id AND ${jax}) ORDER BY a.id LIMIT 100`,
    },
  },
]

async function benchLineage() {
  const lineage = await cached('lineage', buildLineageStore)
  const { finals, datasets } = lineage.value
  const lineageStore = await openStore(`sqlite:${lineage.path}`)
  const random = randomSource(3)
  const starts = Array.from(
    { length: queryCount + 3 },
    () => finals[Math.floor(random() * finals.length)] ?? 1,
  )
  let reached = 0
  const upstream = await latencies(queryCount, async (index) => {
    const subgraph = await lineageStore.getLineageSubgraph({
      artifactIds: [starts[index] ?? 1],
      direction: 'upstream',
      maxHops: lineageHops,
    })
    reached = subgraph.artifacts.length + subgraph.executions.length
  })
  // What used this dataset: every run that read it, and what those runs made afterwards.
  let reachedDownstream = 0
  const downstream = await latencies(queryCount, async (index) => {
    const subgraph = await lineageStore.getLineageSubgraph({
      artifactIds: [datasets[index % datasets.length] ?? 1],
      direction: 'downstream',
      maxHops: lineageHops,
    })
    reachedDownstream = subgraph.artifacts.length + subgraph.executions.length
  })
  await lineageStore.close()

  return { lineage, finals, upstream, downstream, reached, reachedDownstream }
}

async function benchFilters() {
  const filterFile = await cached('filter', async (path) => {
    await buildFilterStore(path)
    return {}
  })
  const filterStore = await openStore(`sqlite:${filterFile.path}`)
  const handWritten = new Database(filterFile.path, { readonly: true })
  const filterResults: FilterResult[] = []
  for (const filter of filters) {
    // A slightly different threshold each time, so no two queries are the same.
    const threshold = (index: number) =>
      filter.threshold + (index % 10) * (1 - filter.threshold) * 0.01
    let loreIds: number[] = []
    const lore = await latencies(filter.count, async (index) => {
      const page = await filterStore.getArtifacts({
        filter: filter.lore.replace('?', threshold(index).toFixed(8)),
        limit: 100,
      })
      loreIds = page.items.map((item) => item.id)
    })
    // The yardstick: the faster of two hand-written forms (read the matching property rows
    // first, or walk artifacts in id order probing each), each returning the artifact rows
    // and their properties, as Lore's page does.
    const run = (sql: string) => {
      const statement = handWritten.prepare(sql)
      return (index: number): number[] => {
        const rows = statement.all(Number(threshold(index).toFixed(8))) as {
          id: number
        }[]
        const ids = rows.map((row) => row.id)
        if (ids.length > 0)
          handWritten
            .prepare(
              `SELECT * FROM artifact_property WHERE artifact_id IN (${ids.map(() => '?').join(', ')})`,
            )
            .all(...ids)
        return ids
      }
    }
    // Each form is tried a few times; the faster one is then timed like Lore's.
    const forms = Object.entries(filter.sql).map(([form, sql]) => {
      const query = run(sql)
      const start = performance.now()
      for (let index = 0; index < 3; index++) query(index)
      return { form, query, seconds: performance.now() - start }
    })
    forms.sort((a, b) => a.seconds - b.seconds)
    const fastest = forms[0]!
    let ids: number[] = []
    const timed = await latencies(filter.count, async (index) => {
      ids = fastest.query(index)
    })
    // The last query of both ran with the same threshold; every form must agree with Lore.
    const sameIds = forms.every(
      (form) =>
        JSON.stringify(form.query(filter.count - 1)) ===
        JSON.stringify(loreIds),
    )
    const best = { ...timed, ids, form: fastest.form }
    filterResults.push({
      label: filter.label,
      properties: filter.properties,
      lore,
      sql: best,
      items: loreIds.length,
      sameIds,
    })
  }
  handWritten.close()
  await filterStore.close()

  return { filterFile, filterResults }
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'lore-bench-'))
  const cleanUp = () => rmSync(directory, { recursive: true, force: true })
  process.once('SIGINT', () => {
    cleanUp()
    process.exit(130)
  })
  try {
    const sqlite = new Database(':memory:')
    const { version } = sqlite
      .prepare('SELECT sqlite_version() AS version')
      .get() as {
      version: string
    }
    sqlite.close()
    console.log(
      `Lore store benchmark: scale ${scale}, ${integer.format(nodeCount)} nodes, Node ${process.version}, SQLite ${version}`,
    )

    const ingest = sections.ingest ? await benchIngest(directory) : undefined
    const lineage = sections.lineage ? await benchLineage() : undefined
    const filtering = sections.filters ? await benchFilters() : undefined

    const met = (ok: boolean) => (ok ? 'met' : 'MISSED')
    const build = (file: { seconds: number; cached: boolean }) =>
      file.cached ? 'cached' : `built raw in ${file.seconds.toFixed(1)} s`
    const rows: string[][] = [
      ['measure', 'Lore', 'yardstick', 'Lore / yardstick', 'goal', ''],
    ]
    const notes: string[] = ['']
    if (ingest !== undefined) {
      const ingestRatio = ingest.loreRate / ingest.rawRate
      rows.push(
        [
          `ingest, step records/s (${integer.format(ingest.records)} in batches of ${batchSize}); yardstick raw better-sqlite3`,
          integer.format(ingest.loreRate),
          integer.format(ingest.rawRate),
          ingestRatio.toFixed(3),
          '≥ 0.80',
          met(ingestRatio >= 0.8),
        ],
        [
          'bytes on disk per step record',
          integer.format(ingest.loreBytes),
          integer.format(ingest.rawBytes),
          (ingest.loreBytes / ingest.rawBytes).toFixed(2),
          '≤ 1,963 B',
          met(ingest.loreBytes <= 1963),
        ],
      )
      notes.push(
        `same rows written by Lore and raw: ${ingest.sameRows ? 'yes' : 'NO'}`,
        `a step record: 1 execution (2 properties), 2 input + 1 output artifacts (1 property each), 3 events, 3 attributions, 1 association; the first batch of each writer is a warm-up and not timed`,
      )
    }
    if (lineage !== undefined) {
      const { upstream, downstream, reachedDownstream } = lineage
      rows.push(
        [
          `upstream lineage, ${lineageHops} hops, p50 (${integer.format(nodeCount)} nodes)`,
          milliseconds(upstream.p50),
          '',
          '',
          '≤ 20 ms',
          met(upstream.p50 <= 20),
        ],
        ['upstream lineage, p95', milliseconds(upstream.p95), '', '', '', ''],
        [
          `downstream lineage from a shared dataset, ${lineageHops} hops, ~${integer.format(reachedDownstream)} nodes, p50`,
          milliseconds(downstream.p50),
          '',
          '',
          '≤ 30 ms',
          met(downstream.p50 <= 30),
        ],
        [
          'downstream lineage, p95',
          milliseconds(downstream.p95),
          '',
          '',
          '',
          '',
        ],
      )
      notes.push(
        `lineage store: ${integer.format(lineage.finals.length)} runs of ${chainLength} steps over ${integer.format(Math.min(1000, Math.floor(nodeCount / 100)))} datasets, ${build(lineage.lineage)}; an upstream walk reached ${lineage.reached} nodes, a downstream one ${reachedDownstream}`,
      )
    }
    if (filtering !== undefined) {
      const { filterResults, filterFile } = filtering
      rows.push(
        ...filterResults.flatMap((result) => {
          const limit = result.properties === 1 ? 20 : 50
          const ratio = result.lore.p50 / result.sql.p50
          return [
            [
              `filter ${result.label}, limit 100, p50; yardstick hand-written SQL (${result.sql.form})`,
              milliseconds(result.lore.p50),
              milliseconds(result.sql.p50),
              ratio.toFixed(2),
              `≤ ${limit} ms, ≤ 3×`,
              met(result.lore.p50 <= limit && ratio <= 3 && result.sameIds),
            ],
            [
              `filter ${result.label}, p95`,
              milliseconds(result.lore.p95),
              milliseconds(result.sql.p95),
              '',
              '',
              '',
            ],
          ]
        }),
      )
      notes.push(
        `hand-written SQL returned the same ids as Lore: ${
          filterResults.every((result) => result.sameIds)
            ? 'yes'
            : `NO (${filterResults
                .filter((result) => !result.sameIds)
                .map((result) => result.label)
                .join('; ')})`
        }`,
        `filter store: ${integer.format(nodeCount)} Model artifacts with accuracy and framework, ${build(filterFile)}; pages held ${filterResults.map((result) => result.items).join(' / ')} items`,
      )
    }
    printTable(rows)
    notes.push(
      `cache: ${cacheDirectory}`,
      `${queryCount} timed queries each (fewer for the 50 % filter), after 3 untimed ones`,
    )
    console.log(notes.join('\n'))
  } finally {
    cleanUp()
  }
}

await main()
