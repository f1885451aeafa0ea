import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { TokenStore } from '../auth/token-store.js'
import { LoreError } from '../lore-error.js'
import { useOpenLineageRoute } from '../openlineage/openlineage-route.js'
import type { MetadataStore } from '../metadata-store.js'
import { validateInput } from '../validate-input.js'
import { useBearerAuth, type RouteAccess } from './bearer-auth.js'
import { clientErrorHandler } from './client-error-handler.js'
import { useErrorReplies } from './error-reply.js'
import { useJsonBodyParser } from './json-body-parser.js'
import { layoutRoutes, type GraphLayout } from './layout-routes.js'
import { isLoopbackHost } from './loopback-host.js'
import { openApiDocument } from './openapi-document.js'
import type { RouteDefinition } from './route-definition.js'
import { runMetricRoutes } from './run-metric-routes.js'
import { storeRoutes } from './store-routes.js'
import { tokenRoutes } from './token-routes.js'
import { useUiStatic } from './ui-static.js'

/** Where the server's log goes (pino, one JSON object a line). */
export interface StoreServerLogOptions {
  /** @default 'info' */
  level?: string
  /** @default process.stdout */
  stream?: { write(line: string): void }
}

/** Options of {@link createStoreServer}. */
export interface StoreServerOptions {
  /**
   * The address to listen on. Any address but a loopback one needs `tokens`.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * The port; 0 picks a free one (read it from `listen()`'s url).
   * @default 4700
   */
  port?: number
  /**
   * Turns auth on: every route but `/health` then needs `Authorization: Bearer <token>`,
   * and `admin` tokens may manage tokens through `/v1/createToken`, `/v1/listTokens` and
   * `/v1/revokeToken`. The server does not close it.
   */
  tokens?: TokenStore
  /**
   * The largest request body in bytes; larger ones get a 413.
   * @default 16777216 (16 MiB)
   */
  bodyLimit?: number
  /**
   * The deepest nesting of arrays and objects a body may have; deeper ones get a 400.
   * @default 64
   */
  maxDepth?: number
  /**
   * How long a request may take to arrive whole, headers and body; one still incomplete
   * then (a client that stalled, or one sending a byte at a time to hold the connection) is
   * answered with a 408 and its connection closed. Checked about every second.
   * @default 30000
   */
  requestTimeoutMs?: number
  /**
   * Log requests and errors. The Authorization header is never logged.
   * @default false
   */
  logger?: boolean | StoreServerLogOptions
  /** A built web UI folder (`@lore/ui`'s `uiDirectory()`) to serve at `/`, public. */
  ui?: string
  /**
   * Lays the UI's lineage graphs out on the server (`POST /v1/layoutGraph`, read scope), where
   * the engine stays warm: `@lore/ui`'s `createGraphLayout()`. Without it the page lays them
   * out itself. The server does not close it.
   */
  layout?: GraphLayout
}

/** A store server made by {@link createStoreServer}. */
export interface StoreServer {
  /** Start listening; resolves to the server's url (`http://127.0.0.1:4700`). */
  listen(): Promise<string>
  /** The url, once listening. */
  readonly url: string
  /**
   * Stop accepting connections, let requests in flight finish, then resolve. New requests on
   * open keep-alive connections get a 503, which clients retry elsewhere. The store stays
   * open: it belongs to the caller. Calling it twice is harmless.
   */
  close(): Promise<void>
}

const packageVersion = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version

const defaults = {
  host: '127.0.0.1',
  port: 4700,
  bodyLimit: 16 * 1024 * 1024,
  maxDepth: 64,
  requestTimeoutMs: 30_000,
}

function loggerOption(
  logger: StoreServerOptions['logger'],
): boolean | Record<string, unknown> {
  if (logger === undefined || logger === false) return false
  const options = logger === true ? {} : logger
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    // The default serializers log no headers; this keeps it so if someone adds them.
    redact: ['req.headers.authorization', 'headers.authorization'],
  }
}

/** A schema that checks only which keys a body has, leaving their values to the store. */
function keysOnly(body: z.ZodType): z.ZodType {
  const shape = (body as unknown as { shape?: Record<string, unknown> }).shape
  return z.strictObject(
    Object.fromEntries(
      Object.keys(shape ?? {}).map((key) => [key, z.unknown()]),
    ),
  )
}

function addRoutes<Target>(
  app: FastifyInstance,
  routes: readonly RouteDefinition<Target>[],
  target: Target,
): void {
  for (const route of routes) {
    const access: RouteAccess = route.scope
    // A body's keys are the store's own names for its arguments, so '' gives messages such
    // as `artifacts[0].uri: …`, exactly what an embedded store says.
    const validate = (body: unknown) => validateInput(route.body, body, '')
    const envelope = route.validatedByStore ? keysOnly(route.body) : undefined
    app.post(
      `/v1/${route.operation}`,
      { config: { access } },
      async (request) => {
        const body: unknown = request.body ?? {}
        if (envelope === undefined) {
          return { result: (await route.call(target, validate(body))) ?? null }
        }
        if (!envelope.safeParse(body).success) validate(body)
        try {
          return { result: (await route.call(target, body as never)) ?? null }
        } catch (error) {
          // The store refused the input: say so with issues that point into the body.
          if (LoreError.isInstance(error) && error.code === 'INVALID_ARGUMENT')
            validate(body)
          throw error
        }
      },
    )
  }
}

class FastifyStoreServer implements StoreServer {
  readonly #app: FastifyInstance
  readonly #config: Readonly<
    Required<Omit<StoreServerOptions, 'tokens' | 'logger' | 'ui' | 'layout'>>
  >
  #url: string | undefined
  #closing: Promise<void> | undefined

  constructor(store: MetadataStore, options: StoreServerOptions) {
    const config = Object.freeze({
      host: options.host ?? defaults.host,
      port: options.port ?? defaults.port,
      bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
      maxDepth: options.maxDepth ?? defaults.maxDepth,
      requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
    })
    if (options.tokens === undefined && !isLoopbackHost(config.host)) {
      throw new LoreError(
        'FAILED_PRECONDITION',
        `refusing to serve the store on ${config.host} without auth: anyone who reaches that address could read and change the metadata. Create a token (lore token create --name <name> --scope admin) and start the server with its token file (lore serve --tokens .lore/tokens.db), or listen on 127.0.0.1`,
        { details: { host: config.host } },
      )
    }
    this.#config = config
    const app = Fastify({
      bodyLimit: config.bodyLimit,
      logger: loggerOption(options.logger),
      // Requests that arrive while closing get a 503 and their connection is closed, so a
      // client retries them against another server (or this one, restarted).
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      // Node drops a request that has not arrived whole in time, but only notices on its
      // connection check, every 30 s unless told otherwise.
      requestTimeout: config.requestTimeoutMs,
      http: {
        connectionsCheckingInterval: Math.min(
          1000,
          Math.max(10, config.requestTimeoutMs / 4),
        ),
        headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      },
      clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    })
    useJsonBodyParser(app, config.maxDepth)
    useErrorReplies(app, config.bodyLimit)
    if (options.tokens) useBearerAuth(app, options.tokens)
    // Node closes only the connections idle when close() starts; one busy then would stay
    // open for the keep-alive timeout after its answer, holding close() up that long.
    app.addHook('onSend', async (_request, reply) => {
      if (this.#closing !== undefined) reply.header('connection', 'close')
    })

    app.get('/health', { config: { access: 'public' } }, async () => ({
      status: 'ok',
    }))
    const routes: readonly RouteDefinition<never>[] = [
      ...storeRoutes,
      ...runMetricRoutes,
      ...(options.layout ? layoutRoutes : []),
      ...(options.tokens ? tokenRoutes : []),
    ]
    let document: Record<string, unknown> | undefined
    app.get('/openapi.json', { config: { access: 'read' } }, async () => {
      document ??= openApiDocument(routes, {
        auth: options.tokens !== undefined,
        version: packageVersion,
      })
      return document
    })
    addRoutes(app, storeRoutes, store)
    addRoutes(app, runMetricRoutes, store)
    useOpenLineageRoute(app, store)
    if (options.ui !== undefined) useUiStatic(app, options.ui)
    if (options.layout) addRoutes(app, layoutRoutes, options.layout)
    if (options.tokens) addRoutes(app, tokenRoutes, options.tokens)
    this.#app = app
  }

  async listen(): Promise<string> {
    if (this.#url !== undefined) return this.#url
    const { host, port } = this.#config
    await this.#app.listen({ host, port })
    const address = this.#app.server.address() as AddressInfo
    const shown =
      address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.#url = `http://${shown}:${address.port}`
    return this.#url
  }

  get url(): string {
    if (this.#url === undefined) {
      throw new LoreError(
        'FAILED_PRECONDITION',
        'the store server is not listening yet; await server.listen() first',
      )
    }
    return this.#url
  }

  close(): Promise<void> {
    this.#closing ??= this.#app.close()
    return this.#closing
  }
}

/**
 * An HTTP JSON server over a {@link MetadataStore}: `POST /v1/<operation>` for every
 * operation, bodies validated with the store's zod schemas (a 400 lists zod's issues with
 * paths into the body; for bulk writes the values are checked once, by the store, which
 * validates before it writes, and the server describes a refusal with the same schemas), errors as
 * `{ error: { code, message, issues, details } }` with the code's HTTP status, `GET /health`,
 * and `GET /openapi.json`. It keeps no state of its own: several servers may serve one
 * database. Throws FAILED_PRECONDITION for a non-loopback `host` without `tokens`.
 *
 * @example
 * const server = createStoreServer(await openStore('sqlite:.lore/lore.db'), { port: 4700 })
 * const url = await server.listen()
 * // later: await server.close(); await store.close()
 */
export function createStoreServer(
  store: MetadataStore,
  options: StoreServerOptions = {},
): StoreServer {
  return new FastifyStoreServer(store, options)
}
