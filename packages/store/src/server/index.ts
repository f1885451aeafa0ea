export {
  createStoreServer,
  type StoreServer,
  type StoreServerLogOptions,
  type StoreServerOptions,
} from './create-store-server.js'
export { isLoopbackHost } from './loopback-host.js'
export { openApiDocument, type OpenApiOptions } from './openapi-document.js'
export { storeRoutes } from './store-routes.js'
export { runMetricRoutes, type MetricSummary } from './run-metric-routes.js'
export type { RouteDefinition } from './route-definition.js'
export { maxLayoutEdges, maxLayoutNodes } from './layout-limits.js'
export {
  layoutRoutes,
  type GraphLayout,
  type GraphLayoutAnswer,
  type GraphLayoutRequest,
} from './layout-routes.js'
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
} from '../auth/index.js'
