import { z } from 'zod'
import {
  artifactSchema,
  artifactTypeSchema,
  contextSchema,
  contextTypeSchema,
  eventSchema,
  executionSchema,
  executionTypeSchema,
  metricPointSchema,
} from '../record-schemas.js'
import {
  eventQuerySchema,
  lineageQuerySchema,
  listQuerySchema,
  metricQuerySchema,
  putExecutionRequestSchema,
  typeEvolutionSchema,
} from '../request-schemas.js'
import type { RouteDefinition } from './route-definition.js'

const errorCodes = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'ABORTED',
  'UNAVAILABLE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'UNIMPLEMENTED',
  'INTERNAL',
] as const

const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    issues: z.array(
      z.object({
        path: z.array(z.union([z.string(), z.number()])),
        code: z.string(),
        message: z.string(),
      }),
    ),
    details: z.record(z.string(), z.unknown()),
  }),
})

/** Schemas named in the document, so bodies refer to them instead of repeating them. */
const namedSchemas: [string, z.ZodType][] = [
  ['ArtifactInput', artifactSchema],
  ['ExecutionInput', executionSchema],
  ['ContextInput', contextSchema],
  ['ArtifactTypeInput', artifactTypeSchema],
  ['ExecutionTypeInput', executionTypeSchema],
  ['ContextTypeInput', contextTypeSchema],
  ['EventInput', eventSchema],
  ['MetricPointInput', metricPointSchema],
  ['PutExecutionRequest', putExecutionRequestSchema],
  ['ListQuery', listQuerySchema],
  ['EventQuery', eventQuerySchema],
  ['LineageQuery', lineageQuerySchema],
  ['MetricQuery', metricQuerySchema],
  ['TypeEvolution', typeEvolutionSchema],
  ['ErrorBody', errorBodySchema],
]

function bodyName(route: RouteDefinition<unknown>): string {
  const { operation } = route
  return (
    route.bodyName ?? `${operation[0]!.toUpperCase()}${operation.slice(1)}Body`
  )
}

function errorResponse(description: string): object {
  return {
    description,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/ErrorBody' },
      },
    },
  }
}

/**
 * zod puts schemas that several named ones share, but that have no name themselves (the
 * recursive JSON value of STRUCT properties), under `__shared.$defs`; OpenAPI tools want every
 * reusable schema in `components.schemas`, so give them names there.
 */
function hoistShared(
  schemas: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const { __shared: shared, ...named } = schemas
  const definitions = (shared?.$defs ?? {}) as Record<string, unknown>
  const keys = Object.keys(definitions)
  const nameOf = (key: string) =>
    keys.length === 1
      ? 'JsonValue'
      : `Shared${key[0]!.toUpperCase()}${key.slice(1)}`
  let text = JSON.stringify({
    ...named,
    ...Object.fromEntries(keys.map((key) => [nameOf(key), definitions[key]])),
  })
  for (const key of keys) {
    text = text.replaceAll(
      `"#/components/schemas/__shared#/$defs/${key}"`,
      `"#/components/schemas/${nameOf(key)}"`,
    )
  }
  return JSON.parse(text) as Record<string, unknown>
}

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  /** Whether routes need a bearer token. */
  auth: boolean
  /** The package version, for `info.version`. */
  version: string
}

/**
 * The OpenAPI 3.1 document of the store server, generated from the same zod schemas that
 * validate the request bodies (`z.toJSONSchema`, input side, so defaults are optional).
 * Results are described in words: they are the store's records as TypeScript declares them.
 *
 * @example
 * const document = openApiDocument(storeRoutes, { auth: true, version: '0.1.0' })
 */
export function openApiDocument(
  routes: readonly RouteDefinition<unknown>[],
  options: OpenApiOptions,
): Record<string, unknown> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of namedSchemas) registry.add(schema, { id })
  for (const route of routes) {
    if (!registry.has(route.body)) {
      registry.add(route.body, { id: bodyName(route) })
    }
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  })
  for (const schema of Object.values(schemas)) delete schema.$schema
  const components = hoistShared(schemas)

  const paths: Record<string, unknown> = {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Whether the server is up; needs no token.',
        security: [],
        responses: { '200': { description: '`{ "status": "ok" }`' } },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document.',
        responses: { '200': { description: 'The OpenAPI document.' } },
      },
    },
  }
  for (const route of routes) {
    paths[`/v1/${route.operation}`] = {
      post: {
        operationId: route.operation,
        summary: route.summary,
        description: `Needs a token of scope '${route.scope}' when auth is on.`,
        tags: [route.scope === 'admin' ? 'tokens' : 'store'],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: `#/components/schemas/${bodyName(route)}`,
              },
            },
          },
        },
        responses: {
          '200': {
            description: `\`{ "result": … }\`: what MetadataStore.${route.operation} returns.`,
          },
          '400': errorResponse('Invalid body; `issues` names each field.'),
          '401': errorResponse('No token, or one that is not valid.'),
          '403': errorResponse('The token has too small a scope.'),
          '404': errorResponse(
            'A node or type the request names does not exist.',
          ),
          '409': errorResponse('It exists already.'),
          '412': errorResponse('The store is not in a state to do it.'),
          '413': errorResponse('The body is over the size limit.'),
          '503': errorResponse('The store is unavailable; retry.'),
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lore store server',
      version: options.version,
      description:
        'The MetadataStore interface over HTTP: POST /v1/<operation> with the arguments as a JSON object, answered with { "result": … } or { "error": { code, message, issues, details } }.',
    },
    paths,
    components: {
      schemas: components,
      ...(options.auth
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
        : {}),
    },
    ...(options.auth ? { security: [{ bearer: [] }] } : {}),
  }
}
