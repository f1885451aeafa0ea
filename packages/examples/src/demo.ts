// `pnpm demo`: run the iris pipeline, then say how to look at what was recorded.
import { defaultStoreLocation, pipelineOf } from '@lore/sdk'
import { findRun } from '@lore/sdk/query'
import { openStore } from '@lore/store'
import { IrisPipeline } from './iris/iris-pipeline.js'

const location = defaultStoreLocation()
const { runId, result } = await pipelineOf(IrisPipeline).run(
  { testFraction: 0.3 },
  { store: location },
)

const store = await openStore(location)
const run = await findRun(store, runId, location)
const [model] = (await store.getArtifacts({ contextId: run.id, type: 'Model' }))
  .items
const [data] = (
  await store.getArtifacts({ contextId: run.id, name: 'iris.json' })
).items
await store.close()

const short = runId.slice(0, 8)
const commands: [string, string][] = [
  ['pnpm lore runs', 'recent runs'],
  [
    `pnpm lore show ${short}`,
    'config, code version, environment and the step tree',
  ],
]
if (model !== undefined)
  commands.push([
    `pnpm lore lineage a:${model.id} --up`,
    'the model ← train ← split ← load ← the data file',
  ])
if (data !== undefined)
  commands.push([
    `pnpm lore lineage a:${data.id} --down`,
    'everything made from the data file',
  ])
commands.push([
  `pnpm lore lineage ${short} --format dot`,
  "the run's lineage as a Graphviz graph",
])
const width = Math.max(...commands.map(([command]) => command.length))
console.log(
  [
    `Trained a CART decision tree on the iris data: accuracy ${result.metrics.accuracy.toFixed(3)} on ${result.metrics.total} held-out flowers.`,
    `Run ${runId} was recorded in ${location}, with no logging code in the pipeline.`,
    '',
    'Look at what was recorded:',
    ...commands.map(
      ([command, what]) => `  ${command.padEnd(width)}  # ${what}`,
    ),
  ].join('\n'),
)
