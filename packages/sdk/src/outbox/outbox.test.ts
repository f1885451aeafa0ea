import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxEntry } from './outbox-entry.js'
import { Outbox } from './outbox.js'

const store = 'http://127.0.0.1:4700'
const entry = (index: number): OutboxEntry => ({
  operation: 'putMetrics',
  points: [{ key: `m${index}`, value: index, contextId: 1 }],
})
const indexOf = (sent: OutboxEntry) =>
  sent.operation === 'putMetrics' ? sent.points[0]?.value : undefined

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-outbox-test-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('Outbox', () => {
  it('creates no file until something is kept', () => {
    const outbox = new Outbox(join(dir, 'outbox.db'))
    expect(outbox.pending(store)).toBe(0)
    outbox.close()
  })

  it('sends a store’s entries oldest first and keeps other stores’ entries', async () => {
    const outbox = new Outbox(join(dir, 'outbox.db'))
    for (let index = 0; index < 5; index++) outbox.append(store, entry(index))
    outbox.append('http://other:4700', entry(99))
    const sent: unknown[] = []
    const result = await outbox.drain(store, async (next) => {
      sent.push(indexOf(next))
    })
    expect(result).toEqual({ sent: 5, busy: false })
    expect(sent).toEqual([0, 1, 2, 3, 4])
    expect(outbox.pending('http://other:4700')).toBe(1)
    outbox.close()
  })

  it('keeps the entry that failed and those after it', async () => {
    const outbox = new Outbox(join(dir, 'outbox.db'))
    for (let index = 0; index < 3; index++) outbox.append(store, entry(index))
    await expect(
      outbox.drain(store, async (next) => {
        if (indexOf(next) === 1) throw new Error('down')
      }),
    ).rejects.toThrow('down')
    expect(outbox.pending(store)).toBe(2)
    outbox.close()
  })

  it('lets one of two drainers of one file send, each entry once and in order', async () => {
    const path = join(dir, 'outbox.db')
    const first = new Outbox(path)
    const second = new Outbox(path)
    for (let index = 0; index < 20; index++) first.append(store, entry(index))
    const sent: unknown[] = []
    const send = async (next: OutboxEntry) => {
      await new Promise((resolve) => setImmediate(resolve))
      sent.push(indexOf(next))
    }
    const results = await Promise.all([
      first.drain(store, send),
      second.drain(store, send),
    ])
    expect(results.map((result) => result.busy).sort()).toEqual([false, true])
    expect(sent).toEqual(Array.from({ length: 20 }, (_, index) => index))
    first.close()
    second.close()
  })

  it('takes over the lease of a drainer that stopped without releasing it', async () => {
    const path = join(dir, 'outbox.db')
    const stuck = new Outbox(path, { leaseMs: 0 })
    stuck.append(store, entry(0))
    // A drain whose send never finishes holds the lease; with leaseMs 0 it lapses at once.
    void stuck.drain(store, () => new Promise(() => undefined))
    const next = new Outbox(path)
    const sent: unknown[] = []
    const result = await next.drain(store, async (entry) => {
      sent.push(indexOf(entry))
    })
    expect(result.sent).toBe(1)
    expect(sent).toEqual([0])
    next.close()
    stuck.close()
  })

  it('files a store’s entries under its normalised url, in a file only its owner can read', async () => {
    const path = join(dir, 'outbox.db')
    const outbox = new Outbox(path)
    outbox.append('http://LOCALHOST:80/', entry(0))
    expect(outbox.pending('http://localhost')).toBe(1)
    expect(outbox.pending('http://localhost:4700')).toBe(0)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    outbox.close()
  })
})
