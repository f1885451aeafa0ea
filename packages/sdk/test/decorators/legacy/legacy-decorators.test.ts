import { fileURLToPath } from 'node:url'
import { configure, pipelineOf, shutdown } from '@lore/sdk'
import { getStepMetadata } from '../../../src/decorators/lore-metadata.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempStore, type TempStore } from '../../support/temp-store.js'
import { runTsx } from '../../support/run-tsx.js'
import { checkDecoratedRun } from '../check-decorated-run.js'
import { DecoratedPipeline, seenModes } from './decorated-pipeline.js'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

describe('@step() and @pipeline() compiled with experimentalDecorators', () => {
  let temp: TempStore
  beforeEach(async () => {
    temp = await createTempStore()
  })
  afterEach(async () => {
    await shutdown()
    configure({})
    await temp.cleanup()
  })

  it('see legacy decorator calls when vitest compiles this folder with its tsconfig', () => {
    expect(seenModes).toEqual(['legacy'])
    expect(getStepMetadata(DecoratedPipeline.prototype.load)?.mode).toBe(
      'legacy',
    )
  })

  it('keep this and a sync method sync', async () => {
    configure({ store: temp.url })
    const values = new DecoratedPipeline().load(2)
    expect(values).toEqual([1, 2])
  })

  it('record a run with its steps and their lineage under vitest', async () => {
    const { runId, result } = await pipelineOf(DecoratedPipeline).run(
      {},
      { store: temp.url },
    )
    expect(result.total).toBe(12)
    await checkDecoratedRun(await temp.open(), runId, 'decorated-legacy')
  })

  it('record a run with its steps and their lineage under tsx with this tsconfig', async () => {
    const child = await runTsx(
      here('../run-decorated.ts'),
      ['legacy', temp.url],
      {
        tsconfig: here('./tsconfig.json'),
        // The fixture also calls a step outside its run: that ad-hoc run goes here too.
        env: { LORE_STORE: temp.url },
      },
    )
    expect(child.stderr).toBe('')
    expect(child.code).toBe(0)
    const report = JSON.parse(child.stdout) as {
      runId: string
      seenModes: string[]
      metadataMode: string
      loadIsSync: boolean
    }
    expect(report.seenModes).toEqual(['legacy'])
    expect(report.metadataMode).toBe('legacy')
    expect(report.loadIsSync).toBe(true)
    await checkDecoratedRun(await temp.open(), report.runId, 'decorated-legacy')
  })
})
