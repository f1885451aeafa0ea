import { readFile } from 'node:fs/promises'
import { readableNodeName } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTempProject,
  loreProcess,
  sdkEntry,
  type TempProject,
} from '../../test/support/lore-process.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'

let temp: TempStore
let project: TempProject
beforeEach(async () => {
  temp = await createTempStore()
  project = await createTempProject({
    // clean uses helpers.ts, which uses scale.ts; train and report use neither.
    'scale.ts': 'export const factor = 1\n',
    'helpers.ts': [
      "import { factor } from './scale.js'",
      'export function normalize(value: number): number {',
      '  return value * factor',
      '}',
      '',
    ].join('\n'),
    'other.ts': 'export const addOne = (value: number): number => value + 1\n',
    'pipeline.ts': [
      `import { pipeline, step } from ${JSON.stringify(sdkEntry)}`,
      "import { normalize } from './helpers.js'",
      "import { addOne } from './other.js'",
      '',
      'const clean = step({ cache: true }, function clean(values: number[]) {',
      '  return values.map((value) => normalize(value))',
      '})',
      'const train = step({ cache: true }, function train(values: number[]) {',
      '  return values.reduce((sum, value) => sum + value, 0)',
      '})',
      'const report = step(function report(total: number) {',
      '  return addOne(total)',
      '})',
      '',
      "export const helpers = pipeline('helpers', {}, () => report(train(clean([1, 2, 3]))))",
      '',
    ].join('\n'),
  })
})
afterEach(async () => {
  await project.cleanup()
  await temp.cleanup()
})

const runId = (stdout: string): string =>
  /run (\S{36})/.exec(stdout)?.[1] ?? `no run id in: ${stdout}`

/**
 * Run the pipeline, `edit` the project, run it again (each in a process of its own), and
 * return both run ids and `lore diff`'s verdict per step: [step, same code].
 */
async function sameCodeAcrossEdit(
  pipelineFile: string,
  edit: () => Promise<void>,
): Promise<{ runs: [string, string]; steps: [string, boolean][] }> {
  const first = await loreProcess(['run', pipelineFile, '--store', temp.url])
  expect(first.code, first.stderr).toBe(0)
  await edit()
  const second = await loreProcess(['run', pipelineFile, '--store', temp.url])
  expect(second.code, second.stderr).toBe(0)
  const diff = await loreProcess([
    'diff',
    runId(first.stdout),
    runId(second.stdout),
    '--json',
    '--store',
    temp.url,
  ])
  const { steps } = JSON.parse(diff.stdout) as {
    steps: { key: string; sameCode: boolean }[]
  }
  return {
    runs: [runId(first.stdout), runId(second.stdout)],
    steps: steps.map((step) => [step.key, step.sameCode]),
  }
}

describe('a step code version', () => {
  it('covers the local modules a step imports, so diff, explain and the cache name the step that changed', async () => {
    const pipelineFile = project.path('pipeline.ts')
    // One edit of a module clean reaches only through helpers.ts, between two processes.
    const { runs, steps } = await sameCodeAcrossEdit(pipelineFile, async () => {
      const scale = project.path('scale.ts')
      await project.write(
        'scale.ts',
        `${await readFile(scale, 'utf8')}// edited between the runs\n`,
      )
    })
    expect(steps).toEqual([
      ['clean', false],
      ['train', true],
      ['report', true],
    ])

    const store = await temp.open()
    const executions = (
      await store.getExecutions({ orderBy: 'id', limit: 100 })
    ).items
    const secondClean = executions.filter(
      (e) => readableNodeName(e.name ?? '') === 'clean',
    )[1]
    const secondTrain = executions.filter(
      (e) => readableNodeName(e.name ?? '') === 'train',
    )[1]
    const clean = await loreProcess([
      'explain',
      `e:${secondClean?.id}`,
      '--store',
      temp.url,
    ])
    expect(clean.stdout).toMatch(
      /cache miss: local module \.\/scale\.ts changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/,
    )
    const train = await loreProcess([
      'explain',
      `e:${secondTrain?.id}`,
      '--store',
      temp.url,
    ])
    expect(train.stdout).toContain('cache hit')
    // The same id syntax as everywhere: a run prefix explains each of its step calls.
    const run = await loreProcess([
      'explain',
      runs[1].slice(0, 8),
      '--store',
      temp.url,
    ])
    expect(
      run.stdout
        .split('\n')
        .filter((line) => line.startsWith('execution'))
        .map((line) => line.replace(/^execution \d+ /, '')),
    ).toEqual([
      expect.stringMatching(
        /^\(clean, COMPLETE\): cache miss: local module \.\/scale\.ts changed/,
      ),
      expect.stringMatching(/^\(train, CACHED\): cache hit/),
      '(report, COMPLETE): not a cached step (add cache: true to its step options)',
    ])
  })

  it('leaves a step as it was when another step of its file is edited', async () => {
    const pipelineFile = project.path('pipeline.ts')
    const { steps } = await sameCodeAcrossEdit(pipelineFile, async () => {
      const source = await readFile(pipelineFile, 'utf8')
      await project.write(
        'pipeline.ts',
        source.replace('return addOne(total)', 'return addOne(total) + 0'),
      )
    })
    expect(steps).toEqual([
      ['clean', true],
      ['train', true],
      ['report', false],
    ])
  })
})
