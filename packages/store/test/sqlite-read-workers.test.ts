import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxFilterTerms } from '../src/filter/filter-limits.js'
import { openStore, SqliteDialect } from '../src/index.js'

/*
 * better-sqlite3 is synchronous: on the main thread a slow SELECT stalls every other request
 * of the server. A file store reads on worker threads instead. The server runs in a process
 * of its own, so that the test's requests are not held up by the loop they are watching.
 */

const here = dirname(fileURLToPath(import.meta.url))
const repositoryRoot = resolve(here, '../../..')
const serverScript = join(here, 'fixtures', 'serve-sqlite-file.ts')
const rows = 20_000

/**
 * A filter with as many conditions as one may have, each a LIKE no index can answer and no
 * row matches, so that every row is read (a filter that matches early stops at its limit).
 */
const costliest = Array.from(
  { length: maxFilterTerms },
  (_, index) => `custom_properties.owner LIKE '%nobody-${index}'`,
).join(' OR ')

interface ServerProcess {
  url: string
  child: ChildProcess
  /** Resolves once the server has printed `started` `count` times. */
  started(count: number): Promise<void>
}

async function startServer(
  path: string,
  readWorkers: number,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@lore/source',
      serverScript,
      path,
      String(readWorkers),
    ],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let starts = 0
  const waiting: { count: number; resolve: () => void }[] = []
  let resolveUrl: (url: string) => void = () => {}
  const url = new Promise<string>((resolveGiven) => {
    resolveUrl = resolveGiven
  })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('url ')) resolveUrl(line.slice(4))
    if (line !== 'started') return
    starts++
    for (const wait of waiting.splice(0)) {
      if (starts >= wait.count) wait.resolve()
      else waiting.push(wait)
    }
  })
  return {
    url: await url,
    child,
    started: (count) =>
      starts >= count
        ? Promise.resolve()
        : new Promise((resolveStarted) =>
            waiting.push({ count, resolve: resolveStarted }),
          ),
  }
}

/** The order in which 8 costliest filters and a /health sent once they began were answered. */
async function answerOrder(server: ServerProcess): Promise<string[]> {
  const finished: string[] = []
  const filters = Array.from({ length: 8 }, async (_, index) => {
    const response = await fetch(`${server.url}/v1/getArtifacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: { filter: costliest, limit: 10 } }),
    })
    const json = (await response.json()) as { result: { items: unknown[] } }
    finished.push(`filter ${index}`)
    expect(response.status).toBe(200)
    expect(json.result.items).toEqual([])
  })
  await server.started(1)
  const health = await fetch(`${server.url}/health`)
  finished.push('health')
  expect(health.status).toBe(200)
  await Promise.all(filters)
  return finished
}

describe('SQLite file store reads on worker threads', () => {
  const directory = mkdtempSync(join(tmpdir(), 'lore-read-workers-'))
  const path = join(directory, 'lore.db')
  const servers: ServerProcess[] = []

  beforeAll(async () => {
    const store = await openStore(`sqlite:${path}`)
    await store.putArtifactType({ name: 'Dataset' })
    for (let start = 0; start < rows; start += 1000) {
      await store.putArtifacts(
        Array.from({ length: 1000 }, (_, offset) => ({
          type: 'Dataset',
          uri: `s3://bucket/${start + offset}`,
          customProperties: { owner: `team-${(start + offset) % 97}` },
        })),
      )
    }
    await store.close()
  })
  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM')
      if (server.child.exitCode === null) await once(server.child, 'exit')
    }
    rmSync(directory, { recursive: true, force: true })
  })

  it(`answers /health before 8 running filters of ${maxFilterTerms} conditions end`, async () => {
    const server = await startServer(path, 2)
    servers.push(server)
    const order = await answerOrder(server)
    expect(order[0]).toBe('health')
    expect(order).toHaveLength(9)
  })

  it('answers /health only after a filter ends when reads run on the main thread', async () => {
    // The same server with readWorkers: 0 shows what the workers are for.
    const server = await startServer(path, 0)
    servers.push(server)
    const order = await answerOrder(server)
    expect(order[0]).toMatch(/^filter/)
  })

  it('sees a write of its own process at once', async () => {
    const store = await openStore(`sqlite:${path}`)
    try {
      for (let index = 0; index < 20; index++) {
        const [id] = await store.putArtifacts([
          { type: 'Dataset', uri: `s3://fresh/${index}` },
        ])
        const { items } = await store.getArtifacts({
          uri: `s3://fresh/${index}`,
        })
        expect(items.map((artifact) => artifact.id)).toEqual([id])
      }
    } finally {
      await store.close()
    }
  })

  it("hands a worker's SQLite error back with its message and code, and keeps reading", async () => {
    const driver = await new SqliteDialect({ path }).createDriver()
    try {
      const error = await driver
        .query("SELECT json_extract('not json', '$') AS value")
        .then(
          () => undefined,
          (caught: unknown) => caught as { message: string; code: string },
        )
      expect(error?.message).toMatch(/malformed JSON/)
      expect(error?.code).toBe('SQLITE_ERROR')
      await expect(driver.query('SELECT 1 AS one')).resolves.toEqual([
        { one: 1 },
      ])
      await expect(driver.query('SELECT * FROM nowhere')).rejects.toThrow(
        /no such table/,
      )
    } finally {
      await driver.close()
    }
  })

  it('closes with a read under way, which ends or is refused, and refuses later reads', async () => {
    const store = await openStore(`sqlite:${path}`)
    const running = store.getArtifacts({ filter: costliest, limit: 5 }).then(
      (page) => page.items.length,
      (error: { code?: string }) => error.code,
    )
    await store.close()
    expect([5, 'FAILED_PRECONDITION']).toContain(await running)
    await expect(store.getArtifacts()).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    })
  })
})
