import type { ArtifactInput, EventInput, MetadataStore } from '@lore/store'

/**
 * A layered lineage: a source file, then `layers` layers of `perLayer` steps, each reading two
 * artifacts of the layer before and writing one. Returns the source file's artifact id.
 *
 * @example
 * const source = await fillLineage(store, 10, 25) // 501 nodes, 716 edges
 */
export async function fillLineage(
  store: MetadataStore,
  layers: number,
  perLayer: number,
): Promise<number> {
  await store.putArtifactType({ name: 'Dataset' })
  await store.putExecutionType({ name: 'Transform' })
  const [source] = await store.putArtifacts([
    { type: 'Dataset', name: 'source.csv', uri: 'file:///bench/source.csv' },
  ])
  let previous = [source as number]
  for (let layer = 0; layer < layers; layer++) {
    const executions = await store.putExecutions(
      Array.from({ length: perLayer }, (_, index) => ({
        type: 'Transform',
        name: `transform-${layer}-${index}`,
        lastKnownState: 'COMPLETE' as const,
      })),
    )
    const outputs = await store.putArtifacts(
      Array.from({ length: perLayer }, (_, index): ArtifactInput => ({
        type: 'Dataset',
        name: `part-${layer}-${index}.parquet`,
        uri: `file:///bench/part-${layer}-${index}.parquet`,
        fingerprint: `${layer}${index}`.padStart(64, 'a'),
      })),
    )
    const events: EventInput[] = []
    executions.forEach((executionId, index) => {
      const inputs = new Set([
        previous[index % previous.length] as number,
        previous[(index * 7 + 3) % previous.length] as number,
      ])
      let argument = 0
      for (const artifactId of inputs)
        events.push({
          artifactId,
          executionId,
          type: 'INPUT',
          path: ['inputs', argument++],
        })
      events.push({
        artifactId: outputs[index] as number,
        executionId,
        type: 'OUTPUT',
        path: ['outputs', 'result'],
      })
    })
    await store.putEvents(events)
    previous = outputs
  }
  return source as number
}
