// Run a decorated pipeline under tsx and print what happened as JSON:
// tsx --tsconfig <mode>/tsconfig.json run-decorated.ts <mode> <store url>
import { pipelineOf } from '@lore/sdk'
import { getStepMetadata } from '../../src/decorators/lore-metadata.js'

const [mode, store] = process.argv.slice(2)
const module = (await import(
  `./${mode}/decorated-pipeline.js`
)) as typeof import('./tc39/decorated-pipeline.js')
const { DecoratedPipeline, seenModes } = module
const { runId, result } = await pipelineOf(DecoratedPipeline).run(
  {},
  { store: store ?? 'sqlite::memory:' },
)
console.log(
  JSON.stringify({
    runId,
    result,
    seenModes,
    metadataMode: getStepMetadata(DecoratedPipeline.prototype.load)?.mode,
    loadIsSync: Array.isArray(new DecoratedPipeline().load(2)),
  }),
)
