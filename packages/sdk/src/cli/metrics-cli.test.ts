import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { currentRun } from '../runtime/current-run.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { replay } from '../replay/replay.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { runCli } from './run-cli.js'

let temp: TempStore
let firstRun: string
let secondRun: string
let replayRun: string

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

const load = step(function load(size: number) {
  return Array.from({ length: size }, (_, index) => ({
    index,
    label: `row number ${index} with some text to make it long`,
  }))
})
const fit = step(function fit(rows: { index: number }[], epochs: number) {
  for (let epoch = 0; epoch < epochs; epoch++)
    currentRun()?.logMetric('loss', 1 / (epoch + 1), { step: epoch })
  return rows.length
})
const evaluate = step(function evaluate(size: number, epochs: number) {
  const accuracy = epochs / (epochs + 1)
  currentRun()?.logMetric('accuracy', accuracy)
  return { correct: size }
})

export const trained = pipeline(
  'trained',
  { config: z.object({ size: z.number().int(), epochs: z.number().int() }) },
  (config, ctx) => {
    const rows = load(config.size)
    const size = fit(rows, config.epochs)
    ctx.logMetric('runtime.score', 42)
    return evaluate(size, config.epochs)
  },
)

beforeAll(async () => {
  temp = await createTempStore()
  firstRun = (await trained.run({ size: 400, epochs: 4 }, { store: temp.url }))
    .runId
  secondRun = (await trained.run({ size: 400, epochs: 1 }, { store: temp.url }))
    .runId
  await shutdown()
  const store = await temp.open()
  // A run whose own step count says more than the store holds (records lost on the way).
  const [context] = (await store.getContexts({ externalIds: [secondRun] }))
    .items
  await store.putContexts([
    {
      id: context?.id ?? 0,
      customProperties: { ...context?.customProperties, stepCount: 5 },
    },
  ])
})
afterAll(async () => {
  await shutdown()
  await temp.cleanup()
})

describe('metrics on the command line', () => {
  it("lore show lists each step's metrics and the run's, with a series' range", async () => {
    const { code, stdout } = await lore('show', firstRun.slice(0, 8))
    expect(code).toBe(0)
    expect(stdout).toMatch(/metrics\n {2}runtime\.score 42\n/)
    expect(stdout).toMatch(
      /✓ fit .*\n(.*\n)*? {6}metric {2}loss 0\.25 \(last of 4, step 3; min 0\.25, max 1\)\n/,
    )
    expect(stdout).toMatch(
      /✓ evaluate .*\n(.*\n)*? {6}metric {2}accuracy 0\.8\n/,
    )
  })

  it('lore runs --metric adds a column per metric, and a field under --json', async () => {
    const table = await lore(
      'runs',
      '--metric',
      'accuracy',
      '-m',
      'runtime.score',
      '-m',
      'f1',
    )
    const [header, second, first] = table.stdout.trim().split('\n')
    expect(header).toMatch(/STEPS +ACCURACY +RUNTIME\.SCORE +F1$/)
    expect(second).toMatch(/ 0\.5 +42 +-$/)
    expect(first).toMatch(/ 0\.8 +42 +-$/)
    const json = JSON.parse(
      (await lore('runs', '--metric', 'accuracy', '--json')).stdout,
    ) as { runId: string; metrics: Record<string, number> }[]
    expect(json.map((run) => [run.runId, run.metrics])).toEqual([
      [secondRun, { accuracy: 0.5 }],
      [firstRun, { accuracy: 0.8 }],
    ])
  })

  it('lore diff prints both values of each metric and parameter, and the change', async () => {
    const { stdout } = await lore('diff', firstRun, secondRun)
    expect(stdout).toContain('parameter epochs 4 → 1')
    expect(stdout).toMatch(/step +metric +run A +run B +change/)
    expect(stdout).toMatch(/evaluate +accuracy +0\.8 +0\.5 +-0\.3\n/)
    expect(stdout).toMatch(/fit +loss +0\.25 +1 +\+0\.75\n/)
    const json = JSON.parse(
      (await lore('diff', firstRun, secondRun, '--json')).stdout,
    ) as {
      steps: { key: string; metrics: unknown[] }[]
    }
    expect(json.steps.find((item) => item.key === 'evaluate')?.metrics).toEqual(
      [{ key: 'accuracy', a: 0.8, b: 0.5, change: expect.closeTo(-0.3, 10) }],
    )
  })
})

describe('lore show', () => {
  it("counts the steps of the tree in its header, and says when the run's own count is higher", async () => {
    const { stdout } = await lore('show', secondRun)
    expect(stdout).toMatch(/started .* steps 3\n/)
    expect(stdout).toContain('steps (3)')
    expect(stdout).toMatch(
      /recorded +the run reported 5 step calls; 2 are not in the store/,
    )
  })

  it('names the original run, the overrides and the faithful flag of a replay', async () => {
    const faithful = await replay(firstRun, { store: temp.url })
    const changed = await replay(firstRun, {
      store: temp.url,
      set: { epochs: 2 },
      from: 'fit',
    })
    replayRun = changed.runId ?? ''
    expect((await lore('show', faithful.runId ?? '')).stdout).toMatch(
      new RegExp(`replay of +${firstRun} \\(faithful: same config\\)\n`),
    )
    expect((await lore('show', replayRun)).stdout).toMatch(
      new RegExp(
        `replay of +${firstRun} \\(not faithful: epochs=2\\), steps from 'fit' ran again\n`,
      ),
    )
    const json = JSON.parse(
      (await lore('show', replayRun, '--json')).stdout,
    ) as {
      replay: unknown
    }
    expect(json.replay).toEqual({
      replayOf: firstRun,
      faithful: false,
      overrides: { epochs: 2 },
      from: 'fit',
    })
  })

  it('--json is compact: each artifact once, no kept outputs, no indentation', async () => {
    const { stdout } = await lore('show', firstRun, '--json')
    const details = JSON.parse(stdout) as {
      artifacts: { id: number; name: string }[]
      steps: {
        execution: {
          name: string
          customProperties: { lore: Record<string, unknown> }
        }
        inputs: { artifactId: number }[]
        outputs: { artifactId: number }[]
        metrics: { key: string }[]
      }[]
    }
    const [loadStep, fitStep] = details.steps
    // load's rows are kept for replay --from: the JSON says so instead of printing them.
    expect(loadStep?.execution.customProperties.lore.kept).toBeUndefined()
    expect(loadStep?.execution.customProperties.lore.keptForReplay).toBe(true)
    expect(stdout).not.toContain('row number 399')
    // The rows load wrote and fit read are one artifact, listed once.
    expect(fitStep?.inputs[0]?.artifactId).toBe(
      loadStep?.outputs[0]?.artifactId,
    )
    expect(details.artifacts.map((artifact) => artifact.id)).toEqual([
      ...new Set(details.artifacts.map((artifact) => artifact.id)),
    ])
    expect(fitStep?.metrics.map((metric) => metric.key)).toEqual(['loss'])
    expect(stdout).not.toMatch(/\n {2}"/)
    expect(stdout.length).toBeLessThan(20_000)
  })
})
