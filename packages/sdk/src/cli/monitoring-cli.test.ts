import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  thresholdRows,
  trainThreshold,
} from '../../test/fixtures/threshold-policy.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { configure, modelRegistry, shutdown } from '../index.js'
import { runCli } from './run-cli.js'

let temp: TempStore
const policyModule = fileURLToPath(
  new URL('../../test/fixtures/threshold-policy.ts', import.meta.url),
)
const brokenPolicyModule = fileURLToPath(
  new URL('../../test/fixtures/broken-retrain-policy.ts', import.meta.url),
)

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

beforeEach(async () => {
  temp = await createTempStore()
  process.env.LORE_TEST_MODELS = temp.dir
  configure({ store: temp.url })
  const registry = await modelRegistry({ actor: 'ada' })
  for (const shift of [0, 0.1])
    await registry.register(
      'threshold',
      await trainThreshold(thresholdRows(40, shift), `v-${shift}`),
      { description: `shift ${shift}` },
    )
  await registry.setAlias('threshold', 'production', 1, {
    reason: 'first model',
  })
  await shutdown()
})
afterEach(async () => {
  await shutdown()
  configure({})
  delete process.env.LORE_TEST_MODELS
  await temp.cleanup()
})

describe('lore models', () => {
  it('lists models, their versions and who holds each alias', async () => {
    const list = await lore('models')
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(
      /^MODEL\s+VERSIONS\s+ALIASES\s+CREATED\nthreshold\s+2\s+production → v1\s+\d{4}-/,
    )
    const show = await lore('models', 'show', 'threshold')
    expect(show.stdout).toMatch(
      /^threshold: 2 versions; aliases: production → v1/,
    )
    expect(show.stdout).toMatch(
      /\nv1\s+production\s+\S+ \S+\s+ada\s+[0-9a-f]{8}\s+a:\d+ sha256:/,
    )
    const version = await lore('models', 'show', 'threshold', 'v1')
    expect(version.stdout).toMatch(/^threshold v1 \(production\)\n/)
    expect(version.stdout).toMatch(
      /trained by {2}fit \(e:\d+\) in run [0-9a-f]{8}/,
    )
    expect(version.stdout).toMatch(
      /production {2}since .*, by ada: first model/,
    )
    expect(version.stdout).toMatch(/Lineage: lore lineage a:\d+ --up/)
  })

  it('promotes, rolls back and shows every move in the history', async () => {
    const promoted = await lore(
      'models',
      'promote',
      'threshold',
      '2',
      '--reason',
      'better on new data',
      '--actor',
      'grace',
    )
    expect(promoted.stdout).toMatch(
      /^threshold@production: v1 → v2 \(move 2 by grace; e:\d+\)\n$/,
    )
    const rolled = await lore(
      'models',
      'rollback',
      'threshold',
      '--actor',
      'grace',
    )
    expect(rolled.stdout).toMatch(/^threshold@production: rollback v2 → v1/)
    const history = await lore('models', 'history', 'threshold')
    const lines = history.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^#\s+TIME\s+ALIAS\s+MOVE\s+BY\s+WHY$/)
    expect(lines.slice(1).map((line) => line.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^1 \S+ \S+ production → v1 ada first model$/),
      expect.stringMatching(
        /^2 \S+ \S+ production v1 → v2 grace better on new data$/,
      ),
      expect.stringMatching(/^3 \S+ \S+ production rollback v2 → v1 grace -$/),
    ])
    const json = JSON.parse(
      (await lore('models', 'history', 'threshold', '--json')).stdout,
    )
    expect(json).toHaveLength(3)
  })

  it('names the unknown model, version or alias and how to find the right one', async () => {
    const model = await lore('models', 'show', 'nope')
    expect(model.code).toBe(1)
    expect(model.stderr).toMatch(
      /^lore: model 'nope' not found in sqlite:.*; list models with: lore models list\n$/,
    )
    const version = await lore('models', 'promote', 'threshold', '9')
    expect(version.stderr).toMatch(
      /version 9 of model 'threshold' not found .* its versions are 1 to 2/,
    )
    const notNumber = await lore('models', 'show', 'threshold', 'latest')
    expect(notNumber.stderr).toMatch(
      /version "latest" of model 'threshold' is not a version number/,
    )
    const alias = await lore('models', 'rollback', 'threshold', 'staging')
    expect(alias.stderr).toMatch(
      /alias 'staging' of model 'threshold' is not set; its aliases are production/,
    )
    const nothingBefore = await lore('models', 'rollback', 'threshold')
    expect(nothingBefore.stderr).toMatch(/nothing to roll back to/)
    const missingArgument = await lore('models', 'promote')
    expect(missingArgument.code).toBe(1)
    expect(missingArgument.stderr).toMatch(/missing required argument 'name'/)
  })
})

describe('lore check, lore incidents', () => {
  it('exits 1 when a retraining fails, after reporting it', async () => {
    const check = await lore(
      'check',
      brokenPolicyModule,
      '--retrain',
      '--reason',
      'new labels',
    )
    expect(check.stdout).toContain('failed')
    expect(check.stdout).toContain('the training cluster is out of memory')
    expect(check.code).toBe(1)
    const ok = await lore('check', policyModule)
    expect(ok.code).toBe(0)
  })

  it('runs a policy from a module, and tells the story of the incident it opened', async () => {
    const registry = await modelRegistry({ store: temp.url })
    for (const value of [0.6, 0.55])
      await registry.logMetric(
        { model: 'threshold', version: 1 },
        'accuracy',
        value,
      )
    await shutdown()
    const check = await lore('check', policyModule)
    expect(check.code).toBe(0)
    expect(check.stdout.split('\n')).toEqual([
      'threshold-production (threshold@production = v3): promoted [INC-1]',
      '  decay: mean accuracy 0.575 over the last 2 points, below the limit 0.85 (baseline 0.9)',
      '  INC-1: retrained threshold v3',
      expect.stringMatching(
        /^ {2}threshold v3 accuracy 1 vs 0.5 for v1 on held-out data: better by 0.5 \(margin 0.01\), promote$/,
      ),
      '  promoted threshold v3 to production',
      '',
    ])
    const list = await lore('incidents')
    expect(list.stdout).toMatch(
      /^INCIDENT\s+STATUS\s+MODEL\s+TRIGGER\s+OPENED\s+SUMMARY\nINC-1\s+resolved\s+threshold@production\s+decay\s+\S+ \S+\s+promoted v3\n/,
    )
    const story = await lore('incidents', 'show', 'INC-1')
    const lines = story.stdout.trim().split('\n')
    expect(lines[0]).toBe(
      'INC-1  threshold@production  policy threshold-production  resolved',
    )
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/)[1])).toEqual([
      'decay-check',
      'opened',
      'run',
      'retrain',
      'candidate-evaluation',
      'promote',
      'closed',
    ])
    expect(story.stdout).toMatch(
      /promote {2,}production v1 → v3 by policy:threshold-production {2}\[e:\d+\]/,
    )
    const json = JSON.parse(
      (await lore('incidents', 'show', '1', '--json')).stdout,
    )
    expect(json.incident.id).toBe('INC-1')
    const unknown = await lore('incidents', 'show', 'INC-9')
    expect(unknown.stderr).toMatch(
      /^lore: incident 'INC-9' not found in sqlite:.*; list incidents with: lore incidents\n$/,
    )
  })

  it('watches for the rounds asked, then stops', async () => {
    const watch = await lore(
      'watch',
      policyModule,
      '--interval',
      '0s',
      '--rounds',
      '2',
    )
    expect(watch.code).toBe(0)
    expect(
      watch.stdout.match(
        /threshold-production \(threshold@production = v1\): insufficient-data/g,
      ),
    ).toHaveLength(2)
    expect(watch.stderr).toMatch(/^watching threshold-production in sqlite:/)
  })

  it('asks for a reason with --retrain, and names a module without policies', async () => {
    const noReason = await lore('check', policyModule, '--retrain')
    expect(noReason.stderr).toBe(
      "lore: --retrain needs --reason '<why>'; the reason is recorded with the incident\n",
    )
    const noPolicies = await lore(
      'check',
      fileURLToPath(
        new URL('../../test/support/temp-store.ts', import.meta.url),
      ),
    )
    expect(noPolicies.stderr).toMatch(
      /temp-store\.ts exports no policy; export one made with definePolicy/,
    )
    const unknownPolicy = await lore('check', policyModule, '--policy', 'nope')
    expect(unknownPolicy.stderr).toMatch(
      /policy 'nope' is not exported by .*threshold-policy\.ts; it exports: threshold-production/,
    )
  })
})
