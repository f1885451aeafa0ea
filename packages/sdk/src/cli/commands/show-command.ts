import { Command } from 'commander'
import { findRun } from '../../query/find-run.js'
import { getRunDetails } from '../../query/run-details.js'
import { progress } from '../cli-io.js'
import type { CliContext } from '../cli-context.js'
import { runReferenceHelp } from '../parse-options.js'
import { formatCode } from '../format-code.js'
import { formatRunDetails } from '../format-run.js'
import { runDetailsJson } from '../run-details-json.js'
import { writeJson } from '../write-json.js'

/** `lore show <run>`: config, code version, environment and the step tree of one run. */
export function showCommand(context: CliContext): Command {
  return new Command('show')
    .description(
      'show one run: config, code version, environment and its steps as a tree',
    )
    .argument('<run>', runReferenceHelp)
    .option(
      '--code',
      'print the source files the run ran (kept for runs from uncommitted code)',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        reference: string,
        options: { json?: boolean; code?: boolean },
      ) => {
        const store = await context.store()
        const run = await findRun(store, reference, context.location)
        if (options.code === true) {
          context.io.stdout(formatCode(run))
          return
        }
        const details = await getRunDetails(
          store,
          run,
          progress(context.io, 'reading steps'),
        )
        if (options.json === true)
          writeJson(context.io, runDetailsJson(details))
        else context.io.stdout(formatRunDetails(details))
      },
    )
}
