import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { readableNodeName } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRun } from './support/read-run.js'
import { watchLines } from './faults/fault-support.js'
import { finished, waitForLine } from './support/run-tsx.js'
import { createTempStore, type TempStore } from './support/temp-store.js'

// The tsx command line itself, as the README runs pipelines: it starts the script in a child
// process and relays signals to it (and kills a child that does not answer in time).
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const fixture = fileURLToPath(
  new URL('./fixtures/slow-sync-step.ts', import.meta.url),
)

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await temp.cleanup()
})

const cases = [
  { signal: 'SIGINT', to: 'group', code: 130, as: 'Ctrl-C in a terminal' },
  { signal: 'SIGTERM', to: 'tsx', code: 143, as: 'kill -TERM <tsx pid>' },
  { signal: 'SIGTERM', to: 'group', code: 143, as: 'kill -TERM -<group>' },
] as const

describe('a run under the tsx command line, interrupted during a 2-second synchronous step', () => {
  for (const { signal, to, code, as } of cases) {
    it(`is stored CANCELED with every completed step (${as})`, async () => {
      const child = spawn(
        process.execPath,
        [tsxCli, '--conditions=@lore/source', fixture],
        {
          // Its own process group, as a shell gives a job: a terminal's Ctrl-C reaches it all.
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LORE_STORE: temp.url },
        },
      )
      const lines = watchLines(child)
      const result = finished(child)
      await lines.waitFor('slow started')
      const runId = /^run (\S+)$/m.exec(lines.text)?.[1] ?? ''
      await sleep(200)
      process.kill(to === 'group' ? -child.pid! : child.pid!, signal)
      const ended = await result
      expect(ended.stderr).toBe('')
      expect(ended.stdout).not.toContain('finished')
      expect(ended.code).toBe(code)

      const recorded = await readRun(await temp.open(), runId)
      expect(recorded.run.customProperties).toMatchObject({
        status: 'CANCELED',
        stepCount: 5,
        error: {
          name: 'Interrupted',
          message: `the process received ${signal}`,
        },
      })
      expect(
        recorded.executions.map((execution) => [
          readableNodeName(execution.name ?? ''),
          execution.lastKnownState,
        ]),
      ).toEqual([
        ['prepare', 'COMPLETE'],
        ['prepare', 'COMPLETE'],
        ['prepare', 'COMPLETE'],
        ['slow', 'COMPLETE'],
        ['after', 'CANCELED'],
      ])
    })
  }

  it('still ends at a second Ctrl-C when the step never returns', async () => {
    const child = spawn(
      process.execPath,
      [
        tsxCli,
        '--conditions=@lore/source',
        fileURLToPath(new URL('./fixtures/hung-sync-step.ts', import.meta.url)),
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LORE_STORE: temp.url },
      },
    )
    const result = finished(child)
    try {
      await waitForLine(child, 'hung')
      await sleep(300)
      process.kill(-child.pid!, 'SIGINT')
      await sleep(500)
      // Gone already when the first came before Lore's relay was listening: tsx ended it.
      try {
        process.kill(-child.pid!, 'SIGINT')
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ESRCH')
      }
      const ended = await result
      expect(ended.code).toBe(130)
    } finally {
      // A child left spinning would eat a core: end its group whatever happened.
      if (child.exitCode === null && child.signalCode === null)
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          // already gone
        }
    }
  })
})
