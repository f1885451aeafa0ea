import { Command } from 'commander'
import { loadPolicies } from '../../monitor/load-policies.js'
import { watchPolicies } from '../../monitor/watch-policies.js'
import { configure } from '../../recorder/recorder-registry.js'
import { shutdown } from '../../recorder/shutdown.js'
import type { CliContext } from '../cli-context.js'
import { formatCheckReport } from '../format-incident.js'
import { formatTime } from '../format-values.js'
import { positiveInteger } from '../parse-options.js'
import { parseDuration } from '../parse-duration.js'

interface WatchFlags {
  policy?: string[]
  interval: number
  rounds?: number
  json?: boolean
}

/**
 * `lore watch <module>`: check the policies a module exports every `--interval`, until
 * stopped (Ctrl-C) or `--rounds` are done. A failing check is reported and the loop goes on.
 */
export function watchCommand(context: CliContext): Command {
  return new Command('watch')
    .description('check monitoring policies on an interval until stopped')
    .argument('<module>', 'a module that exports policies made by definePolicy')
    .option('-p, --policy <name...>', 'only these policies')
    .option(
      '-i, --interval <duration>',
      'time between rounds: 30s, 5m, 1h',
      parseDuration,
      60_000,
    )
    .option(
      '-n, --rounds <count>',
      'stop after this many rounds',
      positiveInteger,
    )
    .option('--json', 'print one JSON report per line')
    .action(async (module: string, options: WatchFlags) => {
      configure({ store: context.location })
      const controller = new AbortController()
      const stop = (): void => controller.abort()
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      try {
        const policies = await loadPolicies(module, options.policy ?? [])
        if (options.json !== true)
          context.io.stderr(
            `watching ${policies.map((policy) => policy.name).join(', ')} in ${context.location} every ${options.interval / 1000} s (Ctrl-C stops)\n`,
          )
        await watchPolicies(policies, {
          intervalMs: options.interval,
          signal: controller.signal,
          store: context.location,
          ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
          onReport: (report) =>
            context.io.stdout(
              options.json === true
                ? `${JSON.stringify(report)}\n`
                : `${formatTime(Date.now())}  ${formatCheckReport(report)}`,
            ),
          onError: (error, policy) =>
            context.io.stderr(
              `lore watch: policy '${policy.name}': ${error instanceof Error ? error.message : String(error)}\n`,
            ),
        })
      } finally {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        await shutdown()
      }
    })
}
