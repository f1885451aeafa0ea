import { readFileSync } from 'node:fs'
import type {
  JsonSchemaDocument,
  OpenLineageFacet,
} from '@lore/store/openlineage'

/*
 * The facets Lore writes, with the `_schemaURL` of each: the official schema's `$id` and the
 * definition inside it (OpenLineage 2-0-2's facet versions), or Lore's own `lore_metrics`.
 */

const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string }

/** The SDK's version, as `processing_engine` reports it. */
export const loreVersion = packageJson.version

/** Who produced the events: OpenLineage asks for a URI naming the producer and its version. */
export const loreProducer = `https://github.com/lore-ml/lore/tree/v${loreVersion}/packages/sdk`

const facetSchemas = {
  parent:
    'https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet',
  errorMessage:
    'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  processing_engine:
    'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet',
  executionParameters:
    'https://openlineage.io/spec/facets/1-0-0/ExecutionParametersRunFacet.json#/$defs/ExecutionParametersRunFacet',
  sourceCodeLocation:
    'https://openlineage.io/spec/facets/1-1-0/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet',
  jobType:
    'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  version:
    'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
  dataSource:
    'https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet',
  schema:
    'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  datasetType:
    'https://openlineage.io/spec/facets/1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet',
  lore_metrics:
    'https://lore.dev/spec/facets/1-0-0/LoreMetricsRunFacet.json#/$defs/LoreMetricsRunFacet',
} as const

/** A facet key Lore writes. */
export type LoreFacetKey = keyof typeof facetSchemas

/**
 * A facet of `key` with its `_producer` and `_schemaURL` filled in.
 *
 * @example
 * facet('version', { datasetVersion: 'a36b…' })
 */
export function facet(
  key: LoreFacetKey,
  fields: Record<string, unknown>,
): OpenLineageFacet {
  return { _producer: loreProducer, _schemaURL: facetSchemas[key], ...fields }
}

let metricsSchema: JsonSchemaDocument | undefined

/**
 * The JSON Schema of Lore's custom `lore_metrics` run facet, versioned by its `$id`
 * (`…/facets/1-0-0/LoreMetricsRunFacet.json`) and shipped in this package, for a consumer's
 * validator: `createOpenLineageValidator({ facetSchemas: [loreMetricsFacetSchema()] })`.
 */
export function loreMetricsFacetSchema(): JsonSchemaDocument {
  metricsSchema ??= JSON.parse(
    readFileSync(
      new URL('./facets/LoreMetricsRunFacet.json', import.meta.url),
      'utf8',
    ),
  ) as JsonSchemaDocument
  return metricsSchema
}
