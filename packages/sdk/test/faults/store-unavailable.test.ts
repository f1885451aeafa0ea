import { rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { openStore } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Outbox } from '../../src/outbox/outbox.js'
import { runTsx } from '../support/run-tsx.js'
import { freePort } from '../support/store-server-process.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'
import { printedRunId, runExecutions } from './fault-support.js'

const pipelineScript = fileURLToPath(
  new URL('../fixtures/fault-pipeline.ts', import.meta.url),
)

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await temp.cleanup()
})

function pendingIn(path: string, store: string): number {
  const outbox = new Outbox(path)
  try {
    return outbox.pending(store)
  } finally {
    outbox.close()
  }
}

describe('a store that cannot be opened or reached', () => {
  it('is said once on stderr with the outbox path; the records wait there and reach the store once it opens', async () => {
    // A file where the store's folder should be: no one, root included, can create it.
    const blocker = `${temp.dir}/not-a-folder`
    await writeFile(blocker, 'in the way')
    const url = `sqlite:${blocker}/foo.db`
    const outboxPath = `${temp.dir}/outbox.db`
    const env = { LORE_STORE: url, LORE_OUTBOX: outboxPath, LORE_STRICT: '0' }

    const started = performance.now()
    const first = await runTsx(pipelineScript, ['200', '20'], { env })
    const elapsed = performance.now() - started
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^done \S+ COMPLETE$/m)
    const lines = first.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^lore: cannot open the store ${url} \\(.+\\); keeping records in the outbox ${outboxPath} and sending them once it answers`,
      ),
    )
    expect(pendingIn(outboxPath, url)).toBeGreaterThan(0)
    console.log(
      `200 steps and 11 flushes with the store unopenable took ${elapsed.toFixed(0)} ms`,
    )

    await rm(blocker)
    const later = await runTsx(pipelineScript, ['5'], { env })
    expect(later.code).toBe(0)
    expect(later.stderr).toBe('')
    expect(pendingIn(outboxPath, url)).toBe(0)
    const store = await openStore(url)
    try {
      const { run, executions } = await runExecutions(
        store,
        printedRunId(first.stdout),
      )
      expect(run.customProperties).toMatchObject({
        status: 'COMPLETE',
        stepCount: 200,
      })
      expect(executions).toHaveLength(200)
    } finally {
      await store.close()
    }
  })

  it('is said once for a store server that is down, with the outbox path, and the run is not held up', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const outboxPath = `${temp.dir}/outbox.db`
    const started = performance.now()
    const result = await runTsx(pipelineScript, ['200', '20'], {
      env: { LORE_STORE: url, LORE_OUTBOX: outboxPath },
    })
    const elapsed = performance.now() - started
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^done \S+ COMPLETE$/m)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(
      `lore: the store ${url} cannot take records now (cannot reach the store server at ${url}`,
    )
    expect(lines[0]).toContain(`keeping records in the outbox ${outboxPath}`)
    expect(pendingIn(outboxPath, url)).toBeGreaterThan(0)
    console.log(
      `200 steps and 11 flushes with the server down took ${elapsed.toFixed(0)} ms`,
    )
  })
})
