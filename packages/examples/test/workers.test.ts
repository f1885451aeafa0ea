import { shutdown } from '@lore/sdk'
import { stepFacts } from '@lore/sdk/query'
import { openStore, readableNodeName } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { workerPipeline } from '../src/workers/worker-pipeline.js'
import { createWorkspace, type Workspace } from './support/lore-cli.js'

let workspace: Workspace
beforeEach(async () => {
  workspace = await createWorkspace()
})
afterEach(async () => {
  await shutdown()
  await workspace.cleanup()
})

describe('the worker example', () => {
  it('records the steps of every child process in the parent run, under the step that started them', async () => {
    const { runId, result } = await workerPipeline.run(
      { partitions: 2 },
      { store: workspace.store },
    )
    expect(result).toMatchObject({ partitions: 2, workers: 2 })
    const store = await openStore(workspace.store)
    const runs = (await store.getContexts({ type: 'PipelineRun' })).items
    expect(runs.map((run) => run.externalId)).toEqual([runId])
    const executions = (
      await store.getExecutions({ contextId: runs[0]?.id ?? 0 })
    ).items
    await store.close()
    const workers = executions.filter(
      (execution) => readableNodeName(execution.name) === 'scoreInWorker',
    )
    expect(workers).toHaveLength(2)
    for (const worker of workers) {
      const children = executions.filter(
        (execution) => stepFacts(execution).parent === worker.externalId,
      )
      expect(
        children.map((child) => readableNodeName(child.name)).sort(),
      ).toEqual(['featurize', 'summarize'])
    }
  })
})
