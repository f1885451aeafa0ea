import { resolve } from 'node:path'
import { defaultOutboxLocation } from '../outbox/outbox-location.js'
import { CompositeTransport } from './composite-transport.js'
import { ConsoleTransport } from './console-transport.js'
import { FileTransport } from './file-transport.js'
import { HttpTransport, type HttpTransportOptions } from './http-transport.js'
import type { OpenLineageTransport } from './transport.js'

/** A transport named in options, as the Python client's `transport` config has them. */
export type TransportConfig =
  | ({ type: 'http' } & HttpTransportOptions)
  | { type: 'file'; path: string }
  | { type: 'console' }
  | { type: 'composite'; transports: TransportConfig[] }

/** Options of OpenLineage emission; every one also has an environment variable. */
export interface OpenLineageOptions {
  /**
   * Where events go: a transport, its config, or nothing for an http transport to `url`.
   * @default http to `url` when one is given, else emission is off
   */
  transport?: OpenLineageTransport | TransportConfig
  /** The receiver's base url (`OPENLINEAGE_URL`): events are POSTed to `{url}/{endpoint}`. */
  url?: string
  /** `OPENLINEAGE_ENDPOINT`. @default 'api/v1/lineage' */
  endpoint?: string
  /** `OPENLINEAGE_API_KEY`: sent as a bearer token. */
  apiKey?: string
  /** `OPENLINEAGE_NAMESPACE`: the namespace of Lore's jobs. @default 'lore' */
  namespace?: string
  /** `OPENLINEAGE_DISABLED=true`: emit nothing. @default false */
  disabled?: boolean
  /**
   * The outbox file where events wait that could not be sent, under the receiver's url.
   * @default the recorder's outbox: `LORE_OUTBOX`, else `.lore/outbox.db`
   */
  outboxPath?: string
  /** How often a running pipeline's new step events are sent, in ms. @default 1000 */
  intervalMs?: number
}

/** The options in force: where events go, or nothing when emission is off. */
export interface ResolvedOpenLineageConfig {
  transport: OpenLineageTransport | undefined
  namespace: string
  outboxPath: string
  intervalMs: number
}

const truthy = (value: string | undefined): boolean =>
  value !== undefined &&
  ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())

function makeTransport(config: TransportConfig): OpenLineageTransport {
  switch (config.type) {
    case 'http': {
      const { type: _type, ...options } = config
      return new HttpTransport(options)
    }
    case 'file':
      return new FileTransport(config.path)
    case 'console':
      return new ConsoleTransport()
    case 'composite':
      return new CompositeTransport(config.transports.map(makeTransport))
    default:
      throw new Error(
        `OpenLineage transport type '${String((config as { type?: unknown }).type)}' is unknown; use http, file, console or composite`,
      )
  }
}

/**
 * The Python client's nested variables for a transport other than http:
 * `OPENLINEAGE__TRANSPORT__TYPE=file` with `OPENLINEAGE__TRANSPORT__LOG_FILE_PATH`, or
 * `=console`; `=http` takes `OPENLINEAGE__TRANSPORT__URL` (else `OPENLINEAGE_URL`).
 */
function transportOfEnvironment(
  environment: NodeJS.ProcessEnv,
): TransportConfig | undefined {
  const type = environment.OPENLINEAGE__TRANSPORT__TYPE?.toLowerCase()
  if (type === undefined || type === '') return undefined
  if (type === 'console') return { type: 'console' }
  if (type === 'file') {
    const path = environment.OPENLINEAGE__TRANSPORT__LOG_FILE_PATH
    if (!path)
      throw new Error(
        'OPENLINEAGE__TRANSPORT__TYPE=file needs OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: the file events are appended to',
      )
    return { type: 'file', path }
  }
  if (type === 'http') {
    const url =
      environment.OPENLINEAGE__TRANSPORT__URL || environment.OPENLINEAGE_URL
    if (!url)
      throw new Error(
        'OPENLINEAGE__TRANSPORT__TYPE=http needs OPENLINEAGE__TRANSPORT__URL or OPENLINEAGE_URL',
      )
    const endpoint =
      environment.OPENLINEAGE__TRANSPORT__ENDPOINT ||
      environment.OPENLINEAGE_ENDPOINT
    const apiKey =
      environment.OPENLINEAGE__TRANSPORT__AUTH__API_KEY ||
      environment.OPENLINEAGE_API_KEY
    return {
      type: 'http',
      url,
      ...(endpoint ? { endpoint } : {}),
      ...(apiKey ? { apiKey } : {}),
    }
  }
  throw new Error(
    `OPENLINEAGE__TRANSPORT__TYPE '${type}' is not one Lore has; use http, file or console`,
  )
}

/**
 * Work out where OpenLineage events go, as the Python client does: options given in code
 * win over the environment (`OPENLINEAGE_URL`, `OPENLINEAGE_API_KEY`,
 * `OPENLINEAGE_ENDPOINT`, `OPENLINEAGE_DISABLED`, `OPENLINEAGE_NAMESPACE`); with neither a
 * transport nor a url, emission is off. Throws for a url that is not http(s).
 *
 * @example
 * resolveOpenLineageConfig({}, { OPENLINEAGE_URL: 'http://127.0.0.1:5000' }).transport?.description
 * // 'http http://127.0.0.1:5000/api/v1/lineage'
 */
export function resolveOpenLineageConfig(
  options: OpenLineageOptions = {},
  environment: NodeJS.ProcessEnv = process.env,
): ResolvedOpenLineageConfig {
  const namespace =
    options.namespace ?? (environment.OPENLINEAGE_NAMESPACE || 'lore')
  const outboxPath = resolve(
    options.outboxPath ?? defaultOutboxLocation(environment),
  )
  const intervalMs = options.intervalMs ?? 1000
  const disabled = options.disabled ?? truthy(environment.OPENLINEAGE_DISABLED)
  const off = { transport: undefined, namespace, outboxPath, intervalMs }
  if (disabled) return off
  const given = options.transport
  if (
    given !== undefined &&
    !('type' in given && typeof given.type === 'string')
  )
    return { ...off, transport: given as OpenLineageTransport }
  if (given !== undefined)
    return { ...off, transport: makeTransport(given as TransportConfig) }
  const fromEnvironment = transportOfEnvironment(environment)
  if (options.url === undefined && fromEnvironment !== undefined)
    return { ...off, transport: makeTransport(fromEnvironment) }
  const url = options.url ?? (environment.OPENLINEAGE_URL || undefined)
  if (url === undefined) return off
  const endpoint =
    options.endpoint ?? (environment.OPENLINEAGE_ENDPOINT || undefined)
  const apiKey =
    options.apiKey ?? (environment.OPENLINEAGE_API_KEY || undefined)
  return {
    ...off,
    transport: new HttpTransport({
      url,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(apiKey === undefined ? {} : { apiKey }),
    }),
  }
}
