import { LoreError } from '@lore/store'
import { Command } from 'commander'
import { checkPolicy } from '../../monitor/check-policy.js'
import { loadPolicies } from '../../monitor/load-policies.js'
import { configure } from '../../recorder/recorder-registry.js'
import { shutdown } from '../../recorder/shutdown.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'
import { formatCheckReport } from '../format-incident.js'

interface CheckFlags {
  policy?: string[]
  retrain?: boolean
  reason?: string
  actor?: string
  json?: boolean
}

/**
 * `lore check <module>`: run the policies a module exports once — drift and decay checks,
 * and on a trigger (or `--retrain --reason …`) the incident: retrain, gate, promote or
 * reject; or the watch window of a promoted candidate.
 */
export function checkCommand(context: CliContext): Command {
  return new Command('check')
    .description(
      'run monitoring policies once: check drift and decay, retrain, promote or roll back',
    )
    .argument('<module>', 'a module that exports policies made by definePolicy')
    .option('-p, --policy <name...>', 'only these policies')
    .option(
      '--retrain',
      'retrain now, whatever the checks say (needs --reason)',
    )
    .option('-r, --reason <text>', 'why you ask for a retraining; recorded')
    .option(
      '--actor <name>',
      'who asks (default LORE_ACTOR, else your user name)',
    )
    .option('--json', 'print JSON')
    .action(async (module: string, options: CheckFlags) => {
      if (options.retrain === true && options.reason === undefined)
        throw new LoreError(
          'INVALID_ARGUMENT',
          "--retrain needs --reason '<why>'; the reason is recorded with the incident",
        )
      // Retraining pipelines and the registry write through the recorder, to this store.
      configure({ store: context.location })
      try {
        const policies = await loadPolicies(module, options.policy ?? [])
        const reports = []
        for (const policy of policies) {
          const report = await checkPolicy(policy, {
            store: context.location,
            ...(options.retrain === true
              ? {
                  retrain: {
                    reason: options.reason ?? '',
                    ...(options.actor === undefined
                      ? {}
                      : { actor: options.actor }),
                  },
                }
              : {}),
          })
          reports.push(report)
          if (options.json !== true)
            context.io.stdout(formatCheckReport(report))
        }
        if (options.json === true) writeJson(context.io, reports)
        // A failed retraining is reported above; the exit code lets a scheduler see it too.
        if (reports.some((report) => report.outcome === 'failed'))
          context.exitCode = 1
      } finally {
        await shutdown()
      }
    })
}
