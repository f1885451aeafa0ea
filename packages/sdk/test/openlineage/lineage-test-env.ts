import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { afterEach, beforeEach } from 'vitest'
import { shutdown } from '../../src/index.js'
import {
  closeOpenLineage,
  configureOpenLineage,
} from '../../src/openlineage/openlineage-registry.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'

/** An OpenLineage receiver on 127.0.0.1: answers 201 while `up`, 503 otherwise. */
export interface LineageReceiver {
  url: string
  /** The events taken while up, in arrival order. */
  taken: OpenLineageRunEvent[]
  /** Every request, taken or refused. */
  tries: number
  up: boolean
}

/**
 * Each test gets a temporary store; after it, the recorder and OpenLineage are reset and the
 * receivers it started are closed.
 *
 * @example
 * const env = openLineageTestEnv()
 * const target = await env.receiver()
 */
export function openLineageTestEnv(): {
  temp(): TempStore
  receiver(
    onEvent?: (event: OpenLineageRunEvent) => void,
  ): Promise<LineageReceiver>
} {
  let temp: TempStore | undefined
  const servers: Server[] = []
  beforeEach(async () => {
    temp = await createTempStore()
  })
  afterEach(async () => {
    await shutdown()
    await closeOpenLineage(0)
    await configureOpenLineage({})
    for (const server of servers.splice(0)) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
    await temp?.cleanup()
  })
  return {
    temp: () => temp!,
    async receiver(onEvent) {
      const state: LineageReceiver = { url: '', taken: [], tries: 0, up: true }
      const server = createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          state.tries++
          if (!state.up) {
            response.writeHead(503).end()
            return
          }
          const event = JSON.parse(
            gunzipSync(Buffer.concat(chunks)).toString(),
          ) as OpenLineageRunEvent
          state.taken.push(event)
          response.writeHead(201).end()
          onEvent?.(event)
        })
      })
      servers.push(server)
      await new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', resolve),
      )
      state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      return state
    },
  }
}
