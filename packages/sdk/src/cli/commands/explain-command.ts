import { Command } from 'commander'
import { LoreError } from '@lore/store'
import {
  explainExecution,
  type CacheExplanation,
} from '../../cache/explain-execution.js'
import { findRun } from '../../query/find-run.js'
import { executionsOf } from '../../query/read-all.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'

function formatExplanation(explanation: CacheExplanation): string[] {
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
  return lines
}

/**
 * What `lore explain` explains: one step call (`e:12`, an execution id, a prefix of its
 * external id), or every step call of a run (a run id or prefix, `a:<id>`), in order.
 */
async function explanationsOf(
  context: CliContext,
  reference: string,
): Promise<CacheExplanation | CacheExplanation[]> {
  const store = await context.store()
  // e:12 is how lore show and lore lineage name step calls: the same id works here.
  const execution = /^(?:e|execution):(\d+)$/.exec(reference)?.[1]
  if (execution !== undefined) return explainExecution(store, execution)
  // A bare number is an execution id first; a run id prefix can be all digits too.
  if (!/^(?:a|artifact):/.test(reference))
    try {
      return await explainExecution(store, reference)
    } catch (error) {
      if (!LoreError.isInstance(error) || error.code !== 'NOT_FOUND')
        throw error
    }
  const run = await findRun(store, reference, context.location)
  const explanations: CacheExplanation[] = []
  for (const { id } of await executionsOf(store, run.id))
    explanations.push(await explainExecution(store, String(id)))
  return explanations
}

/** `lore explain <execution|run>`: why step calls were or were not served from the cache. */
export function explainCommand(context: CliContext): Command {
  return new Command('explain')
    .description(
      'say why a step call (or each step call of a run) hit or missed the cache, and which part of its key changed',
    )
    .argument(
      '<execution|run>',
      'e:<execution id> (as lore show prints it) or an execution id; or a run id, its prefix or a:<id> for every step call of that run',
    )
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      const explained = await explanationsOf(context, reference)
      if (options.json === true) {
        writeJson(context.io, explained)
        return
      }
      const list = Array.isArray(explained) ? explained : [explained]
      context.io.stdout(
        `${list.flatMap((explanation) => formatExplanation(explanation)).join('\n')}\n`,
      )
    })
}
