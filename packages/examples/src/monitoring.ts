// `pnpm monitoring`: a model in production, watched by a policy. Train on iris and promote;
// serve windows of flowers whose measurements shift (a new sensor); the policy detects the
// drift, retrains, and promotes a better model; then a deliberately worse candidate gets
// through the gate (a leaky held-out split) and is rolled back in its watch window. Every
// decision is in the store; the incidents' timelines are printed at the end.
import { rm } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import {
  checkPolicy,
  configure,
  modelRegistry,
  shutdown,
  type CheckReport,
} from '@lore/sdk'
import { runCli } from '@lore/sdk/cli'
import { irisFlowers } from './monitoring/flower.js'
import { accuracyOf } from './monitoring/iris-model.js'
import { irisModelOf, irisPolicy } from './monitoring/iris-policy.js'
import { irisTraining } from './monitoring/iris-training.js'
import {
  monitoringDir,
  saveServingWindow,
  saveTrainingSet,
  writeTrainingConfig,
} from './monitoring/monitoring-files.js'
import { servingWindow, type Instrument } from './monitoring/serving-stream.js'

const base = process.env.INIT_CWD || process.cwd()
const storeFile = resolve(base, '.lore', 'monitoring.db')
const location = process.env.LORE_STORE ?? `sqlite:${storeFile}`
if (process.env.LORE_STORE === undefined) {
  // The example's own store and files, fresh on every run, so the story reads the same.
  for (const suffix of ['', '-wal', '-shm'])
    await rm(`${storeFile}${suffix}`, { force: true })
  await rm(monitoringDir(), { recursive: true, force: true })
}
configure({ store: location })
const registry = await modelRegistry()
const flowers = irisFlowers()
const say = (text = ''): void => console.log(text)

// 1. A first model, in production.
const { result: first } = await irisTraining.run(
  {
    dataFile: await saveTrainingSet('iris', flowers),
    modelFile: join(monitoringDir(), 'model-v1.json'),
  },
  { seed: 42 },
)
const v1 = await registry.register('iris', first.model, {
  description: "Fisher's 150 flowers, measured with the field kit",
  metrics: { heldOutAccuracy: first.accuracy },
})
await registry.setAlias('iris', 'production', v1.version, {
  reason: 'first model',
})
say(
  `1. Trained iris v${v1.version} on Fisher's ${flowers.length} flowers (accuracy ${first.accuracy.toFixed(3)} on ${first.heldOut.length} held out) and promoted it to production.`,
)

// 2. Serving: a window of flowers at a time; labels arrive after it, the policy checks.
let window = 0
const windowSize = 60
const headline = (report: CheckReport): string => {
  const [first] = report.messages
  if (report.outcome === 'ok' || report.outcome === 'insufficient-data')
    return first?.replace(/ \(.*$/, '') ?? report.outcome
  return `${report.outcome}${report.incident === undefined ? '' : ` (${report.incident})`}`
}

async function serve(instrument: Instrument): Promise<CheckReport> {
  const production = await registry.getByAlias('iris', 'production')
  const batch = servingWindow(flowers, {
    size: windowSize,
    instrument,
    seed: 1000 + window,
  })
  const accuracy = accuracyOf(await irisModelOf(production), batch)
  // What a prediction service does once labels arrive: log the accuracy on the version.
  await registry.logMetric(production, 'accuracy', accuracy)
  await saveServingWindow(window, batch)
  const report = await checkPolicy(irisPolicy)
  say(
    `   ${String(window).padStart(2)}  ${instrument.padEnd(10)}  v${production.version}  ${accuracy.toFixed(2)}      ${headline(report)}`,
  )
  if (!['ok', 'insufficient-data', 'watching'].includes(report.outcome))
    for (const message of report.messages)
      say(`                                  ${message}`)
  window++
  return report
}

say()
say(
  `2. Serving windows of ${windowSize} flowers; after each, the labels come in and the policy checks (what lore watch does on an interval).`,
)
say('   win instrument  model accuracy  check')
for (let count = 0; count < 4; count++) await serve('field-kit')
let report = await serve('new-sensor')
while (
  report.outcome !== 'kept' &&
  report.outcome !== 'rolled-back' &&
  window < 30
)
  report = await serve('new-sensor')

// 3. A worse candidate gets through the gate, and the watch window catches it.
say()
say(
  '3. The data team ships a new feature pipeline — sepal measurements only, and a held-out split that by a bug reuses the training rows — and asks for a retraining.',
)
await writeTrainingConfig({
  features: ['sepalLength', 'sepalWidth'],
  holdOut: 'training-rows',
  maxDepth: 12,
  minNumSamples: 1,
})
report = await checkPolicy(irisPolicy, {
  retrain: {
    reason: 'new feature pipeline: sepal measurements only',
    actor: 'data-team',
  },
})
for (const message of report.messages) say(`   ${message}`)
say('   win instrument  model accuracy  check')
report = await serve('new-sensor')
while (
  report.outcome !== 'rolled-back' &&
  report.outcome !== 'kept' &&
  window < 40
)
  report = await serve('new-sensor')
for (let count = 0; count < 2; count++) await serve('new-sensor')
await shutdown()

// 4. The story of each incident, as `lore incidents show` tells it.
say()
say('4. The incidents, as lore incidents show tells them:')
const store =
  location !== `sqlite:${storeFile}`
    ? location
    : `sqlite:${relative(base, storeFile)}`
for (const incident of ['INC-1', 'INC-2']) {
  say()
  await runCli(['incidents', 'show', incident, '--store', location])
}
say()
say('Look further:')
for (const [command, what] of [
  [
    `pnpm lore models history iris --store ${store}`,
    'every move of every alias',
  ],
  [
    `pnpm lore models show iris 2 --store ${store}`,
    'v2: its run, its data, why it is in production',
  ],
  [`pnpm lore incidents --store ${store}`, 'all incidents'],
  [
    `pnpm lore check packages/examples/src/monitoring/iris-policy.ts --store ${store}`,
    'run the policy once more',
  ],
])
  say(`  ${command}\n      # ${what}`)
