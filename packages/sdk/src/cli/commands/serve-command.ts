import {
  createStoreServer,
  SqliteTokenStore,
  type TokenStore,
} from '@lore/store/server'
import { maskUrlPassword, openStore } from '@lore/store'
import { createGraphLayout, isUiBuilt, uiDirectory } from '@lore/ui'
import { Command } from 'commander'
import type { CliContext } from '../cli-context.js'
import { nonNegativeInteger } from '../parse-options.js'

interface ServeOptions {
  host: string
  port: number
  tokens?: string
  log?: boolean
}

/** Resolves on the first SIGINT or SIGTERM, with the signal's name. */
export function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.removeListener('SIGINT', stop)
      process.removeListener('SIGTERM', stop)
      resolve(signal)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/**
 * `lore serve`: the store server (`POST /v1/<operation>`, `/health`, `/openapi.json`) in front
 * of `--store`, until SIGINT or SIGTERM; then requests in flight finish and the store closes.
 * Prints `lore: serving <store> at <url>` on stdout once listening. A host other than a
 * loopback address needs `--tokens` (the server refuses to start without auth).
 */
export function serveCommand(context: CliContext): Command {
  return new Command('serve')
    .description(
      'serve the store over HTTP (for LORE_STORE=http://host:port); stop with Ctrl-C',
    )
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option(
      '--port <port>',
      'the port (0 picks a free one)',
      nonNegativeInteger,
      4700,
    )
    .option(
      '--tokens <file>',
      'turn auth on with this token file (made by lore token create)',
    )
    .option('--log', 'log every request as JSON on stdout')
    .action(async (options: ServeOptions) => {
      const location = context.location
      const tokens: TokenStore | undefined =
        options.tokens === undefined
          ? undefined
          : SqliteTokenStore.open(options.tokens)
      const store = await openStore(location).catch(async (error: unknown) => {
        await tokens?.close()
        throw error
      })
      // Started by the page's first request only: a team server nobody opens the UI on never runs it.
      const layout = createGraphLayout()
      try {
        const server = createStoreServer(store, {
          host: options.host,
          port: options.port,
          logger: options.log === true,
          ...(tokens === undefined ? {} : { tokens }),
          ...(isUiBuilt() ? { ui: uiDirectory(), layout } : {}),
        })
        const url = await server.listen()
        const signal = nextSignal()
        const auth =
          tokens === undefined ? 'auth off' : `tokens from ${options.tokens}`
        context.io.stdout(
          `lore: serving ${maskUrlPassword(location)} at ${url} (${auth})\n`,
        )
        const received = await signal
        context.io.stderr(
          `lore: ${received}: finishing requests in flight, then stopping\n`,
        )
        await server.close()
      } finally {
        await layout.close()
        await store.close()
        await tokens?.close()
      }
    })
}
