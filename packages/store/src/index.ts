/**
 * `@lore/store`: the data model (zod schemas), the `MetadataStore` interface, `openStore` and the
 * SQL store. What a pipeline needs, and nothing of the server or the HTTP client: those are
 * `@lore/store/server` (the store server and its tokens), `@lore/store/remote` (`RemoteStore`,
 * which `openStore` loads on demand for an http url) and `@lore/store/openlineage`.
 */
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
export { validateInput } from './validate-input.js'
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
