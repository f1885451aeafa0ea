import { type Artifact } from '@lore/store'
import {
  datasetOfUri,
  type OpenLineageDataset,
  type OpenLineageFacets,
} from '@lore/store/openlineage'
import { facet } from './openlineage-facets.js'

/**
 * The uri an artifact goes by in OpenLineage: its own, or — for a value Lore recorded
 * without one — `lore:artifact:<uuid>` (its external id), which maps to the namespace `lore`
 * and comes back unchanged through the store's import.
 */
export function uriOfArtifact(artifact: Artifact): string {
  if (artifact.uri !== undefined && artifact.uri !== '') return artifact.uri
  return `lore:${artifact.externalId ?? `artifact:${artifact.id}`}`
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value === 'object' ? 'struct' : typeof value
}

/**
 * The fields of a table-like artifact, when its record shows them: a `schema`/`columns`
 * property, or the keys of the first rows of its preview.
 */
function fieldsOf(
  artifact: Artifact,
): { name: string; type: string }[] | undefined {
  const declared =
    artifact.properties.columns ?? artifact.customProperties.columns
  if (Array.isArray(declared) && declared.every((c) => typeof c === 'string'))
    return (declared as string[]).map((name) => ({ name, type: 'unknown' }))
  // A small value's preview is the value itself; a large one's is `{ $type, items }`.
  const raw = artifact.customProperties.preview
  const preview = record(raw)
  const items = Array.isArray(raw)
    ? raw
    : Array.isArray(preview.items)
      ? preview.items
      : undefined
  const first = items?.find(
    (item) => typeof item === 'object' && item !== null && !Array.isArray(item),
  )
  if (first === undefined) return undefined
  const fields = Object.entries(record(first))
    .filter(([name]) => !name.startsWith('$'))
    .map(([name, value]) => ({ name, type: typeName(value) }))
  return fields.length > 0 ? fields : undefined
}

function dataSourceUri(namespace: string): string | undefined {
  if (namespace === 'file') return 'file:///'
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(namespace) ? namespace : undefined
}

/**
 * The OpenLineage dataset of a Lore artifact: namespace and name from its uri (the store's
 * mapping, so the import finds the same artifact), `version` from its fingerprint,
 * `dataSource`, `schema` where the record shows the fields, and `datasetType` MODEL for a model.
 *
 * @example
 * datasetOfArtifact(artifact) // { namespace: 'file', name: '/data/iris.csv', facets: {…} }
 */
export function datasetOfArtifact(artifact: Artifact): OpenLineageDataset {
  const { namespace, name } = datasetOfUri(uriOfArtifact(artifact))
  const facets: OpenLineageFacets = {}
  if (artifact.fingerprint !== undefined)
    facets.version = facet('version', {
      datasetVersion: artifact.fingerprint,
    })
  const sourceUri = dataSourceUri(namespace)
  facets.dataSource = facet('dataSource', {
    name: namespace,
    ...(sourceUri === undefined ? {} : { uri: sourceUri }),
  })
  const fields = fieldsOf(artifact)
  if (fields !== undefined) facets.schema = facet('schema', { fields })
  if (artifact.type === 'Model')
    facets.datasetType = facet('datasetType', { datasetType: 'MODEL' })
  return { namespace, name, facets }
}
