import { rm } from 'node:fs/promises'
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
    'data/rows.csv': '1\n2\n3\n',
    'data/labels.txt': 'a b c\n',
    'pipeline.ts': [
      "import { readFile } from 'node:fs/promises'",
      `import { artifact, pipeline, step, type FileArtifact } from ${JSON.stringify(sdkEntry)}`,
      '',
      'const load = step(async function load(source: FileArtifact) {',
      "  const text = await readFile(source.path, 'utf8')",
      '  return text.trim().split(/\\n/).map(Number)',
      '})',
      'const label = step(async function label(values: number[]) {',
      // A path the pipeline reads itself, relative to where it runs.
      "  const labels = (await readFile('data/labels.txt', 'utf8')).trim().split(' ')",
      '  return values.map((value, index) => `${labels[index]}=${value}`)',
      '})',
      '',
      "export const rows = pipeline('rows', {}, async () => label(await load(artifact.file('data/rows.csv'))))",
      '',
    ].join('\n'),
  })
})
afterEach(async () => {
  await project.cleanup()
  await temp.cleanup()
})

async function recordRun(): Promise<string> {
  // Relative data paths: the run is started from the project's folder.
  const run = await loreProcess(['run', 'pipeline.ts', '--store', temp.url], {
    cwd: project.dir,
  })
  expect(run.code, run.stderr).toBe(0)
  return /run (\S{36})/.exec(run.stdout)?.[1] ?? `no run id: ${run.stdout}`
}

// Every replay starts somewhere else: the store's folder.
const replayElsewhere = (...args: string[]) =>
  loreProcess(['replay', ...args, '--store', temp.url], { cwd: temp.dir })

describe('lore replay and the files a run read', () => {
  it('runs in the recorded working directory, so relative data paths work from anywhere', async () => {
    const runId = await recordRun()
    const replayed = await replayElsewhere(runId)
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.stdout).toContain("reproduced: every step's outputs match")
    expect(replayed.stdout).not.toContain('working directory')
  })

  it('says which input changed since the original when a file was overwritten in place', async () => {
    const runId = await recordRun()
    await project.write('data/rows.csv', '1\n2\n4\n')
    const replayed = await replayElsewhere(runId)
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.stdout).toMatch(
      new RegExp(
        `differs: input file ${project.path('data/rows.csv').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: [0-9a-f]{12} → [0-9a-f]{12}`,
      ),
    )
  })

  it('refuses to run when an input file is missing, naming the path and the original run', async () => {
    const runId = await recordRun()
    await rm(project.path('data/rows.csv'))
    const replayed = await replayElsewhere(runId)
    expect(replayed.code).toBe(1)
    expect(replayed.stderr).toContain(
      `lore: cannot replay run ${runId}: its input file ${project.path('data/rows.csv')} (read by load) is missing`,
    )
    expect(replayed.stderr).not.toMatch(/\n\s+at /)
  })

  it('names a missing file the pipeline reads itself, and where the original ran, without a stack trace', async () => {
    const runId = await recordRun()
    await rm(project.path('data/labels.txt'))
    const replayed = await replayElsewhere(runId)
    expect(replayed.code).toBe(1)
    expect(replayed.stderr).toContain(
      `lore: the replay of run ${runId} failed: ${project.path('data/labels.txt')} does not exist (the replay ran in ${project.dir}, as the original did)`,
    )
    expect(replayed.stderr).not.toMatch(/\n\s+at /)
  })
})
