import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { LoreError } from '../lore-error.js'

/** The errors Node's HTTP parser reports before a request reaches Fastify, and their status. */
const statusOfClientError: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
}

function messageOf(code: string, requestTimeoutMs: number): string {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return `the request did not arrive whole within ${requestTimeoutMs} ms, so the server dropped it; send the body at once (or raise requestTimeoutMs on the server)`
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return 'the request headers are larger than the server accepts; send fewer or shorter headers'
  }
  return 'the request is not valid HTTP; send POST /v1/<operation> with a JSON body'
}

/**
 * Fastify's `clientErrorHandler`: answer a request that Node refused before parsing it (one
 * that did not arrive within the request timeout, oversized headers, bad HTTP) with Lore's
 * `{ error: { code, message } }` and close the connection.
 *
 * @example
 * Fastify({ clientErrorHandler: clientErrorHandler(30_000) })
 */
export function clientErrorHandler(
  requestTimeoutMs: number,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A connection the client reset has nothing left to answer on.
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const code = error.code ?? ''
    const status = statusOfClientError[code] ?? 400
    const body = JSON.stringify({
      error: new LoreError(
        'INVALID_ARGUMENT',
        messageOf(code, requestTimeoutMs),
        {
          details: { reason: code || 'bad_request' },
        },
      ).toJSON(),
    })
    if (!socket.writable) {
      socket.destroy()
      return
    }
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
}
