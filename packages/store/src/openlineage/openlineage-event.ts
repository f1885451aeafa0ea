/*
 * The slice of OpenLineage 2-0-2's event model Lore reads and writes, as TypeScript types.
 * The JSON Schemas in ./schemas are the authority; these only give names to their shapes.
 */

/** Every facet: `_producer` and `_schemaURL`, plus the facet's own fields. */
export interface OpenLineageFacet {
  _producer: string
  _schemaURL: string
  [field: string]: unknown
}

/** Facets by key (`parent`, `schema`, `lore_metrics`…). */
export type OpenLineageFacets = Record<string, OpenLineageFacet>

/** A job: a recurring process, by namespace (its scheduler) and name. */
export interface OpenLineageJob {
  namespace: string
  name: string
  facets?: OpenLineageFacets
}

/** One run of a job, by a UUID. */
export interface OpenLineageRun {
  runId: string
  facets?: OpenLineageFacets
}

/** A dataset, by namespace (its datasource) and name. */
export interface OpenLineageDataset {
  namespace: string
  name: string
  facets?: OpenLineageFacets
  inputFacets?: OpenLineageFacets
  outputFacets?: OpenLineageFacets
}

/** A run's state changes: START, then one of COMPLETE, FAIL or ABORT. */
export type OpenLineageEventType =
  'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER'

/** A RunEvent: a change of a run's state, with the datasets it read and wrote. */
export interface OpenLineageRunEvent {
  eventType?: OpenLineageEventType
  eventTime: string
  producer: string
  schemaURL: string
  run: OpenLineageRun
  job: OpenLineageJob
  inputs?: OpenLineageDataset[]
  outputs?: OpenLineageDataset[]
}

/** A DatasetEvent: metadata of one dataset, outside any run. */
export interface OpenLineageDatasetEvent {
  eventTime: string
  producer: string
  schemaURL: string
  dataset: OpenLineageDataset
}

/** A JobEvent: metadata of a job, outside any run. */
export interface OpenLineageJobEvent {
  eventTime: string
  producer: string
  schemaURL: string
  job: OpenLineageJob
  inputs?: OpenLineageDataset[]
  outputs?: OpenLineageDataset[]
}

/** Any OpenLineage event. */
export type OpenLineageEvent =
  OpenLineageRunEvent | OpenLineageDatasetEvent | OpenLineageJobEvent

/** The `schemaURL` of a RunEvent in 2-0-2. */
export const runEventSchemaUrl =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent'
