import {
  LoreError,
  uniqueNodeName,
  type ArtifactInput,
  type MetadataStore,
} from '@lore/store'
import { hashValue } from '../capture/hash-value.js'
import type { DatasetProfile } from '../drift/column-profile.js'
import type { DatasetInput } from '../drift/dataset-input.js'
import {
  profileDataset,
  type ProfileDatasetOptions,
} from '../drift/profile-dataset.js'
import { ensureMonitorTypes } from './monitor-types.js'
import { toStruct } from './to-struct.js'

/** Options of {@link recordStatistics}. */
export interface RecordStatisticsOptions extends ProfileDatasetOptions {
  /** The artifact's name: `training data of iris v2`, `serving window 14`. */
  name: string
  /** Contexts to attribute the artifact to (a model version, an incident). */
  contextIds?: readonly number[]
}

/** A recorded profile. */
export interface RecordedStatistics {
  /** The `Statistics` artifact. */
  artifactId: number
  profile: DatasetProfile
  /** sha256 of the data profiled. */
  fingerprint: string
}

/**
 * Profile a table and record the profile as a `Statistics` artifact (per column: count,
 * missing, mean, std, quantiles, histogram or frequent values). The artifact is named by the
 * data's content, so the same data is profiled into one artifact however often it is checked:
 * training data once, each serving window once.
 *
 * @example
 * const { artifactId } = await recordStatistics(store, trainingRows, { name: 'iris v1 training data' })
 */
export async function recordStatistics(
  store: MetadataStore,
  data: DatasetInput,
  options: RecordStatisticsOptions,
): Promise<RecordedStatistics> {
  await ensureMonitorTypes(store)
  const fingerprint = hashValue(data)
  const { name, contextIds = [], ...profileOptions } = options
  const profile = profileDataset(data, profileOptions)
  const externalId = `statistics:sha256:${fingerprint}`
  let artifactId = (
    await store.getArtifacts({ externalIds: [externalId], limit: 1 })
  ).items[0]?.id
  if (artifactId === undefined) {
    ;[artifactId] = await putOnce(store, externalId, [
      {
        type: 'Statistics',
        externalId,
        name: uniqueNodeName(name, externalId),
        fingerprint,
        state: 'LIVE',
        customProperties: {
          rowCount: profile.rowCount,
          columns: toStruct(profile.columns),
        },
      },
    ])
  }
  if (artifactId === undefined) throw new Error('the store returned no id')
  if (contextIds.length > 0)
    await store.putAttributionsAndAssociations(
      contextIds.map((contextId) => ({ contextId, artifactId })),
      [],
    )
  return { artifactId, profile, fingerprint }
}

/** Put a new artifact; if another process put the same one first, return that one's id. */
async function putOnce(
  store: MetadataStore,
  externalId: string,
  artifacts: ArtifactInput[],
): Promise<(number | undefined)[]> {
  try {
    return await store.putArtifacts(artifacts)
  } catch (error) {
    if (!(LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS'))
      throw error
    return [
      (await store.getArtifacts({ externalIds: [externalId], limit: 1 }))
        .items[0]?.id,
    ]
  }
}
