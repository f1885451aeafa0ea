import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { maskUrlPassword } from '@lore/store'
import { type OpenLineageRunEvent } from '@lore/store/openlineage'
import type { Dispatcher } from 'undici'
import { RefusedEventError, type OpenLineageTransport } from './transport.js'

const gzip = promisify(gzipCallback)

/** Options of {@link HttpTransport}; the Python client's names, camelCased. */
export interface HttpTransportOptions {
  /** The receiver's base url: `http://marquez:5000`. */
  url: string
  /** The path events are posted to, under `url`. @default 'api/v1/lineage' */
  endpoint?: string
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string
  /** How long one request may take, in milliseconds. @default 5000 */
  timeoutMs?: number
  /** Tries after the first, on a 5xx, a 408, a 429 or a network error. @default 3 */
  retries?: number
  /** The wait before the first retry, doubled for each next one. @default 200 */
  retryDelayMs?: number
  /** `gzip` compresses the body (`Content-Encoding: gzip`). @default 'gzip' */
  compression?: 'gzip' | 'none'
}

/** Statuses worth asking again: the receiver is down, busy or slow, not refusing the event. */
const retriedStatuses = [
  408,
  429,
  ...Array.from({ length: 100 }, (_, index) => 500 + index),
]
const retryable = (status: number): boolean => retriedStatuses.includes(status)
/** Network errors worth asking again, as undici names them. */
const retriedErrorCodes = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]

function endpointUrl(url: string, endpoint: string): URL {
  const base = url.endsWith('/') ? url : `${url}/`
  return new URL(endpoint.replace(/^\/+/, ''), base)
}

/**
 * POSTs each event to `{url}/{endpoint}` (OpenLineage's HTTP API: one RunEvent as JSON,
 * 2xx when taken), with bearer auth, gzip, a timeout per request, and retries with doubling
 * waits on 5xx, 408, 429 and network errors. Gives up after `retries` and rejects; a 4xx
 * refusal rejects at once with a {@link RefusedEventError}. Uses one undici keep-alive agent
 * with undici's retry interceptor, as the store's own client does.
 *
 * @example
 * new HttpTransport({ url: 'http://127.0.0.1:5000', apiKey: process.env.OPENLINEAGE_API_KEY })
 */
export class HttpTransport implements OpenLineageTransport {
  readonly description: string
  readonly endpoint: string
  readonly #target: URL
  readonly #options: Readonly<
    Required<Omit<HttpTransportOptions, 'apiKey' | 'url' | 'endpoint'>>
  >
  readonly #apiKey: string | undefined
  #agent:
    | Promise<{
        agent: Dispatcher
        request: typeof import('undici').request
      }>
    | undefined
  #closed = false

  constructor(options: HttpTransportOptions) {
    try {
      this.#target = endpointUrl(
        options.url,
        options.endpoint ?? 'api/v1/lineage',
      )
    } catch {
      throw new Error(
        `OpenLineage url '${maskUrlPassword(options.url)}' is not a url; give one like http://marquez:5000 (OPENLINEAGE_URL)`,
      )
    }
    if (!['http:', 'https:'].includes(this.#target.protocol))
      throw new Error(
        `OpenLineage url '${maskUrlPassword(options.url)}' must start with http:// or https:// (OPENLINEAGE_URL)`,
      )
    this.#options = Object.freeze({
      timeoutMs: options.timeoutMs ?? 5000,
      retries: options.retries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 200,
      compression: options.compression ?? 'gzip',
    })
    this.#apiKey = options.apiKey
    this.description = `http ${maskUrlPassword(this.#target.toString())}`
    this.endpoint = maskUrlPassword(this.#target.toString())
  }

  /** undici, loaded on the first event: `import '@lore/sdk'` stays light when nothing is sent. */
  #client(): Promise<{
    agent: Dispatcher
    request: typeof import('undici').request
  }> {
    const { timeoutMs, retries, retryDelayMs } = this.#options
    this.#agent ??= import('undici').then((undici) => ({
      agent: new undici.Agent({
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
      }).compose(
        undici.interceptors.retry({
          maxRetries: retries,
          minTimeout: retryDelayMs,
          maxTimeout: retryDelayMs * 2 ** Math.max(retries - 1, 0),
          timeoutFactor: 2,
          methods: ['POST'],
          statusCodes: retriedStatuses,
          errorCodes: retriedErrorCodes,
          // Hand the last failed answer through, so its status and text are in the message.
          throwOnError: false,
        }),
      ),
      request: undici.request,
    }))
    return this.#agent
  }

  async emit(event: OpenLineageRunEvent): Promise<void> {
    if (this.#closed) throw new Error(`${this.description} is closed`)
    const { agent, request } = await this.#client()
    const json = Buffer.from(JSON.stringify(event))
    const gzipped = this.#options.compression === 'gzip'
    const body = gzipped ? await gzip(json) : json
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    }
    if (gzipped) headers['content-encoding'] = 'gzip'
    if (this.#apiKey !== undefined)
      headers.authorization = `Bearer ${this.#apiKey}`
    const gaveUp = (reason: unknown): Error =>
      new Error(
        `${this.description} did not take the event after ${this.#options.retries + 1} tries: ${reason instanceof Error ? reason.message : String(reason)}`,
        { cause: reason },
      )
    let response: Dispatcher.ResponseData
    try {
      response = await request(this.#target, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
      })
    } catch (error) {
      throw gaveUp(error)
    }
    const text = (await response.body.text()).slice(0, 500)
    if (response.statusCode < 300) return
    const message = `${this.description} answered ${response.statusCode}: ${text}`
    if (!retryable(response.statusCode))
      throw new RefusedEventError(message, response.statusCode)
    throw gaveUp(new Error(message))
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#agent !== undefined) await (await this.#agent).agent.close()
  }
}
