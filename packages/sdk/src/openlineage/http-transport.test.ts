import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { runCli } from '../cli/index.js'
import { Outbox } from '../outbox/outbox.js'
import { runTsx } from '../../test/support/run-tsx.js'
import { HttpTransport } from './http-transport.js'
import { OpenLineageEmitter } from './openlineage-emitter.js'

/** A real receiver on 127.0.0.1 that answers with `status()` and keeps what it took. */
interface Receiver {
  url: string
  status: (body: OpenLineageRunEvent) => number
  requests: { headers: IncomingMessage['headers']; body: unknown }[]
  taken: OpenLineageRunEvent[]
  close(): Promise<void>
}

async function receiver(
  status: (body: OpenLineageRunEvent) => number,
): Promise<Receiver> {
  const state: Receiver = {
    url: '',
    status,
    requests: [],
    taken: [],
    close: () => Promise.resolve(),
  }
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const text =
        request.headers['content-encoding'] === 'gzip'
          ? gunzipSync(raw).toString()
          : raw.toString()
      const body = JSON.parse(text) as OpenLineageRunEvent
      state.requests.push({ headers: request.headers, body })
      const code = state.status(body)
      if (code < 300) state.taken.push(body)
      response.writeHead(code, { 'content-type': 'application/json' })
      response.end(code < 300 ? '' : JSON.stringify({ error: 'busy' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

function event(index: number): OpenLineageRunEvent {
  return {
    eventType: 'START',
    eventTime: new Date(1_800_000_000_000 + index).toISOString(),
    producer: 'https://github.com/lore-ml/lore/tree/v0.1.0/packages/sdk',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: {
      runId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    },
    job: { namespace: 'lore', name: `job-${index}` },
  }
}

const fixture = fileURLToPath(
  new URL('../../test/fixtures/lineage-pipeline.ts', import.meta.url),
)

let dir: string
let servers: Receiver[] = []
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-openlineage-'))
})
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
  await rm(dir, { recursive: true, force: true })
})

async function serve(
  status: (body: OpenLineageRunEvent) => number,
): Promise<Receiver> {
  const server = await receiver(status)
  servers.push(server)
  return server
}

describe('HttpTransport', () => {
  it('POSTs gzipped JSON to {url}/api/v1/lineage with the bearer token', async () => {
    const server = await serve(() => 201)
    const transport = new HttpTransport({
      url: server.url,
      apiKey: 'ol-test-key',
    })
    await transport.emit(event(1))
    await transport.close()
    expect(server.taken).toEqual([event(1)])
    const headers = server.requests[0]?.headers
    expect(headers?.authorization).toBe('Bearer ol-test-key')
    expect(headers?.['content-encoding']).toBe('gzip')
    expect(headers?.['content-type']).toBe('application/json')
  })

  it('posts to OPENLINEAGE_ENDPOINT under the url', async () => {
    let path = ''
    const server = await serve(() => 200)
    const transport = new HttpTransport({
      url: `${server.url}/base/`,
      endpoint: '/custom/lineage',
      compression: 'none',
    })
    expect(transport.description).toBe(`http ${server.url}/base/custom/lineage`)
    await transport.emit(event(2))
    await transport.close()
    path = server.requests.length === 1 ? 'sent' : ''
    expect(path).toBe('sent')
    expect(server.requests[0]?.headers['content-encoding']).toBeUndefined()
  })

  it('retries a 5xx and succeeds when the receiver comes back within its bound', async () => {
    const answers = [503, 502, 201]
    const server = await serve(() => answers.shift() ?? 201)
    const transport = new HttpTransport({
      url: server.url,
      retries: 3,
      retryDelayMs: 10,
    })
    await transport.emit(event(3))
    await transport.close()
    expect(server.requests).toHaveLength(3)
    expect(server.taken).toEqual([event(3)])
  })

  it('gives up after 1 + retries tries on 5xx, and does not retry a 400', async () => {
    const down = await serve(() => 503)
    const transport = new HttpTransport({
      url: down.url,
      retries: 2,
      retryDelayMs: 5,
    })
    await expect(transport.emit(event(4))).rejects.toThrow(
      /did not take the event after 3 tries: .*503/,
    )
    expect(down.requests).toHaveLength(3)
    await transport.close()

    const refusing = await serve(() => 400)
    const strict = new HttpTransport({ url: refusing.url, retryDelayMs: 5 })
    await expect(strict.emit(event(5))).rejects.toMatchObject({
      name: 'RefusedEventError',
      status: 400,
    })
    expect(refusing.requests).toHaveLength(1)
    await strict.close()
  })

  it('retries a network error (nothing listening) and then rejects', async () => {
    const gone = await serve(() => 201)
    const url = gone.url
    await gone.close()
    servers = []
    const transport = new HttpTransport({ url, retries: 1, retryDelayMs: 5 })
    await expect(transport.emit(event(6))).rejects.toThrow(
      /did not take the event after 2 tries/,
    )
    await transport.close()
  })

  it('refuses a url that is not http(s), naming it without its password', () => {
    expect(
      () => new HttpTransport({ url: 'ftp://user:hunter2@example.test' }),
    ).toThrow(/must start with http:\/\/ or https:\/\//)
    expect(
      () => new HttpTransport({ url: 'ftp://user:hunter2@example.test' }),
    ).not.toThrow(/hunter2/)
  })
})

describe('OpenLineageEmitter with the http transport and the outbox', () => {
  it('keeps events the server cannot take in the outbox (mode 0600) under the receiver url, and sends them in order once it answers', async () => {
    let up = false
    const server = await serve(() => (up ? 201 : 503))
    const outboxPath = join(dir, 'lore', 'outbox.db')
    const warnings: string[] = []
    const outbox = new Outbox(outboxPath)
    const emitter = new OpenLineageEmitter({
      transport: new HttpTransport({
        url: server.url,
        retries: 2,
        retryDelayMs: 5,
      }),
      outbox,
      warn: (message) => warnings.push(message),
    })
    emitter.emit([event(1), event(2)])
    emitter.emit([event(3)])
    await emitter.flush()
    // The first event was tried 1 + 2 times and nothing overtook it; the second emit found
    // the emitter backing off and did not ask again; the flush did (a flush always tries).
    expect(server.requests.map((request) => request.body)).toEqual(
      Array.from({ length: 6 }, () => event(1)),
    )
    expect(server.taken).toEqual([])
    expect(emitter.queued).toBe(3)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/did not take the event after 3 tries/)
    expect(warnings[0]).toContain('lore outbox list')
    expect((await stat(outboxPath)).mode & 0o777).toBe(0o600)
    const listed = outbox.list()
    expect(listed.map((record) => [record.store, record.operation])).toEqual([
      [`${server.url}/api/v1/lineage`, 'openlineage START job-1'],
      [`${server.url}/api/v1/lineage`, 'openlineage START job-2'],
      [`${server.url}/api/v1/lineage`, 'openlineage START job-3'],
    ])
    await emitter.close()
    outbox.close()

    // Another emitter on the file (as a later process has) sends them first, in order.
    up = true
    const reopened = new OpenLineageEmitter({
      transport: new HttpTransport({ url: server.url, retryDelayMs: 5 }),
      outbox: new Outbox(outboxPath),
      warn: (message) => warnings.push(message),
    })
    expect(reopened.queued).toBe(3)
    reopened.emit([event(4)])
    await reopened.flush()
    expect(server.taken).toEqual([event(1), event(2), event(3), event(4)])
    expect(reopened.queued).toBe(0)
    await reopened.close()
  })

  it('retries on 5xx, gives up after its bound, the outbox keeps the events of a process that exits, and a later process sends them in order once the server answers', async () => {
    let up = false
    const server = await serve(() => (up ? 201 : 503))
    const outboxPath = join(dir, 'outbox.db')
    const env = {
      LORE_STORE: `sqlite:${join(dir, 'lore.db')}`,
      LORE_OUTBOX: outboxPath,
      OPENLINEAGE_URL: server.url,
      LORE_STRICT: '',
    }
    const first = await runTsx(fixture, ['first-run'], { env })
    expect(first.stdout).toContain('done COMPLETE')
    expect(first.stderr).toMatch(
      /lore: OpenLineage: http .* did not take the event after 4 tries: .*503/,
    )
    // Tried, 1 + 3 times, and never taken.
    expect(server.requests.length).toBeGreaterThanOrEqual(4)
    expect(server.taken).toEqual([])

    let listed = ''
    expect(
      await runCli(['outbox', 'list', '--outbox', outboxPath], {
        stdout: (text) => (listed += text),
        stderr: () => undefined,
        interactive: false,
      }),
    ).toBe(0)
    const waiting = [
      'openlineage START first-run',
      'openlineage START first-run.double',
      'openlineage COMPLETE first-run.double',
      'openlineage COMPLETE first-run',
    ]
    for (const operation of waiting) expect(listed).toContain(operation)
    expect(listed).toContain(`${server.url}/api/v1/lineage`)
    expect((await stat(outboxPath)).mode & 0o777).toBe(0o600)

    up = true
    const later = await runTsx(fixture, ['later-run'], { env })
    expect(later.stdout).toContain('done COMPLETE')
    expect(later.stderr).not.toContain('OpenLineage')
    const names = server.taken.map(
      (taken) => `openlineage ${taken.eventType} ${taken.job.name}`,
    )
    // The first process's events first, in the order they happened, then the later one's.
    expect(names).toEqual([
      ...waiting,
      ...waiting.map((name) => name.replace('first-run', 'later-run')),
    ])
    const outbox = new Outbox(outboxPath)
    expect(outbox.list()).toEqual([])
    outbox.close()
  })

  it('moves an event the receiver refuses for good to the dead-letter table, so it cannot hold up the rest; `lore outbox retry` sends it again', async () => {
    let refusing = true
    const server = await serve((body) =>
      refusing && body.job.name === 'job-1' ? 400 : 201,
    )
    const warnings: string[] = []
    const outbox = new Outbox(join(dir, 'refused.db'))
    const emitter = new OpenLineageEmitter({
      transport: new HttpTransport({ url: server.url, retryDelayMs: 5 }),
      outbox,
      warn: (message) => warnings.push(message),
    })
    emitter.emit([event(1), event(2)])
    await emitter.flush()
    expect(server.taken).toEqual([event(2)])
    expect(emitter.refused).toBe(1)
    expect(emitter.queued).toBe(0)
    expect(warnings.join('\n')).toMatch(
      /refused an event .*400.*dead-letter table/,
    )
    expect(
      outbox.list().map((record) => [record.state, record.operation]),
    ).toEqual([['dead', 'openlineage START job-1']])
    await emitter.close()
    outbox.close()

    refusing = false
    let said = ''
    expect(
      await runCli(
        ['outbox', 'retry', '--all', '--outbox', join(dir, 'refused.db')],
        {
          stdout: (text) => (said += text),
          stderr: () => undefined,
          interactive: false,
        },
      ),
    ).toBe(0)
    expect(said).toMatch(/1 entry will be sent again/)
    const later = new OpenLineageEmitter({
      transport: new HttpTransport({ url: server.url, retryDelayMs: 5 }),
      outbox: new Outbox(join(dir, 'refused.db')),
      warn: (message) => warnings.push(message),
    })
    await later.flush()
    expect(server.taken).toEqual([event(2), event(1)])
    expect(later.queued).toBe(0)
    await later.close()
  })

  it('never rejects nor throws, even when the outbox is closed under it', async () => {
    const server = await serve(() => 503)
    const outbox = new Outbox(join(dir, 'closed.db'))
    const warnings: string[] = []
    const emitter = new OpenLineageEmitter({
      transport: new HttpTransport({ url: server.url, retries: 0 }),
      outbox,
      warn: (message) => warnings.push(message),
    })
    outbox.close()
    expect(() => emitter.emit([event(1)])).not.toThrow()
    await expect(emitter.flush()).resolves.toBeUndefined()
    expect(warnings.join('\n')).toMatch(/lost: the outbox .* failed/)
    await emitter.close()
  })
})
