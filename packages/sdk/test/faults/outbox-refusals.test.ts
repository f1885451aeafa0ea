import { setTimeout as sleep } from 'node:timers/promises'
import { openStore, type MetadataStore } from '@lore/store'
import { createStoreServer, type StoreServer } from '@lore/store/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { outboxed, OutboxGate } from '../../src/outbox/outbox-gate.js'
import type { OutboxEntry } from '../../src/outbox/outbox-entry.js'
import { Outbox, type OutboxRecord } from '../../src/outbox/outbox.js'
import { pipeline } from '../../src/pipeline/pipeline-function.js'
import { flush } from '../../src/recorder/recorder-registry.js'
import { shutdown } from '../../src/recorder/shutdown.js'
import { step } from '../../src/step/step.js'
import { startFaultyProxy, type FaultyProxy } from '../support/faulty-proxy.js'
import { readRun } from '../support/read-run.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'

let temp: TempStore
let store: MetadataStore
let server: StoreServer
let proxy: FaultyProxy
let outbox: Outbox
let warnings: string[]
const gates: OutboxGate[] = []

beforeEach(async () => {
  temp = await createTempStore()
  store = await temp.open()
  server = createStoreServer(store, { port: 0 })
  proxy = await startFaultyProxy(await server.listen())
  outbox = new Outbox(`${temp.dir}/outbox.db`)
  warnings = []
})
afterEach(async () => {
  for (const gate of gates.splice(0)) gate.close()
  outbox.close()
  await proxy.close()
  await server.close()
  await temp.cleanup()
})

/** A gate in front of the proxy, with no client retries and a short back-off. */
function gateToProxy(): OutboxGate {
  const gate = new OutboxGate(
    () => openStore(proxy.url, { maxRetries: 0 }),
    proxy.url,
    outbox,
    { minRetryDelayMs: 300, warn: (message) => warnings.push(message) },
  )
  gates.push(gate)
  return gate
}

const typeEntry = (name: string): OutboxEntry => ({
  operation: 'putType',
  kind: 'execution',
  type: { name, properties: {} },
})

async function executionTypeNames(): Promise<string[]> {
  return (await store.getExecutionTypes()).map((type) => type.name)
}

/** Wait until the gate's back-off has passed, then send what waits. */
async function settleLater(gate: OutboxGate): Promise<boolean> {
  for (let attempt = 0; attempt < 250; attempt++) {
    await sleep(40)
    if (await gate.settle()) return true
  }
  return false
}

async function cli(args: string[]) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await runCli([...args, '--outbox', outbox.path], {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    interactive: false,
  })
  return { code, stdout: stdout.join(''), stderr: stderr.join('') }
}

describe('the outbox in front of a store server that refuses writes', () => {
  for (const status of [503, 500, 401, 403, 429, 404]) {
    it(`keeps writes refused with ${status}, waits out its back-off, and sends them in order once the server takes them`, async () => {
      const gate = gateToProxy()
      proxy.failAll(status)
      expect(await gate.write(typeEntry(`First${status}`))).toBe(outboxed)
      expect(await gate.write(typeEntry(`Second${status}`))).toBe(outboxed)
      const waiting = outbox.list()
      expect(waiting.map((record) => record.state)).toEqual([
        'waiting',
        'waiting',
      ])
      expect(waiting[0]).toMatchObject({
        store: proxy.url,
        operation: 'putType',
        reason: `the proxy answers ${status}`,
      })
      expect(waiting[0]!.attempts).toBeGreaterThanOrEqual(1)

      // Within the back-off, settle() sends nothing rather than trying again.
      const seen = proxy.requests.length
      expect(await gate.settle()).toBe(false)
      expect(proxy.requests.length).toBe(seen)

      proxy.heal()
      expect(await settleLater(gate)).toBe(true)
      expect(await executionTypeNames()).toEqual(
        expect.arrayContaining([`First${status}`, `Second${status}`]),
      )
      expect(outbox.list()).toEqual([])
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(
        `keeping records in the outbox ${outbox.path}`,
      )
    })
  }

  it('moves a kept entry refused with 400 to the dead-letter table, sends the next, and lore outbox list|retry|drop manage it', async () => {
    const gate = gateToProxy()
    proxy.failAll(503)
    await gate.write(typeEntry('Refused'))
    await gate.write(typeEntry('Taken'))
    await gate.write(typeEntry('AlsoRefused'))
    proxy.heal()
    // The first kept entry's next attempt is refused as invalid; the others are taken.
    proxy.fail(400)
    expect(await settleLater(gate)).toBe(true)
    const names = await executionTypeNames()
    expect(names).toContain('Taken')
    expect(names).not.toContain('Refused')

    let listed = await cli(['outbox', 'list', '--json'])
    expect(listed.code).toBe(0)
    const records = JSON.parse(listed.stdout) as OutboxRecord[]
    expect(records).toHaveLength(1)
    const [dead] = records
    expect(dead).toMatchObject({
      state: 'dead',
      store: proxy.url,
      operation: 'putType',
      code: 'INVALID_ARGUMENT',
      reason: 'the proxy answers 400',
    })
    expect(dead!.lastTime).toBeGreaterThanOrEqual(dead!.createTime)
    expect(warnings.join('\n')).toContain(
      `refused a kept putType as invalid (the proxy answers 400); it was moved to the dead-letter table of ${outbox.path} as entry ${dead!.id}`,
    )
    listed = await cli(['outbox', 'list'])
    expect(listed.stdout).toMatch(
      new RegExp(`${dead!.id}\\s+dead\\s+${proxy.url}\\s+putType`),
    )
    expect(listed.stdout).toContain('INVALID_ARGUMENT: the proxy answers 400')

    // Dropping needs --yes; the entry stays until then.
    const unconfirmed = await cli(['outbox', 'drop', String(dead!.id)])
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.stderr).toContain('add --yes to confirm')
    expect(outbox.list()).toHaveLength(1)

    // retry moves it back; the server takes it this time.
    const retried = await cli(['outbox', 'retry', String(dead!.id)])
    expect(retried.code).toBe(0)
    expect(outbox.list().map((record) => record.state)).toEqual(['waiting'])
    expect(await settleLater(gate)).toBe(true)
    expect(await executionTypeNames()).toContain('Refused')

    // One refused again, then dropped for good.
    proxy.failAll(503)
    await gate.write(typeEntry('Dropped'))
    proxy.heal()
    proxy.fail(400)
    expect(await settleLater(gate)).toBe(true)
    const [again] = outbox.list()
    expect(again?.state).toBe('dead')
    const dropped = await cli(['outbox', 'drop', String(again!.id), '--yes'])
    expect(dropped.code).toBe(0)
    expect(outbox.list()).toEqual([])
    const unknown = await cli(['outbox', 'drop', '999', '--yes'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no entry 999')
  })
})

describe('a pipeline recording through a server that answers 503, then 429, then takes writes', () => {
  it('completes, says so once on stderr, and every record arrives once the server takes them', async () => {
    const previous = process.env.LORE_OUTBOX
    process.env.LORE_OUTBOX = outbox.path
    const stderr: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr.push(String(text))
      return true
    })
    try {
      const double = step(function double(value: number) {
        return value * 2
      })
      proxy.failAll(503)
      const first = await pipeline('refused', {}, () => {
        let total = 0
        for (let index = 0; index < 20; index++) total += double(index)
        return total
      }).run(undefined, { store: proxy.url })
      expect(first.result).toBe(380)
      // flush() within the back-off tries nothing: no request, no waiting on the client.
      const seen = proxy.requests.length
      for (let index = 0; index < 5; index++) await flush()
      expect(proxy.requests.length).toBe(seen)
      proxy.failAll(429)
      await shutdown()
      proxy.heal()
      const second = await pipeline('taken', {}, () => double(1)).run(
        undefined,
        { store: proxy.url },
      )
      await shutdown()
      expect(stderr).toHaveLength(1)
      expect(stderr[0]).toContain(
        `keeping records in the outbox ${outbox.path}`,
      )
      const refused = await readRun(store, first.runId)
      expect(refused.run.customProperties.status).toBe('COMPLETE')
      expect(refused.executions).toHaveLength(20)
      const taken = await readRun(store, second.runId)
      expect(taken.executions).toHaveLength(1)
      expect(outbox.list()).toEqual([])
    } finally {
      vi.restoreAllMocks()
      if (previous === undefined) delete process.env.LORE_OUTBOX
      else process.env.LORE_OUTBOX = previous
    }
  })
})
