import { resolve } from 'node:path'
import { SqliteTokenStore, type TokenScope } from '@lore/store/server'
import { Command, Option } from 'commander'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'
import { formatTable, formatTime } from '../format-values.js'

interface TokenFileOptions {
  tokens?: string
  json?: boolean
}

interface CreateOptions extends TokenFileOptions {
  name: string
  scope: TokenScope
}

/**
 * The token file `lore serve --tokens` reads when none is given: `.lore/tokens.db` in the
 * folder the command was started from (`INIT_CWD` under `pnpm run`).
 */
export function defaultTokenFile(
  environment: NodeJS.ProcessEnv = process.env,
): string {
  return resolve(environment.INIT_CWD || process.cwd(), '.lore', 'tokens.db')
}

async function withTokens<T>(
  options: TokenFileOptions,
  use: (tokens: SqliteTokenStore, file: string) => Promise<T>,
): Promise<T> {
  const file = options.tokens ?? defaultTokenFile()
  const tokens = SqliteTokenStore.open(file)
  try {
    return await use(tokens, file)
  } finally {
    await tokens.close()
  }
}

const tokensOption = (): Option =>
  new Option(
    '--tokens <file>',
    'the token file (the one lore serve --tokens reads); default .lore/tokens.db',
  )

/**
 * `lore token create|list|revoke`: the store server's tokens, kept hashed in a token file.
 * `create` prints the token once; it cannot be shown again.
 */
export function tokenCommand(context: CliContext): Command {
  const command = new Command('token').description(
    "manage the store server's tokens (lore serve --tokens <file>)",
  )
  command
    .command('create')
    .description('create a token and print it (only this once)')
    .requiredOption('--name <name>', 'who or what uses it (ci, ana)')
    .addOption(
      new Option('--scope <scope>', 'what it may do')
        .choices(['read', 'write', 'admin'])
        .makeOptionMandatory(),
    )
    .addOption(tokensOption())
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions) => {
      await withTokens(options, async (tokens, file) => {
        const created = await tokens.create({
          name: options.name,
          scope: options.scope,
        })
        if (options.json === true) {
          writeJson(context.io, created)
          return
        }
        context.io.stdout(`${created.token}\n`)
        context.io.stderr(
          `lore: token '${created.name}' (${created.scope}, id ${created.id}) added to ${file}; it is shown only now — give it to clients as LORE_TOKEN\n`,
        )
      })
    })
  command
    .command('list')
    .description('list tokens (never their secrets)')
    .addOption(tokensOption())
    .option('--json', 'print JSON')
    .action(async (options: TokenFileOptions) => {
      await withTokens(options, async (tokens, file) => {
        const list = await tokens.list()
        if (options.json === true) {
          writeJson(context.io, list)
          return
        }
        if (list.length === 0) {
          context.io.stdout(
            `no tokens in ${file}; create one with: lore token create --name <name> --scope write\n`,
          )
          return
        }
        const rows = list.map((token) => [
          token.id,
          token.name,
          token.scope,
          formatTime(token.createTimeSinceEpoch),
          token.revokeTimeSinceEpoch === undefined
            ? 'live'
            : `revoked ${formatTime(token.revokeTimeSinceEpoch)}`,
        ])
        context.io.stdout(
          `${formatTable(['ID', 'NAME', 'SCOPE', 'CREATED', 'STATE'], rows)}\n`,
        )
      })
    })
  command
    .command('revoke')
    .description('revoke a token by id (see lore token list)')
    .argument('<id>', 'the token id')
    .addOption(tokensOption())
    .action(async (id: string, options: TokenFileOptions) => {
      await withTokens(options, async (tokens, file) => {
        await tokens.revoke(id)
        context.io.stdout(`revoked token ${id} in ${file}\n`)
      })
    })
  return command
}
