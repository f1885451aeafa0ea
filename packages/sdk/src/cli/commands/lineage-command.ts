import { Command, Option } from 'commander'
import { buildLineageTrees } from '../../query/lineage-tree.js'
import {
  resolveLineageStart,
  type LineageStart,
} from '../../query/resolve-lineage-start.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'
import { formatLineageDot, formatLineageTrees } from '../format-lineage.js'
import { nonNegativeInteger } from '../parse-options.js'

interface LineageOptions {
  up?: boolean
  down?: boolean
  depth: number
  format: 'tree' | 'json' | 'dot'
  json?: boolean
}

/** Where the trees start: the node asked about; for a run, its results (up) or sources (down). */
function roots(start: LineageStart, direction: 'upstream' | 'downstream') {
  if (start.kind === 'run') {
    const ids =
      (direction === 'upstream' ? start.runOutputs : start.runInputs) ?? []
    if (ids.length > 0)
      return ids.map((id) => ({ kind: 'artifact' as const, id }))
  }
  return [
    ...start.artifactIds.map((id) => ({ kind: 'artifact' as const, id })),
    ...start.executionIds.map((id) => ({ kind: 'execution' as const, id })),
  ]
}

/** `lore lineage <artifact|execution|run>`: what produced it (--up) and what used it (--down). */
export function lineageCommand(context: CliContext): Command {
  return new Command('lineage')
    .description(
      'show what produced an artifact, execution or run (--up) and what used it (--down)',
    )
    .argument(
      '<node>',
      'a:<artifact id>, e:<execution id>, an external id, or a run id (or prefix)',
    )
    .option('--up', 'only upstream: what it was made from')
    .option('--down', 'only downstream: what was made from it')
    .option(
      '-d, --depth <hops>',
      'edges to follow (artifact→execution is one)',
      nonNegativeInteger,
      20,
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['tree', 'json', 'dot'])
        .default('tree'),
    )
    .option('--json', 'print JSON (same as --format json)')
    .action(async (reference: string, options: LineageOptions) => {
      const store = await context.store()
      const start = await resolveLineageStart(
        store,
        reference,
        context.location,
      )
      const directions: ('upstream' | 'downstream')[] =
        options.up === true && options.down !== true
          ? ['upstream']
          : options.down === true && options.up !== true
            ? ['downstream']
            : ['upstream', 'downstream']
      const format = options.json === true ? 'json' : options.format
      const results = []
      for (const direction of directions) {
        const nodes = roots(start, direction)
        const artifactIds = nodes
          .filter((node) => node.kind === 'artifact')
          .map((node) => node.id)
        const executionIds = nodes
          .filter((node) => node.kind === 'execution')
          .map((node) => node.id)
        const subgraph =
          artifactIds.length + executionIds.length === 0
            ? { artifacts: [], executions: [], events: [], hops: {} }
            : await store.getLineageSubgraph({
                artifactIds,
                executionIds,
                direction,
                maxHops: options.depth,
              })
        results.push({
          direction,
          subgraph,
          trees: buildLineageTrees(subgraph, nodes, direction),
        })
      }
      if (format === 'json') {
        writeJson(context.io, { start, depth: options.depth, lineage: results })
        return
      }
      if (format === 'dot') {
        const merged = {
          artifacts: [
            ...new Map(
              results
                .flatMap((result) => result.subgraph.artifacts)
                .map((a) => [a.id, a]),
            ).values(),
          ],
          executions: [
            ...new Map(
              results
                .flatMap((result) => result.subgraph.executions)
                .map((e) => [e.id, e]),
            ).values(),
          ],
          events: [
            ...new Map(
              results
                .flatMap((result) => result.subgraph.events)
                .map((e) => [
                  `${e.executionId}:${e.artifactId}:${e.type}:${e.path.join('.')}`,
                  e,
                ]),
            ).values(),
          ],
          hops: {},
        }
        context.io.stdout(formatLineageDot(merged))
        return
      }
      const sections = results.map((result) => {
        const title =
          result.direction === 'upstream'
            ? `upstream of ${start.description} (what it was made from)`
            : `downstream of ${start.description} (what was made from it)`
        const body =
          result.trees.length === 0
            ? '(nothing)'
            : formatLineageTrees(result.trees, result.direction)
        return `${title}\n${body}`
      })
      context.io.stdout(`${sections.join('\n\n')}\n`)
    })
}
