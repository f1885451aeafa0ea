import { readableNodeName, type MetadataStore } from '@lore/store'
import { expect } from 'vitest'
import { stepFacts } from '@lore/sdk/query'

/**
 * Check what a run of `DecoratedPipeline` recorded, whichever decorator mode compiled it:
 * three executions with their types, params, and the lineage total ← scale ← load.
 */
export async function checkDecoratedRun(
  store: MetadataStore,
  runId: string,
  pipelineName: string,
): Promise<void> {
  const [run] = (await store.getContexts({ externalIds: [runId] })).items
  expect(run?.customProperties.status).toBe('COMPLETE')
  const [parent] = await store.getParentContexts(run?.id ?? 0)
  expect(parent?.name).toBe(pipelineName)
  const executions = (await store.getExecutions({ contextId: run?.id ?? 0 }))
    .items
  expect(
    executions.map((execution) => [
      readableNodeName(execution.name),
      execution.type,
    ]),
  ).toEqual([
    ['load', 'Process'],
    ['scale', 'Step'],
    ['total', 'Evaluate'],
  ])
  expect(executions[1]?.customProperties.params).toEqual({ factor: 2 })
  expect(stepFacts(executions[2]!).outputs).toBe(12)
  const total = executions[2]
  const lineage = await store.getLineageSubgraph({
    executionIds: [total?.id ?? 0],
    direction: 'upstream',
  })
  expect(
    lineage.executions
      .map((execution) => readableNodeName(execution.name))
      .sort(),
  ).toEqual(['load', 'scale', 'total'])
}
