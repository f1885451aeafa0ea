import {
  createStoreServer,
  SqliteTokenStore,
  type TokenStore,
} from '@lore/store/server'
import { LoreError } from '@lore/store'
import { createGraphLayout, ensureUiBuilt } from '@lore/ui'
import { Command } from 'commander'
import type { CliContext } from '../cli-context.js'
import { nonNegativeInteger } from '../parse-options.js'
import { nextSignal } from './serve-command.js'

interface UiOptions {
  port: number
  tokens?: string
}

async function builtUi(context: CliContext): Promise<string> {
  try {
    return await ensureUiBuilt((line) => context.io.stderr(line))
  } catch (error) {
    throw new LoreError(
      'FAILED_PRECONDITION',
      `the web UI is not built and building it failed; run pnpm install (or pnpm --filter @lore/ui build) and try again: ${(error as Error).message}`,
      { cause: error },
    )
  }
}

/**
 * `lore ui`: the web UI and the store server's JSON API for `--store` (default
 * `.lore/lore.db`) on 127.0.0.1, until SIGINT or SIGTERM. Builds the UI first if the
 * install did not. Prints `lore: web UI for <store> at <url>` once listening.
 */
export function uiCommand(context: CliContext): Command {
  return new Command('ui')
    .description(
      'look at runs, lineage, metrics and models in the browser; stop with Ctrl-C',
    )
    .option(
      '--port <port>',
      'the port on 127.0.0.1 (0 picks a free one)',
      nonNegativeInteger,
      4800,
    )
    .option(
      '--tokens <file>',
      'ask for a token (made by lore token create) before showing anything',
    )
    .action(async (options: UiOptions) => {
      const ui = await builtUi(context)
      const store = await context.store()
      const tokens: TokenStore | undefined =
        options.tokens === undefined
          ? undefined
          : SqliteTokenStore.open(options.tokens)
      // Warmed now: the user opens the page seconds from now, and a lineage then lays out warm.
      const layout = createGraphLayout()
      layout.warmUp()
      try {
        const server = createStoreServer(store, {
          host: '127.0.0.1',
          port: options.port,
          ui,
          layout,
          ...(tokens === undefined ? {} : { tokens }),
        })
        const url = await server.listen()
        const signal = nextSignal()
        context.io.stdout(
          `lore: web UI for ${context.location} at ${url}/ (${tokens === undefined ? 'auth off' : `tokens from ${options.tokens}`}); stop with Ctrl-C\n`,
        )
        await signal
        await server.close()
      } finally {
        await layout.close()
        await tokens?.close()
      }
    })
}
