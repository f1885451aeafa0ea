export { datasetOfUri, uriOfDataset, type DatasetName } from './dataset-uri.js'
export {
  OpenLineageImporter,
  openLineageRunContextType,
  type ImportedEvent,
} from './import-openlineage-event.js'
export {
  runEventSchemaUrl,
  type OpenLineageDataset,
  type OpenLineageDatasetEvent,
  type OpenLineageEvent,
  type OpenLineageEventType,
  type OpenLineageFacet,
  type OpenLineageFacets,
  type OpenLineageJob,
  type OpenLineageJobEvent,
  type OpenLineageRun,
  type OpenLineageRunEvent,
} from './openlineage-event.js'
export { openLineagePath, useOpenLineageRoute } from './openlineage-route.js'
export {
  openLineageSchemas,
  openLineageSchemaUrl,
  type JsonSchemaDocument,
} from './openlineage-schemas.js'
export {
  createOpenLineageValidator,
  type OpenLineageValidation,
  type OpenLineageValidator,
  type OpenLineageValidatorOptions,
} from './openlineage-validator.js'
