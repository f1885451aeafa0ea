/**
 * `pnpm bench`: what `step()` costs, in one run, against baselines measured in the same run.
 * Prints a table of numbers and ratios; it never passes or fails.
 *
 * - caller's path: µs per call of a trivial sync function, of an async function with a ~1 KB
 *   object argument, and of a sync function with that argument (the parameter snapshot),
 *   against the bare function, a minimal AsyncLocalStorage wrapper, and a minimal snapshot
 *   floor (id + clock + AsyncLocalStorage + JSON snapshot + queue push); calls run in chunks
 *   the queue can hold, and the writes between chunks are not counted;
 * - persisted: step records per second into an embedded store, from the first call to the last
 *   record committed, against raw better-sqlite3 writing the same rows (bench/raw-step-rows.ts);
 * - import: `import('@lore/sdk')` from JavaScript built by esbuild, against `import('zod')`,
 *   each in fresh processes (bench/import-cost.ts);
 * - memory: RSS growth over 1,000,000 recorded calls (every one persisted);
 * - server down: a 5,000-step run recording to `lore serve` that is down, against the same
 *   run with it up, each in its own process (bench/server-run.ts).
 *
 * Goals (issues 3 and 9): caller path ≤ 10 µs and ≤ 1.3 × the snapshot floor; persisted no
 * slower than 0.52 × raw; import ≤ 2 × zod; RSS growth < 50 MB over 1,000,000 calls; server
 * down ≤ 1.5 × up. `--quick` (or `LORE_BENCH_SCALE=0.1`) does less; `--only=persisted,memory`
 * runs only the named parts (caller, persisted, import, memory, server).
 *
 * @example
 * pnpm --filter @lore/sdk bench
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { openStore } from '@lore/store'
import { configure, flush, pipeline, shutdown, step } from '../src/index.js'
import { freePort, startServer } from '../test/support/store-server-process.js'
import { importCost } from './import-cost.js'
import { rawStepWrite } from './raw-step-rows.js'

const quick = process.argv.includes('--quick')
const scale = Number(process.env.LORE_BENCH_SCALE ?? (quick ? 0.1 : 1))
if (!(scale > 0)) throw new Error('LORE_BENCH_SCALE must be a positive number')
const syncCalls = Math.round(200_000 * scale)
const asyncCalls = Math.round(100_000 * scale)
const memoryCalls = Math.round(1_000_000 * scale)
const serverSteps = Math.round(5_000 * Math.min(1, scale * 2))
const importRuns = quick ? 5 : 15
const chunk = 5_000
const parts = ['caller', 'persisted', 'import', 'memory', 'server'] as const
const onlyFlag = process.argv.find((argument) => argument.startsWith('--only='))
const only = onlyFlag?.slice('--only='.length).split(',')
const unknownPart = only?.find(
  (part) => !(parts as readonly string[]).includes(part),
)
if (unknownPart !== undefined)
  throw new Error(
    `--only: no bench part '${unknownPart}'; choose from ${parts.join(', ')}`,
  )
const runs = (part: (typeof parts)[number]) =>
  only === undefined || only.includes(part)

const folder = mkdtempSync(join(tmpdir(), 'lore-sdk-bench-'))
const store = `sqlite:${join(folder, 'lore.db')}`
// The bench measures the recorder, not strict mode's checks; nothing may be dropped.
configure({ store, strict: false, maxQueuedRecords: chunk * 2 })

/** A ~1 KB object argument, like a small config or a row batch's metadata. */
const payload = {
  id: 'batch-0042',
  source: 's3://datasets/clicks/2026-03-01/part-0007.parquet',
  columns: ['user', 'item', 'clicks', 'dwell_ms', 'country', 'device', 'ts'],
  stats: Object.fromEntries(
    Array.from({ length: 20 }, (_, index) => [
      `feature_${index}`,
      { mean: index / 3, std: 1.5 },
    ]),
  ),
  tags: ['nightly', 'clicks', 'v2'],
}

function trivial(value: number): number {
  return value + 1
}
async function asyncWork(batch: typeof payload): Promise<number> {
  return batch.columns.length
}

// The floor: find a frame, run inside a new one, as any context-propagating wrapper must.
const storage = new AsyncLocalStorage<{ parent: unknown }>()
function alsWrap<A extends unknown[], R>(
  fn: (...args: A) => R,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const parent = storage.getStore()
    return storage.run({ parent }, () => fn.apply(this, args))
  }
}

/**
 * The snapshot floor: what recording a call must do at the least — an id, the clocks, a frame
 * in AsyncLocalStorage, a JSON snapshot of the arguments before the call, and a record pushed
 * on a queue (emptied between chunks, as the recorder's is).
 */
const floorQueue: unknown[] = []
function snapshotFloor<A extends unknown[], R>(
  fn: (...args: A) => R,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const id = randomUUID()
    const startTime = Date.now()
    const startMono = performance.now()
    const snapshot = JSON.stringify(args)
    const parent = storage.getStore()
    const result = storage.run({ parent }, () => fn.apply(this, args))
    floorQueue.push({
      id,
      startTime,
      startMono,
      snapshot,
      endMono: performance.now(),
      result,
    })
    return result
  }
}
function summarize(batch: typeof payload): number {
  return batch.columns.length
}
const stepSummarize = step(summarize)
const floorSummarize = snapshotFloor(summarize)
const alsSummarize = alsWrap(summarize)
const emptyFloorQueue = async () => {
  floorQueue.length = 0
}

const stepTrivial = step(trivial)
const stepAsync = step(asyncWork)
const alsTrivial = alsWrap(trivial)
const alsAsync = alsWrap(asyncWork)

/** µs per call of `call`, in chunks; `between` runs after each chunk, untimed. */
async function perCall(
  calls: number,
  call: (index: number) => unknown,
  between: () => Promise<void> = async () => undefined,
): Promise<number> {
  let elapsed = 0
  let sink = 0
  for (let start = 0; start < calls; start += chunk) {
    const end = Math.min(calls, start + chunk)
    const began = performance.now()
    for (let index = start; index < end; index++) sink += Number(call(index))
    elapsed += performance.now() - began
    await between()
  }
  if (sink === Number.MIN_VALUE) console.log(sink)
  return (elapsed * 1000) / calls
}

async function perAsyncCall(
  calls: number,
  call: () => Promise<unknown>,
  between: () => Promise<void> = async () => undefined,
): Promise<number> {
  let elapsed = 0
  for (let start = 0; start < calls; start += chunk) {
    const end = Math.min(calls, start + chunk)
    const began = performance.now()
    for (let index = start; index < end; index++) await call()
    elapsed += performance.now() - began
    await between()
  }
  return (elapsed * 1000) / calls
}

/** Run `body` inside a pipeline run, so steps record into one run. */
async function inRun<T>(
  name: string,
  body: () => Promise<T>,
): Promise<{ runId: string; result: T }> {
  return pipeline(name, {}, body).run(undefined)
}

async function countExecutions(
  runId: string,
  url: string = store,
): Promise<number> {
  const reader = await openStore(url)
  try {
    const [run] = (await reader.getContexts({ externalIds: [runId] })).items
    return Number(run?.customProperties.stepCount ?? 0)
  } finally {
    await reader.close()
  }
}

const format = (value: number, digits = 2) => value.toFixed(digits)
const megabytes = (bytes: number) => bytes / 1024 / 1024
const gc = (globalThis as { gc?: () => void }).gc

console.log(
  `@lore/sdk bench — node ${process.version}, ${syncCalls.toLocaleString()} sync / ${asyncCalls.toLocaleString()} async calls, store ${store}`,
)

// Warm up every path (JIT, store open, types put).
await inRun('bench-warmup', async () => {
  await perCall(
    chunk,
    (index) => stepTrivial(index) + alsTrivial(index) + trivial(index),
    flush,
  )
  await perAsyncCall(
    chunk,
    async () => (await stepAsync(payload)) + (await alsAsync(payload)),
    flush,
  )
  await perCall(
    chunk,
    () =>
      stepSummarize(payload) + floorSummarize(payload) + alsSummarize(payload),
    async () => {
      floorQueue.length = 0
      await flush()
    },
  )
})

const verdict = (met: boolean) => (met ? 'met' : 'missed')
const goals: string[] = []

if (runs('caller')) {
  const bareSync = await perCall(syncCalls, (index) => trivial(index))
  const alsSync = await perCall(syncCalls, (index) => alsTrivial(index))
  const syncRun = await inRun('bench-sync', () =>
    perCall(syncCalls, (index) => stepTrivial(index), flush),
  )
  const bareAsync = await perAsyncCall(asyncCalls, () => asyncWork(payload))
  const alsAsyncCost = await perAsyncCall(asyncCalls, () => alsAsync(payload))
  const asyncRun = await inRun('bench-async', () =>
    perAsyncCall(asyncCalls, () => stepAsync(payload), flush),
  )
  const bareSnapshot = await perCall(syncCalls, () => summarize(payload))
  const alsSnapshot = await perCall(syncCalls, () => alsSummarize(payload))
  const floorSnapshot = await perCall(
    syncCalls,
    () => floorSummarize(payload),
    emptyFloorQueue,
  )
  const snapshotRun = await inRun('bench-snapshot', () =>
    perCall(syncCalls, () => stepSummarize(payload), flush),
  )
  const rows = [
    ['trivial sync fn', bareSync, alsSync, syncRun.result],
    ['async fn, ~1 KB object arg', bareAsync, alsAsyncCost, asyncRun.result],
    [
      'sync fn, ~1 KB object param',
      bareSnapshot,
      alsSnapshot,
      snapshotRun.result,
    ],
  ] as const
  console.log(
    '\ncaller path, µs per call       bare      ALS floor  step      step/ALS  step/bare',
  )
  for (const [label, bare, als, recorded] of rows) {
    console.log(
      `${label.padEnd(30)} ${format(bare, 3).padStart(8)}  ${format(als, 3).padStart(9)}  ${format(recorded, 3).padStart(8)}  ${format(recorded / als, 1).padStart(7)}×  ${format(recorded / bare, 0).padStart(8)}×`,
    )
  }
  const snapshotRatio = snapshotRun.result / floorSnapshot
  console.log(
    `parameter snapshot: step ${format(snapshotRun.result, 3)} µs vs snapshot floor (id + clock + ALS + JSON snapshot + queue push) ${format(floorSnapshot, 3)} µs → ${format(snapshotRatio)}×`,
  )
  const worstCaller = Math.max(
    syncRun.result,
    asyncRun.result,
    snapshotRun.result,
  )
  goals.push(
    `caller path ≤ 10 µs: ${verdict(worstCaller <= 10)} (${format(worstCaller)} µs)`,
    `snapshot ≤ 1.3× floor: ${verdict(snapshotRatio <= 1.3)} (${format(snapshotRatio)}×)`,
  )
}

if (runs('persisted')) {
  // Persisted throughput: first call to last commit, nothing excluded, into a store of its own
  // so that its rows are the run's alone (raw better-sqlite3 writes them again below).
  const persistedFile = join(folder, 'persisted.db')
  const persistedStore = `sqlite:${persistedFile}`
  await pipeline('bench-persisted-warmup', {}, async () => {
    for (let index = 0; index < chunk; index++) stepTrivial(index)
    await flush()
  }).run(undefined, { store: persistedStore })
  const persistedBegan = performance.now()
  const persisted = await pipeline('bench-persisted', {}, async () => {
    for (let start = 0; start < syncCalls; start += chunk) {
      for (let index = start; index < start + chunk; index++) stepTrivial(index)
      // A sync loop never yields to the recorder: let it write before the queue overflows.
      await flush()
    }
  }).run(undefined, { store: persistedStore })
  const persistedSeconds = (performance.now() - persistedBegan) / 1000
  const persistedCount = await countExecutions(persisted.runId, persistedStore)
  await shutdown()
  configure({ store, strict: false, maxQueuedRecords: chunk * 2 })
  const raw = rawStepWrite(persistedFile, join(folder, 'raw.db'), 1000)
  const recordsPerSecond = persistedCount / persistedSeconds
  const rawPerSecond = raw.records / raw.seconds
  const persistedRatio = recordsPerSecond / rawPerSecond
  console.log(
    `\npersisted: ${persistedCount.toLocaleString()} of ${syncCalls.toLocaleString()} step records in ${format(persistedSeconds)} s → ${Math.round(recordsPerSecond).toLocaleString()} records/s; raw better-sqlite3, the same ${raw.rows.toLocaleString()} rows of ${raw.records.toLocaleString()} records: ${Math.round(rawPerSecond).toLocaleString()} records/s → ${format(persistedRatio)}× raw`,
  )
  goals.push(
    `persisted ≥ 0.52× raw: ${verdict(persistedRatio >= 0.52)} (${format(persistedRatio)}×)`,
  )
}

if (runs('import')) {
  // import('@lore/sdk') from built JavaScript against import('zod').
  const imports = await importCost(importRuns)
  const importRatio = imports.sdkMs / imports.zodMs
  console.log(
    `import: import('@lore/sdk') from built JS (${Math.round(imports.bundleBytes / 1024)} KB) ${format(imports.sdkMs, 1)} ms vs import('zod') ${format(imports.zodMs, 1)} ms → ${format(importRatio)}× (median of ${importRuns} fresh processes each)`,
  )
  goals.push(
    `import ≤ 2× zod: ${verdict(importRatio <= 2)} (${format(importRatio)}×)`,
  )
}

if (runs('memory')) {
  // Memory over 1,000,000 recorded calls, every record persisted. RSS is sampled before the
  // phase, after its first chunk (store open, statements prepared, JIT warm) and at its end
  // before the store closes; with --expose-gc each sample follows a forced gc(), so heap
  // garbage is not counted. RSS still holds memory malloc has freed but not returned, so the
  // verdict takes the larger of the two growths, and heap used is printed beside them.
  const sample = () => {
    gc?.()
    const usage = process.memoryUsage()
    return { rss: usage.rss, heap: usage.heapUsed }
  }
  const atStart = sample()
  let afterFirst = atStart
  let rssPeak = atStart.rss
  const memory = await inRun('bench-memory', async () => {
    for (let start = 0; start < memoryCalls; start += chunk) {
      for (let index = start; index < start + chunk; index++) stepTrivial(index)
      await flush()
      if (start === 0) afterFirst = sample()
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }
  })
  const atEnd = sample()
  const memoryCount = await countExecutions(memory.runId)
  await shutdown()
  const fromStart = megabytes(atEnd.rss - atStart.rss)
  const fromFirst = megabytes(atEnd.rss - afterFirst.rss)
  const growth = Math.max(fromStart, fromFirst)
  const peakGrowth = megabytes(rssPeak - atStart.rss)
  const mb = (bytes: number) => `${format(megabytes(bytes), 0)} MB`
  console.log(
    `memory: ${memoryCount.toLocaleString()} recorded calls; RSS ${mb(atStart.rss)} at the start, ${mb(afterFirst.rss)} after the first chunk, ${mb(atEnd.rss)} at the end (peak ${mb(rssPeak)}); heap used ${mb(atStart.heap)} → ${mb(afterFirst.heap)} → ${mb(atEnd.heap)}: growth ${format(fromStart, 1)} MB from the start, ${format(fromFirst, 1)} MB from the first chunk, peak growth ${format(peakGrowth, 1)} MB; ${gc === undefined ? 'no forced gc (run with --expose-gc to leave heap garbage out)' : 'every sample after a forced gc()'}`,
  )
  goals.push(
    `RSS growth < 50 MB: ${verdict(growth < 50)} (${format(growth, 1)} MB, the larger of the two; peak ${format(peakGrowth, 1)} MB)`,
  )
}

if (runs('server')) {
  // A run with its store server down against the same run with it up, each in a fresh process.
  const serverRun = fileURLToPath(new URL('./server-run.ts', import.meta.url))
  const timedServerRun = (storeUrl: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=@lore/source',
          serverRun,
          String(serverSteps),
        ],
        {
          env: {
            ...process.env,
            LORE_STORE: storeUrl,
            LORE_OUTBOX: join(folder, `outbox-${randomUUID()}.db`),
            LORE_STRICT: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let output = ''
      let errors = ''
      child.stdout.on('data', (data: Buffer) => (output += data.toString()))
      child.stderr.on('data', (data: Buffer) => (errors += data.toString()))
      child.on('error', reject)
      child.on('close', (code) => {
        const line = output.trim().split('\n').pop() ?? ''
        if (code !== 0 || !line.startsWith('{'))
          reject(new Error(`server-run ended ${code}: ${errors}`))
        else resolve((JSON.parse(line) as { ms: number }).ms)
      })
    })
  const server = await startServer(
    `sqlite:${join(folder, 'server.db')}`,
    await freePort(),
  )
  await timedServerRun(server.url) // warm-up: the server's first types and run
  const serverUpMs = await timedServerRun(server.url)
  server.child.kill('SIGTERM')
  await server.result
  const serverDownMs = await timedServerRun(server.url)
  const serverRatio = serverDownMs / serverUpMs
  console.log(
    `server down: a ${serverSteps.toLocaleString()}-step run to lore serve took ${format(serverUpMs, 0)} ms up, ${format(serverDownMs, 0)} ms down → ${format(serverRatio)}×`,
  )
  goals.push(
    `server down ≤ 1.5× up: ${verdict(serverRatio <= 1.5)} (${format(serverRatio)}×)`,
  )
}

await shutdown()
console.log(`\ngoals: ${goals.join('; ')}`)
rmSync(folder, { recursive: true, force: true })
