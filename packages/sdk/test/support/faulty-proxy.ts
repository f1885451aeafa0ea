import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A loopback HTTP proxy in front of a real store server that answers scripted failures. */
export interface FaultyProxy {
  url: string
  /** Answer the next requests with these statuses (Lore's error body), then forward again. */
  fail(...statuses: number[]): void
  /** Answer every request with this status until `fail`/`heal` changes it. */
  failAll(status: number): void
  /** Forward every request again. */
  heal(): void
  /** Requests seen, by operation (`putExecutionBatch`…), in order. */
  readonly requests: string[]
  close(): Promise<void>
}

const codes: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'UNAVAILABLE',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
}

/** Start a proxy on 127.0.0.1 (port 0) forwarding to `upstream`. */
export async function startFaultyProxy(upstream: string): Promise<FaultyProxy> {
  const script: number[] = []
  let always: number | undefined
  const requests: string[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requests.push((request.url ?? '').replace(/^.*\/v1\//, ''))
      const status = script.shift() ?? always
      if (status !== undefined) {
        const code = codes[status] ?? 'INTERNAL'
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({
            error: { code, message: `the proxy answers ${status}` },
          }),
        )
        return
      }
      fetch(`${upstream}${request.url ?? ''}`, {
        method: request.method ?? 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      }).then(
        async (answer) => {
          response.writeHead(answer.status, {
            'content-type': 'application/json',
          })
          response.end(await answer.text())
        },
        (error: unknown) => {
          response.writeHead(502)
          response.end(String(error))
        },
      )
    })
  })
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  )
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    fail: (...statuses) => {
      script.push(...statuses)
    },
    failAll: (status) => {
      always = status
    },
    heal: () => {
      always = undefined
      script.length = 0
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
