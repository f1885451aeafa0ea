import { shutdown } from '@lore/sdk'
import { stepFacts } from '@lore/sdk/query'
import { openStore, readableNodeName } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fanoutPipeline } from '../src/fanout/fanout-pipeline.js'
import { createWorkspace, type Workspace } from './support/lore-cli.js'

let workspace: Workspace
beforeEach(async () => {
  workspace = await createWorkspace()
})
afterEach(async () => {
  await shutdown()
  await workspace.cleanup()
})

describe('the fan-out example', () => {
  it('records every partition with its own nested steps, however they interleave', async () => {
    const { runId, result } = await fanoutPipeline.run(
      { partitions: 6 },
      { store: workspace.store },
    )
    expect(result.partitions).toBe(6)
    const store = await openStore(workspace.store)
    const [run] = (await store.getContexts({ externalIds: [runId] })).items
    const executions = (await store.getExecutions({ contextId: run?.id ?? 0 }))
      .items
    await store.close()
    const scores = executions.filter(
      (execution) => readableNodeName(execution.name) === 'scorePartition',
    )
    expect(scores).toHaveLength(6)
    for (const score of scores) {
      const children = executions.filter(
        (execution) => stepFacts(execution).parent === score.externalId,
      )
      expect(
        children.map((child) => readableNodeName(child.name)).sort(),
      ).toEqual(['featurize', 'summarize'])
    }
    const nested = executions.filter((execution) =>
      ['featurize', 'summarize'].includes(
        readableNodeName(execution.name) ?? '',
      ),
    )
    expect(nested).toHaveLength(12)
    // The partitions ran concurrently: a later one started before an earlier one ended.
    const sorted = [...scores].sort(
      (a, b) => (a.startTimeSinceEpoch ?? 0) - (b.startTimeSinceEpoch ?? 0),
    )
    expect(sorted[1]?.startTimeSinceEpoch).toBeLessThanOrEqual(
      sorted[0]?.endTimeSinceEpoch ?? 0,
    )
  })

  it('links each partition back to the partition step, and the merge to every score', async () => {
    const { runId } = await fanoutPipeline.run(
      { partitions: 3 },
      { store: workspace.store },
    )
    const shown = await workspace.lore('show', runId)
    expect(shown.stdout.match(/in +shard ← Dataset partition/g)).toHaveLength(3)
    expect(
      shown.stdout.match(/in +summaries\.\d ← Value scorePartition/g),
    ).toHaveLength(3)
    const tree = (await workspace.lore('lineage', runId, '--up')).stdout
    expect(tree).toContain('made by merge (Process')
    expect(tree).toContain('made by partition (Process')
  })
})
