import { Command } from 'commander'
import { compareRuns } from '../../compare/compare-runs.js'
import { formatComparison } from '../../compare/format-comparison.js'
import { findRun } from '../../query/find-run.js'
import type { CliContext } from '../cli-context.js'
import { runReferenceHelp } from '../parse-options.js'
import { writeJson } from '../write-json.js'

/** `lore diff <runA> <runB>`: two runs step by step, and whether B reproduced A. */
export function diffCommand(context: CliContext): Command {
  return new Command('diff')
    .description(
      'compare two runs step by step (parameters, input and output fingerprints, duration) and say whether they match',
    )
    .argument('<runA>', runReferenceHelp)
    .argument('<runB>', runReferenceHelp)
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      const store = await context.store()
      const comparison = await compareRuns(
        store,
        await findRun(store, a, context.location),
        await findRun(store, b, context.location),
      )
      if (options.json === true) writeJson(context.io, comparison)
      else context.io.stdout(formatComparison(comparison))
    })
}
