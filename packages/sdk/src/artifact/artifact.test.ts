import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRun } from '../../test/support/read-run.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'
import { artifact } from './artifact.js'
import type { DirArtifact } from './dir-artifact.js'
import { FileArtifact } from './file-artifact.js'
import { ValueArtifact } from './value-artifact.js'

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await shutdown()
  await temp.cleanup()
})

describe('artifact', () => {
  it('makes file handles from paths and value handles from values, with their types', () => {
    const data = artifact.dataset('data/train.csv')
    expect(data).toBeInstanceOf(FileArtifact)
    expect(data.type).toBe('Dataset')
    expect(data.name).toBe('train.csv')
    expect(data.uri).toMatch(/^file:\/\/\/.*\/data\/train\.csv$/)
    const model = artifact.model(
      { weights: [1, 2] },
      { name: 'linear', version: 'v2' },
    )
    expect(model).toBeInstanceOf(ValueArtifact)
    expect(model).toMatchObject({
      type: 'Model',
      name: 'linear',
      version: 'v2',
      value: { weights: [1, 2] },
    })
    expect(artifact.metrics({ accuracy: 1 }).type).toBe('Metrics')
    expect(artifact.file('x', { type: 'Statistics' }).type).toBe('Statistics')
    expect(artifact.dir('images').type).toBe('Directory')
  })

  it('records directories, values and their properties as a step reads and writes them', async () => {
    const images = join(temp.dir, 'images')
    await mkdir(images)
    await writeFile(join(images, 'a.png'), 'not really a png')
    const label = step(function label(folder: DirArtifact) {
      return artifact.metrics(
        { labelled: folder.path.length, apiKey: 'sk-123' },
        { properties: { labeller: 'v1' } },
      )
    })
    const { runId } = await pipeline('labels', {}, () =>
      label(artifact.dir(images, { type: 'Dataset' })),
    ).run(undefined, {
      store: temp.url,
    })
    const recorded = await readRun(await temp.open(), runId)
    const execution = recorded.execution('label')
    const folder = recorded.inputs(execution).folder
    expect(folder).toMatchObject({
      type: 'Dataset',
      name: expect.stringMatching(/^images#[0-9a-f]{16}$/),
      state: 'LIVE',
    })
    expect(folder?.customProperties).toMatchObject({ files: 1, size: 16 })
    const metrics = recorded.outputs(execution).result
    expect(metrics?.type).toBe('Metrics')
    expect(metrics?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(metrics?.customProperties.labeller).toBe('v1')
    expect(metrics?.customProperties.preview).toEqual({
      labelled: images.length,
      apiKey: '[REDACTED]',
    })
  })
})
