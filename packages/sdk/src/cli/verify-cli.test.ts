import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  thresholdRows,
  trainThreshold,
} from '../../test/fixtures/threshold-policy.js'
import { loreProcess } from '../../test/support/lore-process.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { configure, modelRegistry, shutdown } from '../index.js'

let temp: TempStore
let runId: string

beforeEach(async () => {
  temp = await createTempStore()
  process.env.LORE_TEST_MODELS = temp.dir
  configure({ store: temp.url })
  const registry = await modelRegistry({ actor: 'ada' })
  for (const shift of [0, 0.1])
    await registry.register(
      'threshold',
      await trainThreshold(thresholdRows(40, shift), `v-${shift}`),
    )
  const store = await temp.open()
  const runs = (await store.getContexts({ filter: "type = 'PipelineRun'" }))
    .items
  runId = runs[1]?.externalId ?? 'no second run'
  await shutdown()
})
afterEach(async () => {
  await shutdown()
  configure({})
  delete process.env.LORE_TEST_MODELS
  await temp.cleanup()
})

const lore = (...args: string[]) => loreProcess([...args, '--store', temp.url])

describe('a model file overwritten in place', () => {
  it('is refused by lore models promote, named with both hashes, and moves nothing', async () => {
    await writeFile(join(temp.dir, 'v-0.1.json'), '{"threshold":99}')
    const refused = await lore('models', 'promote', 'threshold', '2')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /lore: model 'threshold' v2: its model file changed since it was registered \(.*v-0\.1\.json: sha256 [0-9a-f]{12} → [0-9a-f]{12}\);.*--force --reason/,
    )
    const history = await lore('models', 'history', 'threshold', '--json')
    expect(JSON.parse(history.stdout)).toEqual([])
    const noReason = await lore(
      'models',
      'promote',
      'threshold',
      '2',
      '--force',
    )
    expect(noReason.code).toBe(1)
    expect(noReason.stderr).toContain('--force needs --reason')
    // An untouched version is promoted as before.
    const first = await lore('models', 'promote', 'threshold', '1')
    expect(first.code, first.stderr).toBe(0)
  })

  it('is promoted with --force and a reason, and the move records both', async () => {
    await writeFile(join(temp.dir, 'v-0.1.json'), '{"threshold":99}')
    const forced = await lore(
      'models',
      'promote',
      'threshold',
      '2',
      '--force',
      '--reason',
      'hand-tuned threshold',
    )
    expect(forced.code, forced.stderr).toBe(0)
    const store = await temp.open()
    const [deploy] = (await store.getExecutions({ filter: "type = 'Deploy'" }))
      .items
    expect(deploy?.properties.reason).toBe('hand-tuned threshold')
    expect(deploy?.customProperties.forced).toMatchObject({
      reason: 'hand-tuned threshold',
      status: 'changed',
      path: join(temp.dir, 'v-0.1.json'),
    })
    const history = await lore('models', 'history', 'threshold')
    expect(history.stdout).toContain(
      'hand-tuned threshold: (forced: model file changed)',
    )
  })
})

describe('lore verify', () => {
  it('re-hashes the files of a run, or one artifact, and exits 1 when one changed', async () => {
    const clean = await lore('verify', runId)
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout).toMatch(/: 1 file, all as recorded\n {2}same +output/)
    await writeFile(join(temp.dir, 'v-0.1.json'), '{"threshold":99}')
    const changed = await lore('verify', runId)
    expect(changed.code).toBe(1)
    expect(changed.stdout).toMatch(
      /1 of 1 file changed or missing since recorded\n {2}changed +output a:(\d+) .*v-0\.1\.json {2}sha256 [0-9a-f]{12} → [0-9a-f]{12} {2}\(written by fit\)/,
    )
    const artifactId = /a:(\d+)/.exec(changed.stdout)?.[1]
    const one = await lore('verify', `a:${artifactId}`, '--json')
    expect(one.code).toBe(1)
    expect(JSON.parse(one.stdout)).toMatchObject({
      changed: 1,
      files: [{ status: 'changed', path: join(temp.dir, 'v-0.1.json') }],
    })
    const unknown = await lore('verify', 'a:9999')
    expect(unknown.stderr).toContain('lore: artifact 9999 not found')
  })
})
