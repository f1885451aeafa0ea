import { readableNodeName } from '@lore/store'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTsx } from '../../test/support/run-tsx.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { artifact } from '../artifact/artifact.js'
import type { FileArtifact } from '../artifact/file-artifact.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { runCli } from './run-cli.js'

let temp: TempStore
let runId: string
let failedRunId: string
let fileId: number
let modelId: number

/** Run the command line in-process; resolve with its exit code and output. */
async function lore(...args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli([...args, '--store', temp.url], {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    interactive: false,
  })
  return { code, stdout, stderr }
}

const read = step(
  { type: 'Process' },
  async function read(source: FileArtifact) {
    const [, ...lines] = (await readFile(source.path, 'utf8'))
      .trim()
      .split('\n')
    return lines.map((line) => line.split(',').map(Number))
  },
)
class LinearModel {
  constructor(readonly weights: number[]) {}
}
const fit = step(
  { type: 'Train', outputType: 'Model' },
  function fit(rows: number[][], learningRate: number) {
    return new LinearModel((rows[0] ?? []).map((value) => value * learningRate))
  },
)
const score = step({ type: 'Evaluate' }, function score(model: LinearModel) {
  return model.weights.length
})

beforeAll(async () => {
  temp = await createTempStore()
  const source = join(temp.dir, 'data.csv')
  await writeFile(source, 'x,y\n1,2\n')
  const training = pipeline('training', {}, async () => {
    const model = fit(
      await read(artifact.file(source, { type: 'Dataset' })),
      0.1,
    )
    return score(model)
  })
  runId = (await training.run(undefined, { store: temp.url })).runId
  const failing = pipeline('broken', {}, () => {
    throw new Error('nope')
  })
  await failing
    .run(undefined, {
      store: temp.url,
      runId: 'feedface-0000-4000-8000-000000000000',
    })
    .catch(() => undefined)
  failedRunId = 'feedface-0000-4000-8000-000000000000'
  await shutdown()
  const store = await temp.open()
  fileId = (await store.getArtifacts({ type: 'Dataset' })).items[0]?.id ?? 0
  modelId = (await store.getArtifacts({ type: 'Model' })).items[0]?.id ?? 0
})
afterAll(async () => {
  await temp.cleanup()
})

describe('lore runs', () => {
  it('lists runs newest first with id, pipeline, status, start, duration and steps', async () => {
    const { code, stdout } = await lore('runs')
    expect(code).toBe(0)
    const [header, first, second] = stdout.trim().split('\n')
    expect(header).toMatch(/^RUN +PIPELINE +STATUS +STARTED +DURATION +STEPS$/)
    expect(first).toMatch(
      /^feedface +broken +FAILED +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\S+( ms| µs| s) +0$/,
    )
    expect(second).toMatch(
      new RegExp(`^${runId.slice(0, 8)} +training +COMPLETE .* 3$`),
    )
  })

  it('filters by pipeline and status, limits, and prints JSON', async () => {
    const { stdout } = await lore('runs', '--pipeline', 'training', '--json')
    const runs = JSON.parse(stdout) as {
      runId: string
      steps: number
      status: string
    }[]
    expect(runs).toEqual([
      expect.objectContaining({ runId, steps: 3, status: 'COMPLETE' }),
    ])
    const failed = JSON.parse(
      (await lore('runs', '--status', 'FAILED', '--json')).stdout,
    ) as { runId: string }[]
    expect(failed.map((run) => run.runId)).toEqual([failedRunId])
    const limited = JSON.parse(
      (await lore('runs', '-n', '1', '--json')).stdout,
    ) as unknown[]
    expect(limited).toHaveLength(1)
  })

  it('says there is no store yet rather than creating one', async () => {
    let stderr = ''
    const missing = `sqlite:${temp.dir}/elsewhere/lore.db`
    const code = await runCli(['runs', '--store', missing], {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text
      },
      interactive: false,
    })
    expect(code).toBe(1)
    expect(stderr).toBe(
      `lore: no store at ${missing} yet; record a run first (pnpm demo), or name another store with --store or LORE_STORE\n`,
    )
    expect(existsSync(`${temp.dir}/elsewhere`)).toBe(false)
  })

  it('says clearly when an option is wrong', async () => {
    const { code, stderr } = await lore('runs', '--limit', '0')
    expect(code).toBe(1)
    expect(stderr).toContain("expected a positive integer, got '0'")
  })
})

describe('lore show', () => {
  it('shows config, code version, environment and the steps with params, inputs and outputs', async () => {
    const { code, stdout } = await lore('show', runId.slice(0, 8))
    expect(code).toBe(0)
    expect(stdout).toContain(`run ${runId}`)
    expect(stdout).toMatch(/status +COMPLETE/)
    expect(stdout).toMatch(/git +[0-9a-f]{12}/)
    expect(stdout).toMatch(
      /source +packages\/sdk\/src\/cli\/run-cli\.test\.ts sha256:[0-9a-f]{12}/,
    )
    expect(stdout).toMatch(/lockfile +pnpm-lock\.yaml sha256:[0-9a-f]{12}/)
    expect(stdout).toMatch(/✓ read .* Process {2}\[e:\d+\]/)
    expect(stdout).toMatch(
      /in +source ← Dataset data\.csv sha256:[0-9a-f]{12} \[a:\d+\]/,
    )
    expect(stdout).toMatch(/params +learningRate=0\.1/)
    expect(stdout).toMatch(
      /out +result → Model fit sha256:[0-9a-f]{12} \[a:\d+\]/,
    )
  })

  it('shows the error of a failed run, and prints JSON', async () => {
    expect((await lore('show', failedRunId)).stdout).toMatch(
      /error +Error: nope/,
    )
    const details = JSON.parse(
      (await lore('show', runId, '--json')).stdout,
    ) as {
      summary: { status: string }
      steps: { execution: { name: string } }[]
    }
    expect(details.summary.status).toBe('COMPLETE')
    expect(
      details.steps.map((node) => readableNodeName(node.execution.name)),
    ).toEqual(['read', 'fit', 'score'])
  })

  it('says which run was not found, where, and what to do', async () => {
    const text = await lore('show', 'no-such-run')
    expect(text.code).toBe(1)
    expect(text.stderr).toBe(
      `lore: run 'no-such-run' not found in ${temp.url}; give a run id or a prefix of one, e:<execution id> or a:<artifact id>; list runs with: lore runs\n`,
    )
    const json = await lore('show', 'no-such-run', '--json')
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'NOT_FOUND' },
    })
  })
})

describe('lore lineage', () => {
  it('walks upstream from a model to the file it came from, with fingerprints', async () => {
    const { code, stdout } = await lore('lineage', `a:${modelId}`, '--up')
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe(
      `upstream of artifact ${modelId} (what it was made from)`,
    )
    expect(lines[1]).toMatch(/^Model fit sha256:[0-9a-f]{12} \[a:\d+\]$/)
    expect(lines[2]).toMatch(
      /^└── made by fit \(Train, COMPLETE, .*\) \[e:\d+\]$/,
    )
    expect(lines[3]).toMatch(
      /^ {4}└── rows ← Value read sha256:[0-9a-f]{12} \[a:\d+\]$/,
    )
    expect(lines[4]).toMatch(/^ {8}└── made by read \(Process/)
    expect(lines[5]).toMatch(
      new RegExp(
        `^ {12}└── source ← Dataset data\\.csv sha256:[0-9a-f]{12} \\[a:${fileId}\\]$`,
      ),
    )
  })

  it('walks downstream from a file, and from a run, to what was made from it', async () => {
    const down = (
      await lore('lineage', `a:${fileId}`, '--down', '--depth', '2')
    ).stdout
    expect(down).toContain('read by read (Process')
    expect(down).toContain('result → Value read')
    expect(down).not.toContain('Model fit')
    const run = (await lore('lineage', runId.slice(0, 8), '--down')).stdout
    expect(run).toContain(`downstream of run ${runId} (training)`)
    expect(run).toContain('read by score (Evaluate')
  })

  it('prints the subgraph as JSON and as Graphviz DOT', async () => {
    const json = JSON.parse(
      (await lore('lineage', `a:${modelId}`, '--up', '--json')).stdout,
    ) as {
      lineage: {
        direction: string
        subgraph: { artifacts: unknown[]; executions: unknown[] }
      }[]
    }
    expect(json.lineage[0]?.direction).toBe('upstream')
    expect(json.lineage[0]?.subgraph.executions).toHaveLength(2)
    const dot = (await lore('lineage', `a:${modelId}`, '--format', 'dot'))
      .stdout
    expect(dot.startsWith('digraph lineage {')).toBe(true)
    expect(dot).toMatch(/e\d+ -> a\d+ \[label="result"\];/)
    expect(dot).toMatch(/a\d+ -> e\d+ \[label="model"\];/)
  })

  it('says clearly when a node is unknown', async () => {
    const { code, stderr } = await lore('lineage', 'a:99999')
    expect(code).toBe(1)
    expect(stderr).toContain(
      "'a:99999' is not an artifact, execution or run in",
    )
    expect(stderr).toContain('give a:<id>, e:<id> or a run id')
  })
})

describe('one id syntax in every command', () => {
  it('takes e:<id> and a:<id> of a step call or artifact wherever a run is asked for', async () => {
    const store = await temp.open()
    const [run] = (await store.getContexts({ externalIds: [runId] })).items
    const [execution] = (
      await store.getExecutions({ contextId: run?.id ?? 0, limit: 1 })
    ).items
    const shownBy = async (...reference: string[]) =>
      (await lore('show', ...reference)).stdout.split('\n')[0]
    expect(await shownBy(`e:${execution?.id}`)).toBe(`run ${runId}`)
    expect(await shownBy(`a:${modelId}`)).toBe(`run ${runId}`)
    expect(await shownBy(`run:${runId}`)).toBe(`run ${runId}`)
    expect(await shownBy(runId.slice(0, 6))).toBe(`run ${runId}`)
    const diff = await lore('diff', `e:${execution?.id}`, `a:${modelId}`)
    expect(diff.stdout).toContain(`run A ${runId}\nrun B ${runId}\nreproduced`)
    const explained = await lore('explain', `e:${execution?.id}`)
    expect(explained.stdout).toContain(`execution ${execution?.id} (`)
    expect((await lore('lineage', `e:${execution?.id}`)).code).toBe(0)
  })

  it('says which node is in no run, and what to give instead', async () => {
    const missing = await lore('show', 'e:99999')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      `lore: e:99999: no execution 99999 in a run in ${temp.url}; see the ids of a run's steps and artifacts with: lore show <run>\n`,
    )
  })
})

describe('the lore command', () => {
  it('runs as a real process with exit codes', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url))
    const ok = await runTsx(main, ['runs', '--store', temp.url, '--json'])
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toHaveLength(2)
    const missing = await runTsx(main, ['show', 'nope', '--store', temp.url])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("run 'nope' not found")
    const help = await runTsx(main, ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('lineage')
  })
})
