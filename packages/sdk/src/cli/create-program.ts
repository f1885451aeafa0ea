import { Command } from 'commander'
import type { CliContext } from './cli-context.js'
import { checkCommand } from './commands/check-command.js'
import { diffCommand } from './commands/diff-command.js'
import { explainCommand } from './commands/explain-command.js'
import { exportCommand } from './commands/export-command.js'
import { incidentsCommand } from './commands/incidents-command.js'
import { lineageCommand } from './commands/lineage-command.js'
import { modelsCommand } from './commands/models-command.js'
import { outboxCommand } from './commands/outbox-command.js'
import { replayCommand } from './commands/replay-command.js'
import { runCommand } from './commands/run-command.js'
import { runsCommand } from './commands/runs-command.js'
import { serveCommand } from './commands/serve-command.js'
import { showCommand } from './commands/show-command.js'
import { tokenCommand } from './commands/token-command.js'
import { uiCommand } from './commands/ui-command.js'
import { verifyCommand } from './commands/verify-command.js'
import { watchCommand } from './commands/watch-command.js'

/**
 * The `lore` command line: `runs`, `show <run>` and `lineage <node>`; the registry (`models`),
 * monitoring (`check`, `watch`) and `incidents`; each with `--json`, against `--store <url>`
 * (default `LORE_STORE`, else `.lore/lore.db`).
 */
export function createProgram(context: CliContext): Command {
  const program = new Command('lore')
    .description("Lore: look at what your pipelines' runs recorded")
    .option(
      '--store <url>',
      'the store to read (sqlite:path); default LORE_STORE, else .lore/lore.db',
    )
    .showHelpAfterError('(add --help for usage)')
    .hook('preAction', (command) => {
      context.useStore(command.opts<{ store?: string }>().store)
    })
  program.addCommand(runsCommand(context))
  program.addCommand(showCommand(context))
  program.addCommand(lineageCommand(context))
  program.addCommand(modelsCommand(context))
  program.addCommand(incidentsCommand(context))
  program.addCommand(checkCommand(context))
  program.addCommand(watchCommand(context))
  program.addCommand(runCommand(context))
  program.addCommand(replayCommand(context))
  program.addCommand(diffCommand(context))
  program.addCommand(explainCommand(context))
  program.addCommand(exportCommand(context))
  program.addCommand(verifyCommand(context))
  program.addCommand(serveCommand(context))
  program.addCommand(tokenCommand(context))
  program.addCommand(uiCommand(context))
  program.addCommand(outboxCommand(context))
  return program
}
