import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  currentRunLink,
  pipeline,
  runContextEnv,
  shutdown,
  step,
  withRun,
} from '../index.js'
import { stepFacts } from '../query/step-facts.js'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import type { RunLink } from './run-link.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

const child = step(function child(value: number) {
  return value + 1
})

describe('withRun', () => {
  it('records steps called under a link in that run, nested under the linked step', async () => {
    let link: RunLink | undefined
    let env: NodeJS.ProcessEnv = {}
    const outer = step(function outer() {
      link = currentRunLink()
      env = runContextEnv({})
      return 1
    })
    const { runId } = await pipeline('linked', {}, async () => outer()).run(
      {},
      { store: temp.url },
    )
    expect(link).toMatchObject({ runId, pipeline: 'linked', store: temp.url })
    expect(JSON.parse(env.LORE_PARENT ?? '{}')).toEqual(link)
    expect(env.LORE_STORE).toBe(temp.url)

    expect(await withRun(JSON.stringify(link), () => child(41))).toBe(42)
    const recorded = await readRun(await temp.open(), runId)
    expect(recorded.run.customProperties.status).toBe('COMPLETE')
    const outerExecution = recorded.execution('outer')
    expect(stepFacts(recorded.execution('child')).parent).toBe(
      outerExecution.externalId,
    )
  })

  it('says what is wrong with a LORE_PARENT that names no run', async () => {
    await expect(withRun('{"pipeline":"x"}', () => 1)).rejects.toThrow(
      /LORE_PARENT does not name a run: runId/,
    )
    await expect(withRun('not json', () => 1)).rejects.toThrow(
      /LORE_PARENT is not JSON/,
    )
  })
})
