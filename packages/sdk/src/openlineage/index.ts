export { buildRunEvents, type BuildEventsOptions } from './build-run-events.js'
export { CompositeTransport } from './composite-transport.js'
export {
  ConsoleTransport,
  type ConsoleTransportOptions,
} from './console-transport.js'
export { datasetOfArtifact, uriOfArtifact } from './dataset-of-artifact.js'
export { FileTransport } from './file-transport.js'
export { HttpTransport, type HttpTransportOptions } from './http-transport.js'
export {
  resolveOpenLineageConfig,
  type OpenLineageOptions,
  type ResolvedOpenLineageConfig,
  type TransportConfig,
} from './openlineage-config.js'
export {
  OpenLineageEmitter,
  type EmitterOptions,
  type OpenLineageOutboxEntry,
} from './openlineage-emitter.js'
export {
  facet,
  loreMetricsFacetSchema,
  loreProducer,
  loreVersion,
} from './openlineage-facets.js'
export {
  closeOpenLineage,
  configureOpenLineage,
  openLineageSinkFor,
} from './openlineage-registry.js'
export { OpenLineageSink, type LineageListener } from './openlineage-sink.js'
export { openLineageRunId } from './run-id.js'
export { readRunRecords, type RunRecords } from './run-records.js'
export { RefusedEventError, type OpenLineageTransport } from './transport.js'
