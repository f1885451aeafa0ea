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
