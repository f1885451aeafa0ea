// `pnpm demo`: run the iris pipeline, then say how to look at what was recorded.
import { defaultStoreLocation, pipelineOf } from '@lore/sdk'
import { findRun } from '@lore/sdk/query'
import { openStore, readableNodeName } from '@lore/store'
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
// Names are unique within a type: the recorder adds a suffix to the file's name.
const data = (await store.getArtifacts({ contextId: run.id })).items.find(
  (artifact) => readableNodeName(artifact.name) === 'iris.json',
)
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
const ui = 'pnpm lore ui'
const width = Math.max(
  ui.length,
  ...commands.map(([command]) => command.length),
)
console.log(
  [
    `Trained a CART decision tree on the iris data: accuracy ${result.metrics.accuracy.toFixed(3)} on ${result.metrics.total} held-out flowers.`,
    `Run ${runId} was recorded in ${location}, with no logging code in the pipeline.`,
    '',
    'Look at what was recorded:',
    ...commands.map(
      ([command, what]) => `  ${command.padEnd(width)}  # ${what}`,
    ),
    '',
    'Or look at it in the browser (runs, lineage, metrics, models):',
    `  ${ui.padEnd(width)}  # serves the web UI on http://127.0.0.1:4800/; stop with Ctrl-C`,
  ].join('\n'),
)
