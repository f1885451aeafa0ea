import { writeFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { artifact } from '../artifact/artifact.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { step } from '../step/step.js'
import { shutdown } from './shutdown.js'

let temp: TempStore
let stderr: string[]
beforeEach(async () => {
  temp = await createTempStore()
  stderr = []
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr.push(String(text))
    return true
  })
})
afterEach(async () => {
  await shutdown().catch(() => undefined)
  vi.restoreAllMocks()
  await temp.cleanup()
})

describe('an artifact seen under a second type', () => {
  it('records the step, links it to the stored artifact, and says so once', async () => {
    const path = `${temp.dir}/rows.csv`
    await writeFile(path, 'a,b\n1,2\n')
    const load = step(function load(source: unknown) {
      return String(source).length
    })
    const count = step(function count(source: unknown) {
      return String(source).length
    })
    const first = await pipeline('first', {}, () =>
      load(artifact.dataset(path)),
    ).run(undefined, { store: temp.url })
    // Another pipeline (and a later run of it) gives the same file as a plain file.
    const second = await pipeline('second', {}, () => {
      count(artifact.file(path))
      return count(artifact.file(path))
    }).run(undefined, { store: temp.url })
    const third = await pipeline('second', {}, () =>
      count(artifact.file(path)),
    ).run(undefined, { store: temp.url })

    const store = await temp.open()
    const loaded = await readRun(store, first.runId)
    const dataset = loaded.inputs(loaded.execution('load')).source
    expect(dataset?.type).toBe('Dataset')
    for (const { runId, calls } of [
      { runId: second.runId, calls: 2 },
      { runId: third.runId, calls: 1 },
    ]) {
      const recorded = await readRun(store, runId)
      expect(recorded.run.customProperties).toMatchObject({
        status: 'COMPLETE',
        stepCount: calls,
        droppedRecords: 0,
      })
      expect(recorded.executions).toHaveLength(calls)
      for (const execution of recorded.executions)
        expect(recorded.inputs(execution).source?.id).toBe(dataset?.id)
    }
    const said = stderr.join('')
    expect(
      said.match(/as a 'File', but the store has it as a 'Dataset'/g),
    ).toHaveLength(1)
    expect(said).toContain(`step 'count' gave file://`)
    expect(said).not.toContain('dropped')
  })
})
