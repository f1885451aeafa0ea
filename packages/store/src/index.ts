export {
  LoreError,
  type LoreErrorCode,
  type LoreErrorOptions,
  type LoreIssue,
} from './lore-error.js'
export * from './record-schemas.js'
export * from './request-schemas.js'
export type { LineageSubgraph, MetadataStore } from './metadata-store.js'
export {
  defaultStoreUrl,
  openStore,
  type OpenStoreOptions,
} from './open-store.js'
export { httpStatusOf, loreCodeOf } from './http-status.js'
export { maskUrlPassword } from './mask-url-password.js'
export { readableNodeName } from './readable-node-name.js'
export { maxNodeNameLength, uniqueNodeName } from './unique-node-name.js'
export { RemoteStore, type RemoteStoreOptions } from './remote/remote-store.js'
export type { HttpTransportOptions } from './remote/http-transport.js'
export {
  createStoreServer,
  openApiDocument,
  runMetricRoutes,
  storeRoutes,
  type MetricSummary,
  type OpenApiOptions,
  type RouteDefinition,
  type StoreServer,
  type StoreServerLogOptions,
  type StoreServerOptions,
} from './server/index.js'
export {
  createToken,
  scopeAllows,
  SqliteTokenStore,
  tokenScopeSchema,
  type CreatedToken,
  type CreateTokenOptions,
  type TokenInfo,
  type TokenScope,
  type TokenStore,
} from './auth/index.js'
export { validateInput } from './validate-input.js'
export {
  createOpenLineageValidator,
  datasetOfUri,
  OpenLineageImporter,
  openLineagePath,
  openLineageRunContextType,
  openLineageSchemas,
  openLineageSchemaUrl,
  runEventSchemaUrl,
  uriOfDataset,
  useOpenLineageRoute,
  type DatasetName,
  type ImportedEvent,
  type JsonSchemaDocument,
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
  type OpenLineageValidation,
  type OpenLineageValidator,
  type OpenLineageValidatorOptions,
} from './openlineage/index.js'
export { SqlStore, type SqlStoreOptions } from './sql/sql-store.js'
export {
  SqliteDialect,
  type SqliteDialectOptions,
} from './sql/sqlite/sqlite-dialect.js'
export {
  PostgresDialect,
  type PostgresDialectOptions,
} from './sql/postgres/postgres-dialect.js'
export {
  MysqlDialect,
  type MysqlDialectOptions,
} from './sql/mysql/mysql-dialect.js'
export {
  defaultAdapter,
  type Connection,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Row,
} from './sql/dialect.js'
export {
  latestSchemaVersion,
  migrations,
  type Migration,
} from './sql/migrations.js'
export {
  parseFilter,
  compileFilter,
  type FilterNode,
  type CompiledFilter,
  type FilterEntity,
} from './filter/index.js'
