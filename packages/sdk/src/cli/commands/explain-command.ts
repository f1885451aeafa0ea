import { Command } from 'commander'
import { explainExecution } from '../../cache/explain-execution.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'

/** `lore explain <execution>`: why a step call was or was not served from the cache. */
export function explainCommand(context: CliContext): Command {
  return new Command('explain')
    .description(
      'say why a step call hit or missed the cache, and which part of its key changed',
    )
    .argument(
      '<execution>',
      'e:<execution id> (as lore show prints it), an execution id, or a unique prefix of its external id',
    )
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      // e:12 is how lore show and lore lineage name step calls: the same id works here.
      const explanation = await explainExecution(
        await context.store(),
        reference.replace(/^(e|execution):(\d+)$/, '$2'),
      )
      if (options.json === true) {
        writeJson(context.io, explanation)
        return
      }
      const head = `execution ${explanation.executionId} (${explanation.step}, ${explanation.state})`
      const lines = [
        explanation.outcome === 'hit'
          ? `${head}: cache hit, reused execution ${explanation.reused?.id ?? explanation.reused?.externalId}`
          : explanation.outcome === 'miss'
            ? `${head}: cache miss: ${explanation.reason ?? 'no earlier execution with this key'}`
            : explanation.outcome === 'off'
              ? `${head}: caching was off for its run (--no-cache, cache: false or an ad-hoc run)`
              : `${head}: not a cached step (add cache: true to its step options)`,
      ]
      if (explanation.facts?.key !== undefined)
        lines.push(`  key ${explanation.facts.key}`)
      lines.push(`  outputs reusable later: ${explanation.reusable}`)
      context.io.stdout(`${lines.join('\n')}\n`)
    })
}
