import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { calls, counted } from '../../test/fixtures/replay-pipelines.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { writeFile } from 'node:fs/promises'
import { runTsx } from '../../test/support/run-tsx.js'
import { shutdown } from '../index.js'
import { runCli } from './run-cli.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
  calls.length = 0
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

async function lore(...args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli([...args, '--store', temp.url], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    interactive: false,
  })
  return { code, stdout, stderr }
}

describe('lore replay, diff and explain', () => {
  it('replays a run, says it reproduced, and diff says the same as a table and as JSON', async () => {
    const { runId } = await counted.run(
      { size: 3, factor: 2 },
      { store: temp.url },
    )
    const replayed = await lore('replay', runId.slice(0, 8))
    expect(replayed.code).toBe(0)
    expect(replayed.stdout).toContain(`replaying run ${runId} (counted)`)
    expect(replayed.stdout).toContain("reproduced: every step's outputs match")
    const replayId = /replay run (\S+) \(COMPLETE\)/.exec(replayed.stdout)?.[1]
    const diff = await lore('diff', runId, replayId ?? '', '--json')
    expect(JSON.parse(diff.stdout).verdict).toBe('reproduced')
    const table = await lore('diff', runId, replayId ?? '')
    expect(table.stdout).toMatch(/scale\s+same\s+same\s+same\s+same/)
  })

  it('--set marks the replay not faithful and shows where it diverged; --dry-run runs nothing', async () => {
    const { runId } = await counted.run(
      { size: 3, factor: 2 },
      { store: temp.url },
    )
    calls.length = 0
    const dry = await lore('replay', runId, '--set', 'factor=4', '--dry-run')
    expect(dry.stdout).toContain('not faithful: config overridden (factor=4)')
    expect(calls).toEqual([])
    const from = await lore('replay', runId, '--from', 'scale', '--dry-run')
    expect(from.stdout).toMatch(
      /steps\n {2}draw +would reuse the original's outputs\n {2}prepare +would reuse the original's outputs\n {2}scale +would run\n {2}total +would run\n$/,
    )
    expect(calls).toEqual([])
    const wrong = await lore('replay', runId, '--from', 'fit', '--dry-run')
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain("has no step 'fit'")
    const changed = await lore('replay', runId, '--set', 'factor=4')
    expect(changed.stdout).toContain(
      "diverged: first at step 'scale' (parameters changed)",
    )
  })

  it('explains an execution that was not a cached step', async () => {
    await counted.run({ size: 3, factor: 2 }, { store: temp.url })
    const explained = await lore('explain', '1')
    expect(explained.stdout).toContain(
      'not a cached step (add cache: true to its step options)',
    )
  })
})

const fixture = fileURLToPath(
  new URL('../../test/fixtures/replay-pipelines.ts', import.meta.url),
)

describe('lore run and --set', () => {
  it('runs a pipeline from its module with --config, --set and --seed, and records it', async () => {
    const config = `${temp.dir}/config.json`
    await writeFile(config, JSON.stringify({ size: 2, factor: 5 }))
    const started = await lore(
      'run',
      fixture,
      'counted',
      '--config',
      config,
      '--set',
      'size=3',
      '--seed',
      '5',
    )
    expect(started.stderr).toBe('')
    expect(started.code).toBe(0)
    const runId =
      /^run (\S+) \(counted, COMPLETE\); see it with: lore show \S+$/m.exec(
        started.stdout,
      )?.[1]
    const [run] = (
      await (await temp.open()).getContexts({ externalIds: [runId ?? ''] })
    ).items
    expect(run?.properties.config).toEqual({ size: 3, factor: 5 })
    expect(run?.properties.seed).toBe(5)
    expect(calls).toEqual(['prepare', 'scale', 'total'])
  })

  it('asks which pipeline when the module exports several', async () => {
    const { code, stderr } = await lore('run', fixture)
    expect(code).toBe(1)
    expect(stderr).toContain(
      `exports 2 pipelines (counted, noisy); name the one to run, such as: lore run ${fixture} counted`,
    )
  })

  it('refuses an unknown --set key listing the config keys, and blames a bad value, running nothing', async () => {
    const unknown = await lore('run', fixture, 'counted', '--set', 'sise=3')
    expect(unknown.stderr).toBe(
      "lore: --set sise=3: pipeline 'counted' has no config key 'sise'; its keys are size, factor; nothing was run\n",
    )
    const bad = await lore(
      'run',
      fixture,
      'counted',
      '--set',
      'size=deep',
      '--set',
      'factor=1',
    )
    expect(bad.stderr).toBe(
      'lore: --set size=deep: expected a number; nothing was run\n',
    )
    const { runId } = await counted.run(
      { size: 3, factor: 2 },
      { store: temp.url },
    )
    calls.length = 0
    const replayed = await lore('replay', runId, '--set', 'factor=lots')
    expect(replayed.code).toBe(1)
    expect(replayed.stderr).toBe(
      'lore: --set factor=lots: expected a number; nothing was run\n',
    )
    expect(calls).toEqual([])
    const runs = await (await temp.open()).getContexts({ type: 'PipelineRun' })
    expect(runs.items).toHaveLength(1)
  })
})

describe('a module that runs its pipeline when imported', () => {
  it('is not run a second time by replay or run, which say exactly what to change', async () => {
    const script = fileURLToPath(
      new URL('../../test/fixtures/self-running-pipeline.ts', import.meta.url),
    )
    const original = await runTsx(script, [], { env: { LORE_STORE: temp.url } })
    expect(original.code).toBe(0)
    const runId = original.stdout.trim()
    for (const args of [
      ['replay', runId],
      ['run', script],
    ]) {
      const { code, stderr } = await lore(...args)
      expect(code).toBe(1)
      expect(stderr).toContain(
        `${script} runs pipeline 'self-running' when it is imported (a top-level .run() call)`,
      )
      expect(stderr).toContain('nothing was run')
      expect(stderr).toContain(
        'if (import.meta.url === pathToFileURL(process.argv[1]).href)',
      )
      expect(stderr).not.toContain('git checkout')
    }
    const runs = await (await temp.open()).getContexts({ type: 'PipelineRun' })
    expect(runs.items.map((run) => run.externalId)).toEqual([runId])
  })
})
