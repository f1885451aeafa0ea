import { Command } from 'commander'
import { formatComparison } from '../../compare/format-comparison.js'
import { parseOverrides } from '../../replay/config-overrides.js'
import { replay, type ReplayPlan } from '../../replay/replay.js'
import type { CliContext } from '../cli-context.js'
import { runReferenceHelp } from '../parse-options.js'
import { showRunProgress } from '../run-progress.js'
import { writeJson } from '../write-json.js'

interface ReplayFlags {
  set: string[]
  from?: string
  dryRun?: boolean
  cache?: boolean
  json?: boolean
}

function formatPlan(plan: ReplayPlan): string {
  const lines = [
    `replaying run ${plan.original.runId} (${plan.original.pipeline}) from ${plan.module}, seed ${plan.original.seed ?? 'none'}`,
  ]
  if (!plan.faithful)
    lines.push(
      `not faithful: config overridden (${Object.entries(plan.overrides)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(', ')})`,
    )
  if (plan.from !== undefined)
    lines.push(
      `from step '${plan.from}': earlier steps reuse the original's outputs`,
    )
  if (plan.differences.length === 0)
    lines.push('same code and environment as the original')
  for (const difference of plan.differences) {
    lines.push(
      `differs: ${difference.what}${difference.file === undefined ? '' : ` ${difference.file}`}: ${difference.recorded} → ${difference.current}`,
    )
    // The original ran from uncommitted code and kept its sources: show what changed.
    if (difference.patch !== undefined)
      lines.push(...difference.patch.split('\n').map((line) => `    ${line}`))
  }
  return `${lines.join('\n')}\n`
}

function formatSteps(plan: ReplayPlan): string {
  if (plan.steps.length === 0) return 'steps: (the original recorded none)\n'
  const width = Math.max(...plan.steps.map((entry) => entry.step.length))
  return `steps${plan.steps
    .map(
      (entry) =>
        `\n  ${entry.step.padEnd(width)}  ${entry.action === 'run' ? 'would run' : "would reuse the original's outputs"}`,
    )
    .join('')}\n`
}

/** `lore replay <run>`: run a recorded run again and say whether it reproduced. */
export function replayCommand(context: CliContext): Command {
  return new Command('replay')
    .description(
      'run a recorded run again with its config and seed, and compare it with the original',
    )
    .argument('<run>', runReferenceHelp)
    .option(
      '--set <key=value>',
      'change a config value (repeatable); the replay is then not faithful',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option(
      '--from <step>',
      'run again from this step; earlier steps reuse the original outputs',
    )
    .option('--dry-run', 'say what would run and what differs, and run nothing')
    .option('--cache', 'let cache: true steps reuse cached outputs')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: ReplayFlags) => {
      const json = flags.json === true
      let stop = (): void => undefined
      const result = await replay(reference, {
        store: context.location,
        set: parseOverrides(flags.set),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        dryRun: flags.dryRun === true,
        cache: flags.cache === true,
        onPlan: (plan) => {
          if (!json) {
            context.io.stdout(formatPlan(plan))
            if (flags.dryRun === true) context.io.stdout(formatSteps(plan))
          }
          if (flags.dryRun !== true)
            stop = showRunProgress(
              context.io,
              context.location,
              `replay of ${plan.original.runId.slice(0, 8)}`,
            )
        },
      }).finally(() => stop())
      if (json) {
        writeJson(context.io, result)
        return
      }
      if (result.comparison !== undefined)
        context.io.stdout(
          `replay run ${result.runId} (${result.status})\n${formatComparison(result.comparison)}`,
        )
    })
}
