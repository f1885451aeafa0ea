import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { maskUrlPassword } from '@lore/store'
import { type OpenLineageRunEvent } from '@lore/store/openlineage'
import type { Agent } from 'undici'
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
const retryable = (status: number): boolean =>
  status >= 500 || status === 408 || status === 429

function endpointUrl(url: string, endpoint: string): URL {
  const base = url.endsWith('/') ? url : `${url}/`
  return new URL(endpoint.replace(/^\/+/, ''), base)
}

/**
 * POSTs each event to `{url}/{endpoint}` (OpenLineage's HTTP API: one RunEvent as JSON,
 * 2xx when taken), with bearer auth, gzip, a timeout per request, and retries with doubling
 * waits on 5xx, 408, 429 and network errors. Gives up after `retries` and rejects; a 4xx
 * refusal rejects at once with a {@link RefusedEventError}. Uses one undici keep-alive agent.
 *
 * @example
 * new HttpTransport({ url: 'http://127.0.0.1:5000', apiKey: process.env.OPENLINEAGE_API_KEY })
 */
export class HttpTransport implements OpenLineageTransport {
  readonly description: string
  readonly #target: URL
  readonly #options: Readonly<
    Required<Omit<HttpTransportOptions, 'apiKey' | 'url' | 'endpoint'>>
  >
  readonly #apiKey: string | undefined
  #agent:
    | Promise<{ agent: Agent; request: typeof import('undici').request }>
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
  }

  /** undici, loaded on the first event: `import '@lore/sdk'` stays light when nothing is sent. */
  #client(): Promise<{
    agent: Agent
    request: typeof import('undici').request
  }> {
    this.#agent ??= import('undici').then((undici) => ({
      agent: new undici.Agent({
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
        connectTimeout: this.#options.timeoutMs,
      }),
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
    let lastError: unknown
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      // Unref'd: a process that is done does not wait for a retry; the event stays queued.
      if (attempt > 0)
        await new Promise((resolve) =>
          setTimeout(
            resolve,
            this.#options.retryDelayMs * 2 ** (attempt - 1),
          ).unref(),
        )
      try {
        const response = await request(this.#target, {
          method: 'POST',
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        })
        const text = (await response.body.text()).slice(0, 500)
        if (response.statusCode < 300) return
        const message = `${this.description} answered ${response.statusCode}: ${text}`
        if (!retryable(response.statusCode))
          throw new RefusedEventError(message, response.statusCode)
        lastError = new Error(message)
      } catch (error) {
        if (error instanceof RefusedEventError) throw error
        lastError = error
      }
    }
    throw new Error(
      `${this.description} did not take the event after ${this.#options.retries + 1} tries: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
      { cause: lastError },
    )
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#agent !== undefined) await (await this.#agent).agent.close()
  }
}
