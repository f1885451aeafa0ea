/**
 * `pnpm bench` (after store-bench.ts): step records per second written through the store server
 * on loopback, with SQLite behind it, as a ratio to the embedded store in the same run, and the
 * p50/p99 latency of one batch; with PostgreSQL behind it too when the server at
 * `LORE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`) answers (in a
 * schema of its own, dropped afterwards). Prints a table; it never passes or fails. Goal (issue 5):
 * ≥ 20,000 records/s through the server with SQLite behind it on a 2-core machine. Goals
 * (issue 11): through `lore serve` on PostgreSQL, 1 client ≥ the embedded SQLite rate of the
 * same run, and 4 clients through 2 servers ≥ 3 × the 1-client rate.
 *
 * The server runs in a child process, as `lore serve` would, so client and server each have a
 * core. Batches go one request at a time, in order, as the SDK's recorder sends them; a second
 * row runs several such clients at once.
 *
 * With MySQL or MariaDB behind it too when the server at `LORE_TEST_MYSQL_URL` (default
 * `mysql://root@127.0.0.1:3306/test`) answers (in a database of its own, dropped afterwards).
 *
 * `--quick` (or `LORE_BENCH_SCALE=0.2`) writes fewer records. `--only=postgres,mysql` runs
 * only the named server rows (`sqlite`, `postgres`, `mysql`) beside the embedded yardstick.
 * `LORE_BENCH_SERVER_PROFILE=<folder>` writes a CPU profile of each server process there.
 *
 * A second table says where the CPU went in each row (Linux, from /proc): this client process,
 * the server children, every database process on the machine, and the machine as a whole, so
 * a reader can tell whether a row was held back by the 2 cores rather than by the store.
 *
 * @example
 * pnpm --filter @lore/store bench
 * tsx --conditions=@lore/source bench/server-bench.ts --quick
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createStoreServer } from '../src/server/index.js'
import {
  openStore,
  type MetadataStore,
  type PutExecutionRequest,
} from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import mysql from 'mysql2/promise'
import pg from 'pg'

const quick = process.argv.includes('--quick')
const scale = Number(process.env.LORE_BENCH_SCALE ?? (quick ? 0.2 : 1))
if (!(scale > 0)) throw new Error('LORE_BENCH_SCALE must be a positive number')

const sections = ['sqlite', 'postgres', 'mysql'] as const
const onlyFlag = process.argv.find((argument) => argument.startsWith('--only='))
const only = new Set(
  onlyFlag === undefined
    ? sections
    : onlyFlag.slice('--only='.length).split(','),
)
for (const name of only) {
  if (!(sections as readonly string[]).includes(name))
    throw new Error(`--only takes ${sections.join(', ')}; not '${name}'`)
}

const batchSize = 500
const batches = Math.max(4, Math.round(60 * scale))
const concurrentClients = 4
const goal = 20_000

/** One step record as the recorder sends it: client-made ids on the execution and artifacts. */
function stepRequest(
  index: number,
  runId: number,
  prefix: string,
): PutExecutionRequest {
  const time = 1_750_000_000_000 + index
  return {
    execution: {
      type: 'Train',
      externalId: `${prefix}/step-${index}`,
      // Names are unique within a type: the prefix keeps clients and runs apart.
      name: `${prefix}/train-${index}`,
      lastKnownState: 'COMPLETE',
      startTimeSinceEpoch: time,
      endTimeSinceEpoch: time + 1,
      codeVersion: 'sha256:4f2a…',
      properties: {
        epochs: 1 + (index % 10),
        learning_rate: 0.001 * (index % 7),
      },
    },
    artifactEventPairs: [
      {
        artifact: {
          type: 'Dataset',
          externalId: `${prefix}/data-${index % 100}`,
          uri: `s3://bench/datasets/${index % 100}`,
          properties: { rows: 1000 + (index % 100) },
        },
        event: {
          type: 'INPUT',
          path: ['inputs', 0],
          millisecondsSinceEpoch: time,
        },
      },
      {
        artifact: {
          type: 'Dataset',
          externalId: `${prefix}/split-${index}`,
          uri: `s3://bench/splits/${index}`,
          fingerprint: `${index}`.padStart(64, '0'),
          properties: { rows: 100 },
        },
        event: {
          type: 'INPUT',
          path: ['inputs', 1],
          millisecondsSinceEpoch: time,
        },
      },
      {
        artifact: {
          type: 'Model',
          externalId: `${prefix}/model-${index}`,
          uri: `s3://bench/models/${index}`,
          properties: { accuracy: (index % 1000) / 1000 },
        },
        event: {
          type: 'OUTPUT',
          path: ['outputs', 0],
          millisecondsSinceEpoch: time + 1,
        },
      },
    ],
    contexts: [{ id: runId }],
    // The shared datasets are named again by every 100th step, as a recorder does.
    options: { reuseArtifactIfAlreadyExistByExternalId: true },
  }
}

async function prepare(store: MetadataStore): Promise<number> {
  await store.putArtifactType({ name: 'Dataset', properties: { rows: 'INT' } })
  await store.putArtifactType({
    name: 'Model',
    properties: { accuracy: 'DOUBLE' },
  })
  await store.putExecutionType({
    name: 'Train',
    properties: { epochs: 'INT', learning_rate: 'DOUBLE' },
  })
  await store.putContextType({ name: 'PipelineRun' })
  const [runId] = await store.putContexts([
    { type: 'PipelineRun', name: 'bench' },
  ])
  return runId!
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? NaN
}

interface Measured {
  records: number
  seconds: number
  p50: number
  p99: number
  cpu: CpuSeconds
}

/**
 * CPU seconds spent during a run: by this (client) process, by the server children, by every
 * `postgres`/`mariadbd`/`mysqld` process (other work on the database server counts too), and by
 * the whole machine, beside the wall time; `cores` is how many the machine has. Linux only
 * (from /proc); zeros elsewhere.
 */
interface CpuSeconds {
  client: number
  servers: number
  database: number
  machine: number
  cores: number
}

// USER_HZ: /proc reports CPU time in ticks of 1/100 s on every Linux that Node supports.
const ticksPerSecond = 100

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** utime + stime of a process, in seconds; 0 when it is gone. */
function processCpu(pid: number): number {
  const stat = readProc(`/proc/${pid}/stat`)
  if (stat === undefined) return 0
  // Fields after the command name, which may hold spaces, start after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

const databaseCommands = new Set(['postgres', 'mariadbd', 'mysqld'])

function databasePids(): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) =>
      databaseCommands.has(readProc(`/proc/${entry}/comm`)?.trim() ?? ''),
    )
    .map(Number)
}

/** Busy (non-idle) CPU seconds of the whole machine, and its core count, from /proc/stat. */
function machineCpu(): { busy: number; cores: number } {
  const stat = readProc('/proc/stat')
  if (stat === undefined) return { busy: 0, cores: 0 }
  const lines = stat.split('\n')
  const total = lines[0]!.trim().split(/\s+/).slice(1).map(Number)
  // idle and iowait are the 4th and 5th counters; steal (8th) is time another guest had.
  const busy =
    total.reduce((sum, value) => sum + value, 0) -
    total[3]! -
    total[4]! -
    (total[7] ?? 0)
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length
  return { busy: busy / ticksPerSecond, cores }
}

/** Server child pids to account, set while a server row runs. */
let serverPids: number[] = []

function cpuSnapshot(): CpuSeconds {
  const own = process.cpuUsage()
  const databaseSeconds = databasePids().reduce(
    (sum, pid) => sum + processCpu(pid),
    0,
  )
  const machine = machineCpu()
  return {
    client: (own.user + own.system) / 1e6,
    servers: serverPids.reduce((sum, pid) => sum + processCpu(pid), 0),
    database: databaseSeconds,
    machine: machine.busy,
    cores: machine.cores,
  }
}

function cpuSince(before: CpuSeconds): CpuSeconds {
  const after = cpuSnapshot()
  return {
    client: after.client - before.client,
    servers: after.servers - before.servers,
    // A backend that exited during the run drops out of the sum; never report less than 0.
    database: Math.max(0, after.database - before.database),
    machine: after.machine - before.machine,
    cores: after.cores,
  }
}

/** Write `batches` batches per client, each client's in order; one warm-up batch first. */
async function measure(
  stores: MetadataStore[],
  runId: number,
  label: string,
): Promise<Measured> {
  for (const [client, store] of stores.entries()) {
    await store.putExecutionBatch(
      Array.from({ length: batchSize }, (_, index) =>
        stepRequest(index, runId, `${label}-warm-${client}`),
      ),
    )
  }
  const durations: number[] = []
  const cpuBefore = cpuSnapshot()
  const start = performance.now()
  await Promise.all(
    stores.map(async (store, client) => {
      for (let batch = 0; batch < batches; batch++) {
        const requests = Array.from({ length: batchSize }, (_, index) =>
          stepRequest(batch * batchSize + index, runId, `${label}-${client}`),
        )
        const begin = performance.now()
        await store.putExecutionBatch(requests)
        durations.push(performance.now() - begin)
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  const cpu = cpuSince(cpuBefore)
  durations.sort((a, b) => a - b)
  return {
    records: stores.length * batches * batchSize,
    seconds,
    p50: percentile(durations, 0.5),
    p99: percentile(durations, 0.99),
    cpu,
  }
}

/** Start `lore serve`'s equivalent in a child process; resolves to its url. */
function startServerProcess(
  storeUrl: string,
): Promise<{ url: string; child: ChildProcess }> {
  const here = dirname(fileURLToPath(import.meta.url))
  const child = spawn(
    process.execPath,
    [
      // Profiles of the servers, to see where a request's time goes.
      ...(process.env.LORE_BENCH_SERVER_PROFILE
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env.LORE_BENCH_SERVER_PROFILE}`,
          ]
        : []),
      '--import',
      'tsx',
      '--conditions=@lore/source',
      fileURLToPath(import.meta.url),
      '--serve',
      storeUrl,
    ],
    { cwd: resolve(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return new Promise((resolveStart, reject) => {
    child.once('error', reject)
    child.once('exit', (code) =>
      reject(new Error(`the bench server exited early (code ${code})`)),
    )
    createInterface({ input: child.stdout! }).once('line', (url) =>
      resolveStart({ url, child }),
    )
  })
}

/** The child's side: serve the store at `storeUrl` until SIGTERM. */
async function serve(storeUrl: string): Promise<void> {
  const store = await openStore(storeUrl)
  const server = createStoreServer(store, { port: 0 })
  console.log(await server.listen())
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => store.close())
      .then(() => process.exit(0))
  })
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  for (const [index, row] of rows.entries()) {
    console.log(
      row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '),
    )
    if (index === 0)
      console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  }
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'lore-server-bench-'))
  let children: ChildProcess[] = []
  const cleanUp = () => {
    for (const child of children) child.kill('SIGTERM')
    rmSync(directory, { recursive: true, force: true })
  }
  process.once('SIGINT', () => {
    cleanUp()
    process.exit(130)
  })
  try {
    console.log(
      `Lore server benchmark: ${batches} batches of ${batchSize} step records per client, Node ${process.version}, server in a child process on 127.0.0.1`,
    )
    const embedded = await openStore(`sqlite:${join(directory, 'embedded.db')}`)
    const embeddedRun = await prepare(embedded)
    const local = await measure([embedded], embeddedRun, 'embedded')
    await embedded.close()

    // `servers` copies of `lore serve` on one database; the clients take them in turn.
    const throughServer = async (storeUrl: string, servers = 1) => {
      const started: { url: string; child: ChildProcess }[] = []
      try {
        for (let index = 0; index < servers; index++)
          started.push(await startServerProcess(storeUrl))
        children = started.map((server) => server.child)
        serverPids = started.flatMap(({ child }) =>
          child.pid === undefined ? [] : [child.pid],
        )
        const clients = Array.from(
          { length: concurrentClients },
          (_, index) =>
            new RemoteStore(started[index % servers]!.url, { maxRetries: 2 }),
        )
        try {
          const run = await prepare(clients[0]!)
          const one = await measure([clients[0]!], run, 'remote')
          const several = await measure(clients, run, 'concurrent')
          return { one, several }
        } finally {
          await Promise.all(clients.map((client) => client.close()))
        }
      } finally {
        await Promise.all(
          started.map(({ child: server }) => {
            const exited = new Promise((done) => server.once('exit', done))
            server.kill('SIGTERM')
            return exited
          }),
        )
        children = []
        serverPids = []
      }
    }
    const sqlite = only.has('sqlite')
      ? await throughServer(`sqlite:${join(directory, 'served.db')}`)
      : undefined
    const postgres = only.has('postgres')
      ? await postgresBench(throughServer)
      : undefined
    const mariadb = only.has('mysql')
      ? await mysqlBench(throughServer)
      : undefined

    const rate = (result: Measured) => result.records / result.seconds
    const labeled = [
      ['embedded SQLite', local],
      ...(sqlite === undefined
        ? []
        : ([
            ['server → SQLite, 1 client', sqlite.one],
            [`server → SQLite, ${concurrentClients} clients`, sqlite.several],
          ] as const)),
      ...(postgres === undefined
        ? []
        : ([
            ['server → PostgreSQL, 1 client', postgres.one],
            [
              `2 servers → PostgreSQL, ${concurrentClients} clients`,
              postgres.several,
            ],
          ] as const)),
      ...(mariadb === undefined
        ? []
        : ([
            [`server → ${mariadb.name}, 1 client`, mariadb.one],
            [
              `2 servers → ${mariadb.name}, ${concurrentClients} clients`,
              mariadb.several,
            ],
          ] as const)),
    ] as const
    const rows = [
      [
        'writer',
        'records',
        'records/s',
        'vs embedded',
        'batch p50',
        'batch p99',
      ],
      ...labeled.map(([label, result]) => [
        label,
        integer.format(result.records),
        integer.format(rate(result)),
        `${(rate(result) / rate(local)).toFixed(2)}×`,
        `${result.p50.toFixed(1)} ms`,
        `${result.p99.toFixed(1)} ms`,
      ]),
    ]
    console.log('')
    printTable(rows)
    console.log('')
    // Where the CPU went: on a shared 2-core machine, a row whose machine-wide busy cores
    // are near the core count cannot go faster by adding clients.
    const perRecord = (seconds: number, result: Measured) =>
      `${((seconds / result.records) * 1e6).toFixed(0)} µs`
    const cpuRows = [
      [
        'writer (CPU during the run)',
        'wall',
        'client',
        'servers',
        'database processes',
        'machine busy',
        'busy cores',
        'client+servers+db / record',
      ],
      ...labeled.map(([label, result]) => [
        label,
        `${result.seconds.toFixed(2)} s`,
        `${result.cpu.client.toFixed(2)} s`,
        `${result.cpu.servers.toFixed(2)} s`,
        `${result.cpu.database.toFixed(2)} s`,
        `${result.cpu.machine.toFixed(2)} s`,
        `${(result.cpu.machine / result.seconds).toFixed(2)} of ${result.cpu.cores}`,
        perRecord(
          result.cpu.client + result.cpu.servers + result.cpu.database,
          result,
        ),
      ]),
    ]
    printTable(cpuRows)
    console.log(
      `(database processes: every postgres/mariadbd/mysqld process on this machine; machine busy includes other users' work; load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')})`,
    )
    console.log('')
    if (sqlite !== undefined) {
      const best = Math.max(rate(sqlite.one), rate(sqlite.several))
      console.log(
        `goal ≥ ${integer.format(goal)} records/s through the server: ${best >= goal ? 'met' : 'NOT met'} (1 client ${integer.format(rate(sqlite.one))}, ${concurrentClients} clients ${integer.format(rate(sqlite.several))})`,
      )
    }
    if (postgres !== undefined) {
      const one = rate(postgres.one) / rate(local)
      const several = rate(postgres.several) / rate(postgres.one)
      console.log(
        `goal (issue 11) PostgreSQL 1 client ≥ 1.00 × embedded SQLite: ${one.toFixed(2)} × ${one >= 1 ? 'met' : 'MISSED'}`,
      )
      console.log(
        `goal (issue 11) PostgreSQL ${concurrentClients} clients through 2 servers ≥ 3.00 × 1 client: ${several.toFixed(2)} × ${several >= 3 ? 'met' : 'MISSED'}`,
      )
    }
  } finally {
    cleanUp()
  }
}

/**
 * The server rows with PostgreSQL behind it, in a schema made for the run and dropped after;
 * undefined (and a line saying why) when PostgreSQL does not answer.
 */
async function postgresBench(
  throughServer: (
    storeUrl: string,
    servers?: number,
  ) => Promise<{ one: Measured; several: Measured }>,
): Promise<{ one: Measured; several: Measured } | undefined> {
  const url =
    process.env.LORE_TEST_POSTGRES_URL ??
    'postgres://postgres@127.0.0.1:5432/test'
  const admin = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 3000,
  })
  admin.on('error', () => undefined)
  try {
    await admin.query('SELECT 1')
  } catch (error) {
    console.log(
      `(no PostgreSQL rows: ${url} does not answer: ${(error as Error).message})`,
    )
    await admin.end()
    return undefined
  }
  const schema = `lore_bench_${randomBytes(6).toString('hex')}`
  try {
    return await throughServer(
      `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`,
      2,
    )
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  }
}

/**
 * The server rows with MySQL or MariaDB behind it, in a database made for the run and dropped
 * after; undefined (and a line saying why) when the server does not answer.
 */
async function mysqlBench(
  throughServer: (
    storeUrl: string,
    servers?: number,
  ) => Promise<{ one: Measured; several: Measured }>,
): Promise<{ one: Measured; several: Measured; name: string } | undefined> {
  const url =
    process.env.LORE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
  const admin = mysql.createPool({
    uri: url,
    connectionLimit: 1,
    connectTimeout: 3000,
  })
  let name: string
  try {
    const [rows] = await admin.query('SELECT VERSION() AS version')
    const version = String((rows as { version: string }[])[0]?.version)
    name = version.includes('MariaDB') ? 'MariaDB' : 'MySQL'
  } catch (error) {
    console.log(
      `(no MySQL rows: ${url} does not answer: ${(error as Error).message})`,
    )
    await admin.end()
    return undefined
  }
  const database = `lore_bench_${randomBytes(6).toString('hex')}`
  await admin.query(`CREATE DATABASE ${database}`)
  try {
    const storeUrl = new URL(url)
    storeUrl.pathname = `/${database}`
    return { ...(await throughServer(storeUrl.toString(), 2)), name }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`)
    await admin.end()
  }
}

const serveAt = process.argv.indexOf('--serve')
if (serveAt >= 0) {
  await serve(process.argv[serveAt + 1]!)
} else {
  await main()
}
