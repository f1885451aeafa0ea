import type { Artifact } from '@lore/store'
import { uriOfDataset } from '@lore/store/openlineage'
import { describe, expect, it } from 'vitest'
import { datasetOfArtifact, uriOfArtifact } from './dataset-of-artifact.js'
import { openLineageRunId } from './run-id.js'

const uuid =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function artifactWith(fields: Partial<Artifact>): Artifact {
  return {
    id: 7,
    typeId: 1,
    type: 'Dataset',
    properties: {},
    customProperties: {},
    createTimeSinceEpoch: 0,
    lastUpdateTimeSinceEpoch: 0,
    ...fields,
  } as Artifact
}

describe('openLineageRunId', () => {
  it('keeps the UUID of a run or of a step call (execution:<uuid>), in lower case', () => {
    expect(openLineageRunId('5E4FBF01-78F2-48A1-8C85-9414B2EB15EC')).toBe(
      '5e4fbf01-78f2-48a1-8c85-9414b2eb15ec',
    )
    expect(
      openLineageRunId('execution:2a9f9f35-8948-42e5-ad99-7d4b78727ba4'),
    ).toBe('2a9f9f35-8948-42e5-ad99-7d4b78727ba4')
  })

  it('maps any other id to a stable UUID of its own', () => {
    for (const id of ['nightly-7', '', 'ünïcode/run 🚀', 'x'.repeat(10_000)]) {
      expect(openLineageRunId(id)).toMatch(uuid)
      expect(openLineageRunId(id)).toBe(openLineageRunId(id))
    }
    expect(openLineageRunId('nightly-7')).not.toBe(
      openLineageRunId('nightly-8'),
    )
  })
})

describe('datasetOfArtifact', () => {
  it("names a dataset so that the server's import maps it back to the artifact's uri", () => {
    for (const uri of [
      'file:///data/iris.csv',
      's3://bucket/key/x.parquet',
      'postgres://db:5432/shop.public.orders',
      'hdfs://namenode:8020/warehouse/t',
      'file:///tmp/with space/ä.csv',
    ]) {
      const dataset = datasetOfArtifact(artifactWith({ uri }))
      expect(uriOfDataset(dataset)).toBe(uri)
    }
  })

  it('gives a value recorded without a uri the namespace lore and its external id', () => {
    const value = artifactWith({
      externalId: 'artifact:622e05dd-0a99-4f0e-bf7b-f7a9ddb7bedd',
      fingerprint: 'a'.repeat(64),
      type: 'Model',
    })
    const dataset = datasetOfArtifact(value)
    expect(dataset).toMatchObject({
      namespace: 'lore',
      name: 'artifact:622e05dd-0a99-4f0e-bf7b-f7a9ddb7bedd',
      facets: {
        version: { datasetVersion: 'a'.repeat(64) },
        datasetType: { datasetType: 'MODEL' },
        dataSource: { name: 'lore' },
      },
    })
    expect(uriOfDataset(dataset)).toBe(uriOfArtifact(value))
    expect(uriOfArtifact(artifactWith({}))).toBe('lore:artifact:7')
  })
})
